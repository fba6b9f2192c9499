"""Synthetic corpora for the search benchmark, and the queries sent to them.

Two generators, both deterministic (seeded):

- ``realistic`` (the default): documents assembled from the articles of the real laws in
  ``../shared/corpus/laws``, under generated titles, 文号, issuers, dates and statuses. Real sentences give
  real term statistics: a phrase such as 公民、法人或者其他组织 occurs in a few percent of documents, as in
  the laws themselves, and most terms are rare. First-time keyword queries are law-title stems, text cut
  from articles and 文号; first-time questions are real citizens' questions (STARD).
- ``dense``: every document is written from a vocabulary of a few dozen administrative phrases, so that
  most phrases occur in 85-100 % of documents (10-30 times as often as in real texts). It is the
  broad-query worst case: nearly every query's total and facets count most of the index.
- ``lawmix``: documents of about 2,000 characters written from *sentences* of 600 real laws drawn at
  random (one sentence an article, not runs of articles), under titles such as
  示例市财政局关于印发营商环境实施细则的通知, with varied issuers, statuses and dates. Every document mixes
  the vocabulary of many laws and every term is rare per article, so a citizen's question keeps most of
  its terms and matches a large share of the corpus (企业未经许可从事经营活动会受到什么处罚？ 82 % of 20,000
  documents; STARD questions a median of 21 %, a tenth of them over 70 %): the broad collection of a
  real office, with real sentences.

Neither copies a document: the realistic corpus recombines articles (most from one law, some from
others) and renumbers them.
"""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.stard_eval import DEFAULT_CORPUS, load_laws, load_queries
from search.model import IndexArticle, IndexDocument

PLACES = ["浙江省", "杭州市", "宁波市", "温州市", "绍兴市", "湖州市", "嘉兴市", "金华市", "衢州市", "舟山市",
          "台州市", "丽水市", "西湖区", "余杭区", "鄞州区", "义乌市", "慈溪市", "诸暨市", "乐清市", "瑞安市"]
ORGANS = [("人民政府", "政"), ("人民政府办公厅", "政办"), ("发展和改革委员会", "发改"), ("财政厅", "财"),
          ("教育厅", "教"), ("民政厅", "民"), ("司法厅", "司"), ("自然资源厅", "自然资"), ("生态环境厅", "环"),
          ("住房和城乡建设厅", "建"), ("交通运输厅", "交"), ("农业农村厅", "农"), ("商务厅", "商"),
          ("卫生健康委员会", "卫健"), ("市场监督管理局", "市监"), ("人力资源和社会保障厅", "人社")]
TOPICS = ["行政规范性文件管理", "政府信息公开", "行政处罚裁量基准", "建设用地审批", "最低生活保障", "义务教育招生",
          "中小企业发展", "农村集体经济组织", "安全生产监督管理", "生态环境保护", "城乡居民医疗保险", "住房公积金",
          "公共租赁住房", "食品安全监督抽检", "道路运输管理", "人才引进", "科技创新券", "消费者权益保护",
          "招标投标活动", "行政复议", "政府采购", "社会救助", "养老服务", "残疾人就业", "物业管理", "历史文化名城保护",
          "河长制", "垃圾分类", "数字经济", "营商环境优化", "优化税收服务", "农民工工资支付", "市场主体登记"]
KINDS = ["管理办法", "实施细则", "暂行规定", "实施意见", "若干规定", "工作规程", "试行办法", "通知", "指导意见"]
SUBJECTS = ["县级以上人民政府", "行政机关", "制定机关", "申请人", "经营者", "用人单位", "主管部门", "公民、法人或者其他组织",
            "乡镇人民政府", "街道办事处", "村民委员会", "社会组织", "监督管理部门", "审批机关", "财政部门", "司法行政部门"]
VERBS = ["应当", "可以", "不得", "应当依法", "按照规定", "负责", "组织", "协调", "督促", "依照本办法"]
OBJECTS = ["建立健全工作机制", "加强监督检查", "报送备案审查", "公开办事流程", "完善信息化平台", "落实主体责任",
           "开展合法性审核", "组织清理", "作出书面决定", "予以答复", "给予行政处罚", "核发许可证", "保障资金投入",
           "开展绩效评价", "接受社会监督", "征求公众意见", "进行风险评估", "依法予以纠正", "责令限期改正", "建立台账",
           "收取相关费用", "组织专家论证", "提供便民服务", "实行动态管理", "通报批评", "追究法律责任"]
TAILS = ["。", "；", "，具体办法由省人民政府另行制定。", "，并向社会公布。", "，自收到申请之日起二十个工作日内办结。",
         "，逾期不改正的，处一万元以上五万元以下罚款。", "，情节严重的，依法追究责任。", "。法律、法规另有规定的，从其规定。"]
STATUSES = ["in_force"] * 14 + ["repealed", "repealed", "amended", "invalid", "not_yet_effective", "partially_invalid"]
NUMS = "一二三四五六七八九十"


def _cn(n: int) -> str:
    if n <= 10:
        return NUMS[n - 1]
    if n < 20:
        return "十" + NUMS[n - 11]
    return NUMS[n // 10 - 1] + "十" + (NUMS[n % 10 - 1] if n % 10 else "")


def _sentence(rng: random.Random, topic: str) -> str:
    subject = rng.choice(SUBJECTS)
    if rng.random() < 0.3:
        subject = topic + "工作中，" + subject
    return subject + rng.choice(VERBS) + rng.choice(OBJECTS) + rng.choice(TAILS)


def dense_docs(n: int, seed: int = 42) -> Iterator[IndexDocument]:
    rng = random.Random(seed)
    start = date(2000, 1, 1)
    for i in range(n):
        place, (organ, code) = rng.choice(PLACES), rng.choice(ORGANS)
        topic, kind = rng.choice(TOPICS), rng.choice(KINDS)
        pub = start + timedelta(days=rng.randrange(9300))
        title = f"{place}{organ}关于印发{place}{topic}{kind}的通知"
        doc_number = f"{place[0]}{code}发〔{pub.year}〕{rng.randrange(1, 200)}号"
        articles = []
        for a in range(1, rng.randint(8, 14) + 1):
            text = "".join(_sentence(rng, topic) for _ in range(rng.randint(3, 6)))
            articles.append(IndexArticle(ordinal=a, number=f"第{_cn(a)}条", text=f"第{_cn(a)}条 {text}",
                                         heading=f"第{_cn((a - 1) // 5 + 1)}章 {rng.choice(TOPICS)}" if a % 5 == 1 else None))
        body = f"{title}\n{doc_number}\n" + "\n".join(a.text for a in articles)
        yield IndexDocument(id=f"doc-{i:07d}", title=title, body=body, doc_number=doc_number,
                            issuer=place + organ, category="行政规范性文件", status=rng.choice(STATUSES),
                            publication_date=pub, pinned=rng.random() < 0.001, articles=articles, version="1")


KEYWORD_QUERIES = ["备案审查", "行政处罚", "政府信息公开 答复", "最低生活保障", "浙政办发〔2016〕85号", "规定",
                   "建设用地审批 杭州市", "住房公积金", "合法性审核", "招标投标", "通知", "养老服务 资金"]
QUESTION_QUERIES = ["申请政府信息公开以后多少天内必须答复？", "最低生活保障怎么申请，需要什么条件？",
                    "用人单位拖欠农民工工资会受到什么处罚？", "行政规范性文件制定后多久要报送备案？",
                    "垃圾分类不按规定会被罚款吗", "公共租赁住房的申请人需要满足哪些条件？",
                    "食品安全监督抽检不合格怎么办？", "人才引进有哪些补贴政策？"]


def dense_cold_queries(n: int, seed: int = 7) -> tuple[list[str], list[str]]:
    """``n`` distinct keyword queries and ``n`` distinct questions, none of them in the fixed lists.

    Each is sent once: it measures a query the engine has not seen since the last write (no cached
    ranking), which is what an uncommon query costs.
    """
    rng = random.Random(seed)
    vocab = TOPICS + OBJECTS + SUBJECTS + [k for k in KINDS if len(k) > 2]
    keywords: dict[str, None] = {}
    while len(keywords) < n:
        shape = rng.random()
        if shape < 0.4:
            q = rng.choice(vocab)
        elif shape < 0.7:
            q = f"{rng.choice(vocab)} {rng.choice(PLACES)}"
        elif shape < 0.85:
            w = rng.choice(vocab)
            i = rng.randrange(max(1, len(w) - 2))
            q = w[i:i + rng.randint(2, 4)]
        else:
            q = _doc_number(rng, ORGANS, lambda: rng.choice(PLACES)[0])
        if q not in KEYWORD_QUERIES:
            keywords.setdefault(q, None)
    templates = ["{s}{v}{o}吗？", "{t}有哪些规定？", "{s}不{o}会受到什么处罚？", "{t}工作中{s}怎么{o}？",
                 "请问{p}{t}的{s}需要满足什么条件", "{s}多少天内必须{o}？"]
    questions: dict[str, None] = {}
    while len(questions) < n:
        q = rng.choice(templates).format(s=rng.choice(SUBJECTS), v=rng.choice(VERBS), o=rng.choice(OBJECTS),
                                         t=rng.choice(TOPICS), p=rng.choice(PLACES))
        if q not in QUESTION_QUERIES:
            questions.setdefault(q, None)
    return list(keywords), list(questions)


# -- realistic: real law articles under generated headers --------------------------------------------
_LABEL = re.compile(r"^第[^条\s]{1,8}条(?:之[^\s]{1,3})?[\s\u3000]*")
_TITLE_PREFIX = re.compile(r"^(?:中华人民共和国|全国人民代表大会常务委员会关于|最高人民法院关于|最高人民检察院关于|国务院关于)")
_TITLE_SUFFIX = re.compile(r"(?:（.*?）|\(.*?\))+$")
_TITLE_KIND = re.compile(r"(?:实施细则|实施条例|实施办法|若干规定|暂行条例|暂行办法|条例|办法|规定|细则|决定|解释|法)$")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{4,}")
REALISTIC_KINDS = ["实施办法", "管理办法", "实施细则", "若干规定", "实施意见", "工作规程"]
MIXED_SHARE = 0.2  # articles taken from another law than the document's main one
DOC_CHARS = (1300, 2300)  # target length of a document's articles, drawn per document
MAX_ARTICLE_CHARS = 600


@dataclass(slots=True)
class LawSource:
    """What the realistic generator takes from one real law."""

    stem: str  # 行政处罚 from 中华人民共和国行政处罚法
    articles: list[tuple[str, str | None]]  # (text without its label, chapter)


def title_stem(title: str) -> str:
    """The subject of a law title: prefix, bracketed year and kind word removed."""
    stem = _TITLE_SUFFIX.sub("", _TITLE_PREFIX.sub("", title))
    core = _TITLE_KIND.sub("", stem)
    return core if len(core) >= 2 else stem  # 宪法 stays 宪法


def load_sources(corpus: Path = DEFAULT_CORPUS) -> list[LawSource]:
    """Laws with at least three articles, in catalog order (raises SystemExit when the corpus is absent)."""
    if not (corpus / "laws" / "catalog.jsonl").exists():
        raise SystemExit(f"the realistic corpus is built from {corpus / 'laws'}, which is absent; "
                         "pass --corpus dense for the built-in vocabulary")
    out = []
    for law in load_laws(corpus):
        arts = [(_cut(_LABEL.sub("", a.text)), a.heading) for a in law.articles]
        arts = [(t, h) for t, h in arts if len(t) >= 10]
        if len(arts) >= 3:
            out.append(LawSource(stem=title_stem(law.title), articles=arts))
    return out


def _cut(text: str) -> str:
    """An article of at most MAX_ARTICLE_CHARS, cut after a sentence where possible."""
    if len(text) <= MAX_ARTICLE_CHARS:
        return text
    end = text.rfind("。", 0, MAX_ARTICLE_CHARS)
    return text[: end + 1] if end > MAX_ARTICLE_CHARS // 2 else text[:MAX_ARTICLE_CHARS]


def realistic_docs(n: int, sources: list[LawSource], seed: int = 42) -> Iterator[IndexDocument]:
    rng = random.Random(seed)
    start = date(2000, 1, 1)
    for i in range(n):
        place, (organ, code) = rng.choice(PLACES), rng.choice(ORGANS)
        main = rng.choice(sources)
        kind = rng.choice(REALISTIC_KINDS)
        pub = start + timedelta(days=rng.randrange(9300))
        title = (f"{place}{organ}关于印发{place}{main.stem}{kind}的通知" if rng.random() < 0.6
                 else f"{place}{main.stem}{kind}")
        doc_number = f"{place[0]}{code}发〔{pub.year}〕{rng.randrange(1, 200)}号"
        target = rng.randint(*DOC_CHARS)
        pos = rng.randrange(len(main.articles))
        articles: list[IndexArticle] = []
        size = 0
        while size < target and len(articles) < 30:
            if rng.random() < MIXED_SHARE:
                text, chapter = rng.choice(rng.choice(sources).articles)
            else:
                text, chapter = main.articles[pos % len(main.articles)]
                pos += 1
            a = len(articles) + 1
            label = f"第{_cn(a)}条"
            articles.append(IndexArticle(ordinal=a, number=label, text=f"{label}　{text}", heading=chapter))
            size += len(text)
        body = f"{title}\n{doc_number}\n" + "\n".join(a.text for a in articles)
        yield IndexDocument(id=f"doc-{i:07d}", title=title, body=body, doc_number=doc_number,
                            issuer=place + organ, category="行政规范性文件", status=rng.choice(STATUSES),
                            publication_date=pub, pinned=rng.random() < 0.001, articles=articles, version="1")


def _doc_number(rng: random.Random, organs: Sequence[tuple[str, str]], place: Callable[[], str]) -> str:
    """A 文号 as people type it (示政发〔2019〕8号), from an issuer's code, a year and a number."""
    (_, code), year = rng.choice(organs), rng.randint(2000, 2025)
    return f"{place()}{code}发〔{year}〕{rng.randint(1, 199)}号"


def _substring(rng: random.Random, text: str) -> str | None:
    """A 2–6-character piece of one run of Chinese in ``text`` (what people type as a keyword), or None."""
    runs = _CJK_RUN.findall(text)
    if not runs:
        return None
    run = rng.choice(runs)
    width = rng.randint(2, min(6, len(run)))
    i = rng.randrange(len(run) - width + 1)
    return run[i:i + width]


def _unseen_questions(rng: random.Random, corpus: Path, n: int) -> list[str]:
    """``n`` STARD questions not among the repeated ones, shuffled by ``rng``: first-time questions."""
    asked = [row["query"] for row in load_queries(corpus) if row["query"] not in QUESTION_QUERIES]
    rng.shuffle(asked)
    return list(dict.fromkeys(asked))[:n]


def realistic_cold_queries(n: int, sources: list[LawSource], corpus: Path = DEFAULT_CORPUS,
                           seed: int = 7) -> tuple[list[str], list[str]]:
    """``n`` distinct keyword queries and ``n`` distinct real questions, none in the fixed lists.

    Keywords: a law's subject (行政处罚) or part of it, a subject and a place, two to six characters cut
    from an article (what people paste), or a 文号. Questions: STARD's real questions, in a seeded order.
    """
    rng = random.Random(seed)
    keywords: dict[str, None] = {}
    while len(keywords) < n:
        shape = rng.random()
        src = rng.choice(sources)
        if shape < 0.35:
            q = src.stem
            if len(q) > 4 and rng.random() < 0.5:
                i = rng.randrange(len(q) - 2)
                q = q[i:i + rng.randint(2, 6)]
        elif shape < 0.6:
            q = f"{src.stem} {rng.choice(PLACES)}"
        elif shape < 0.85:
            if (found := _substring(rng, rng.choice(src.articles)[0])) is None:
                continue
            q = found
        else:
            q = _doc_number(rng, ORGANS, lambda: rng.choice(PLACES)[0])
        if q not in KEYWORD_QUERIES and len(q) >= 2:
            keywords.setdefault(q, None)
    return list(keywords), _unseen_questions(rng, corpus, n)


# -- lawmix: sentences of 600 laws recombined at random -----------------------------------------------
LAWMIX_LAWS = 600
_SENTENCE = re.compile(r"[^。；！？]*[。；！？]")
MIX_PLACES = ["示例市", "样本市", "东城市", "西港市", "南湖县", "北山县", "青川区", "白河区", "临江市", "平原县"]
MIX_ORGANS = [("财政局", "财"), ("人民政府", "政"), ("人民政府办公室", "政办"), ("教育局", "教"), ("民政局", "民"),
              ("司法局", "司"), ("市场监督管理局", "市监"), ("生态环境局", "环"), ("住房和城乡建设局", "建"),
              ("交通运输局", "交"), ("农业农村局", "农"), ("商务局", "商"), ("卫生健康委员会", "卫健"),
              ("人力资源和社会保障局", "人社"), ("自然资源和规划局", "自然资"), ("应急管理局", "应急")]
MIX_TOPICS = [*TOPICS, "营商环境", "优化营商环境", "政务服务", "行政执法", "财政专项资金", "社区治理", "校外培训",
              "农村宅基地", "医疗保障", "公共数据"]
MIX_KINDS = ["实施细则", "管理办法", "实施意见", "暂行规定", "若干措施", "工作方案", "实施方案", "操作规程"]


def law_sentences(corpus: Path = DEFAULT_CORPUS, laws: int = LAWMIX_LAWS) -> list[str]:
    """The sentences (up to 。；！？) of the articles of the first ``laws`` laws with three articles or more."""
    out: list[str] = []
    for src in load_sources(corpus)[:laws]:
        for text, _ in src.articles:
            out.extend(s.strip() for s in _SENTENCE.findall(text) if 6 <= len(s.strip()) <= 300)
    return out


def lawmix_docs(n: int, sentences: list[str], seed: int = 42) -> Iterator[IndexDocument]:
    """``n`` documents of about DOC_CHARS characters, each article one random sentence: short articles
    make every term rare per article, so a question keeps most of its terms and matches many documents."""
    rng = random.Random(seed)
    start = date(2000, 1, 1)
    for i in range(n):
        place, (organ, code) = rng.choice(MIX_PLACES), rng.choice(MIX_ORGANS)
        topic, kind = rng.choice(MIX_TOPICS), rng.choice(MIX_KINDS)
        pub = start + timedelta(days=rng.randrange(9300))
        title = f"{place}{organ}关于印发{topic}{kind}的通知" if rng.random() < 0.7 else f"{place}{topic}{kind}"
        doc_number = f"{place[:2]}{code}发〔{pub.year}〕{rng.randrange(1, 200)}号"
        target = rng.randint(*DOC_CHARS)
        articles: list[IndexArticle] = []
        size = 0
        while size < target and len(articles) < 80:
            text = rng.choice(sentences)
            a = len(articles) + 1
            label = f"第{_cn(a)}条"
            heading = f"第{_cn((a - 1) // 6 + 1)}章 {rng.choice(MIX_TOPICS)}" if rng.random() < 0.5 else None
            articles.append(IndexArticle(ordinal=a, number=label, text=f"{label}　{text}", heading=heading))
            size += len(text)
        body = f"{title}\n{doc_number}\n" + "\n".join(a.text for a in articles)
        yield IndexDocument(id=f"doc-{i:07d}", title=title, body=body, doc_number=doc_number,
                            issuer=place + organ, category=rng.choice(["行政规范性文件", "其他文件", "政策解读"]),
                            status=rng.choice(STATUSES), publication_date=pub, pinned=rng.random() < 0.001,
                            articles=articles, version="1")


def lawmix_cold_queries(n: int, sentences: list[str], corpus: Path = DEFAULT_CORPUS,
                        seed: int = 7) -> tuple[list[str], list[str]]:
    """``n`` keywords (topics, topic and place, 2-6 characters cut from a sentence, 文号) and ``n`` STARD
    questions in a seeded order."""
    rng = random.Random(seed)
    keywords: dict[str, None] = {}
    while len(keywords) < n:
        shape = rng.random()
        if shape < 0.3:
            q = rng.choice(MIX_TOPICS)
        elif shape < 0.5:
            q = f"{rng.choice(MIX_TOPICS)} {rng.choice(MIX_PLACES)}"
        elif shape < 0.85:
            if (found := _substring(rng, rng.choice(sentences))) is None:
                continue
            q = found
        else:
            q = _doc_number(rng, MIX_ORGANS, lambda: rng.choice(MIX_PLACES)[:2])
        if q not in KEYWORD_QUERIES and len(q) >= 2:
            keywords.setdefault(q, None)
    return list(keywords), _unseen_questions(rng, corpus, n)


@dataclass(slots=True)
class Corpus:
    """One generator: ``docs(n)`` yields the documents, ``cold(n)`` gives first-time keywords and questions."""

    name: str
    docs: Callable[[int], Iterator[IndexDocument]]
    cold: Callable[[int], tuple[list[str], list[str]]]


def make_corpus(name: str, corpus: Path = DEFAULT_CORPUS) -> Corpus:
    if name == "dense":
        return Corpus(name, dense_docs, dense_cold_queries)
    if name == "lawmix":
        sentences = law_sentences(corpus)
        return Corpus(name, lambda n: lawmix_docs(n, sentences),
                      lambda n: lawmix_cold_queries(n, sentences, corpus))
    sources = load_sources(corpus)
    return Corpus(name, lambda n: realistic_docs(n, sources),
                  lambda n: realistic_cold_queries(n, sources, corpus))


def batched(docs: Iterable[IndexDocument], size: int) -> Iterator[list[IndexDocument]]:
    """Lists of ``size`` documents (the last may be shorter); itertools.batched needs Python 3.12."""
    batch: list[IndexDocument] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
