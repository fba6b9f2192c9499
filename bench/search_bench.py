"""Search speed on a synthetic corpus: index time, full-page latency (total, four facets, ten snippets),
requests per second and peak memory, for keyword and question queries.

    .venv/bin/python bench/search_bench.py --docs 100000            # embedded engine, in process
    .venv/bin/python bench/search_bench.py --docs 20000 --engine fts5  # the SQLite FTS5 alternative
    .venv/bin/python bench/search_bench.py --http http://127.0.0.1:8000  # a running server
    .venv/bin/python bench/search_bench.py --docs 100000 --registry /tmp/reg100k  # registry + normreg serve

Latency is reported twice: for the fixed query lists sent repeatedly (a popular query, a page reload,
paging) and for ``--cold`` distinct queries sent once each (a query not seen since the last write).

The corpus is generated deterministically (seeded): Chinese titles, 文号, issuers, dates, statuses and
about 2,000 characters of articles per document, built from a vocabulary of administrative phrases so
that term frequencies look like real normative documents (some terms in nearly every document, most rare).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from search.embedded import EmbeddedBackend
from search.model import IndexArticle, IndexDocument, SearchQuery
from search.normalize import normalize
from search.query import plan_query
from search.snippets import make_snippet
from search.tokenize import index_stream, run_bigrams, units

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


def synthetic_docs(n: int, seed: int = 42) -> Iterator[IndexDocument]:
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


def cold_queries(n: int, seed: int = 7) -> tuple[list[str], list[str]]:
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
            (_, code), year = rng.choice(ORGANS), rng.randint(2000, 2025)
            q = f"{rng.choice(PLACES)[0]}{code}发〔{year}〕{rng.randint(1, 199)}号"
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


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(run: Callable[[str], Any], queries: list[str], rounds: int, warm: bool = True) -> dict[str, float]:
    """Latency of full pages; ``warm`` first sends every query once (so repeats hit warm caches)."""
    if warm:
        for q in queries:
            run(q)
    times: list[float] = []
    started = time.perf_counter()
    for _ in range(rounds):
        for q in queries:
            t = time.perf_counter()
            run(q)
            times.append((time.perf_counter() - t) * 1000)
    elapsed = time.perf_counter() - started
    times.sort()
    return {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(len(times) * 0.95)], 2),
            "req_per_s": round(len(times) / elapsed, 1), "n": len(times)}


def measure_all(run: Callable[[str], Any], rounds: int, cold: int) -> dict[str, Any]:
    """Repeated queries (the fixed lists, warm) and first-time queries (``cold`` of each kind, sent once)."""
    out: dict[str, Any] = {"keywords": measure(run, KEYWORD_QUERIES, rounds),
                           "questions": measure(run, QUESTION_QUERIES, rounds)}
    if cold:
        cold_kw, cold_q = cold_queries(cold)
        out["keywords_first_time"] = measure(run, cold_kw, 1, warm=False)
        out["questions_first_time"] = measure(run, cold_q, 1, warm=False)
    return out


def _dir_size_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20, 1)


# -- SQLite FTS5 over the same bigram streams: the measured alternative ------------------------------
class Fts5Probe:
    """Document-level FTS5 with the same tokenisation, weights, facets and snippets, for comparison."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path / "fts5.db", check_same_thread=False)
        self.db.executescript(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
            "CREATE TABLE meta(id INTEGER PRIMARY KEY, doc_id TEXT, status TEXT, issuer TEXT, category TEXT,"
            " year INT, day INT, weight REAL, title TEXT, body TEXT);"
            "CREATE VIRTUAL TABLE fts USING fts5(title, docno, heading, body, tokenize='unicode61', detail=full);")

    def index(self, docs: list[IndexDocument]) -> None:
        from search.ranking import prior

        rows, fts = [], []
        start = self.db.execute("SELECT coalesce(max(id), 0) FROM meta").fetchone()[0]
        for n, d in enumerate(docs, start=start + 1):
            rows.append((n, d.id, d.status, d.issuer, d.category, d.publication_date.year if d.publication_date
                         else None, d.publication_date.toordinal() if d.publication_date else 0,
                         prior(d.status, d.publication_date, d.pinned), d.title, d.body))
            fts.append((n, index_stream(normalize(d.title)), index_stream(normalize(d.doc_number or "")),
                        index_stream(normalize(" ".join(a.heading or "" for a in d.articles))),
                        index_stream(normalize(d.body))))
        self.db.executemany("INSERT INTO meta VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
        self.db.executemany("INSERT INTO fts(rowid, title, docno, heading, body) VALUES (?,?,?,?,?)", fts)
        self.db.commit()

    def match(self, q: str) -> str | None:
        plan = plan_query(q)
        parts = []
        for c in plan.required:
            for r in c.runs:
                us = units(r)
                toks = run_bigrams(us) if len(us) > 1 else [us[0] + "*"]
                parts.append('"' + " ".join(toks) + '"' if len(toks) > 1 or "*" not in toks[0] else toks[0])
        if plan.mode == "best":
            return " OR ".join(f'"{t}"' for t in plan.terms) or None
        return " AND ".join(parts) or None

    def page(self, q: str) -> dict[str, Any]:
        expr = self.match(q)
        if expr is None:
            return {"total": 0}
        cur = self.db.cursor()
        cur.execute("CREATE TEMP TABLE IF NOT EXISTS m(id INTEGER PRIMARY KEY, score REAL)")
        cur.execute("DELETE FROM m")
        cur.execute("INSERT INTO m SELECT rowid, bm25(fts, 6.0, 4.0, 2.0, 1.0) FROM fts WHERE fts MATCH ?", (expr,))
        total = cur.execute("SELECT count(*) FROM m").fetchone()[0]
        facets = {f: dict(cur.execute(f"SELECT {f}, count(*) FROM m JOIN meta USING(id) GROUP BY {f}").fetchall())
                  for f in ("status", "issuer", "category", "year")}
        top = cur.execute("SELECT meta.body FROM m JOIN meta USING(id) ORDER BY m.score * meta.weight LIMIT 10")
        terms = plan_query(q).highlight_terms()
        snippets = [make_snippet(body, terms) for (body,) in top.fetchall()]
        return {"total": total, "facets": facets, "snippets": snippets}


def load_registry(data_dir: Path, n: int) -> dict[str, Any]:
    """Put the synthetic corpus into a registry at ``data_dir`` and build its index the registry's way.

    Rows go into the registry's own tables in bulk (the ingest pipeline, which extracts files, is not
    what is measured here); the index is then built by ``registry.indexing.reindex`` exactly as
    ``normreg reindex`` does: documents and articles read back from the database in batches of 500 and
    handed to the backend. So the served index is the registry's projection, and search hits resolve
    against registry rows, as in production.
    """
    import os
    from datetime import UTC, datetime

    os.environ["NORMREG_DATA_DIR"] = str(data_dir)
    from sqlalchemy import insert

    from registry.context import Registry
    from registry.indexing import reindex
    from registry.models import Article, Document
    from registry.refs import doc_number_key, title_key
    from registry.settings import Settings

    reg = Registry(Settings())
    reg.init()
    now = datetime.now(UTC)
    started = time.perf_counter()
    docs: list[dict[str, Any]] = []
    arts: list[dict[str, Any]] = []

    def flush() -> None:
        with reg.engine.begin() as conn:
            conn.execute(insert(Document.__table__), docs)  # type: ignore[attr-defined]
            conn.execute(insert(Article.__table__), arts)  # type: ignore[attr-defined]
        docs.clear()
        arts.clear()

    for d in synthetic_docs(n):
        docs.append({"id": d.id, "title": d.title, "title_key": title_key(d.title), "doc_number": d.doc_number,
                     "doc_number_key": doc_number_key(d.doc_number), "issuer": d.issuer, "category": d.category,
                     "publication_date": d.publication_date, "pinned": d.pinned, "text": d.body, "status": d.status,
                     "status_reason": "", "version": 1, "co_issuers": [], "created_at": now, "updated_at": now})
        arts.extend({"document_id": d.id, "ordinal": a.ordinal, "number": a.number, "chapter": a.heading,
                     "text": a.text} for a in d.articles)
        if len(docs) == 2000:
            flush()
    if docs:
        flush()
    rows_seconds = time.perf_counter() - started
    started = time.perf_counter()
    count = reindex(reg.engine, reg.backend)
    optimize = getattr(reg.backend, "optimize", None)
    if optimize is not None:
        optimize()
    index_seconds = time.perf_counter() - started
    reg.close()
    return {"rows_seconds": round(rows_seconds, 1), "reindex_seconds": round(index_seconds, 1), "indexed": count,
            "index_mb": _dir_size_mb(data_dir / "search")}


def serve(data_dir: Path) -> tuple[Any, str]:
    """Start ``normreg serve`` on a free port of 127.0.0.1 (rate limit off: the bench is one client)."""
    import os
    import socket
    import subprocess

    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "NORMREG_DATA_DIR": str(data_dir), "NORMREG_RATE_LIMIT_PER_MINUTE": "0"}
    exe = Path(sys.executable).with_name("normreg")
    proc = subprocess.Popen([str(exe), "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit("normreg serve did not come up")


def http_runner(url: str) -> Callable[[str], Any]:
    import httpx

    client = httpx.Client(base_url=url, timeout=30)

    def run(q: str) -> Any:
        res = client.get("/api/v1/search", params={"q": q, "per_page": 10})
        res.raise_for_status()
        data = res.json()
        assert len(data["facets"]) == 4
        return data

    return run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--engine", choices=["embedded", "fts5"], default="embedded")
    ap.add_argument("--index-dir", type=Path, help="keep the index here (reused when it exists)")
    ap.add_argument("--http", help="base URL of a running server: measure GET /api/v1/search there instead")
    ap.add_argument("--registry", type=Path, help="data dir: load the corpus into a registry there (unless it "
                    "holds documents already), start normreg serve on a free port and measure over HTTP")
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--cold", type=int, default=100, help="first-time queries of each kind (0: none)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    out: dict[str, Any] = {"docs": args.docs, "engine": "http" if args.http or args.registry else args.engine}

    if args.http:
        out.update(measure_all(http_runner(args.http), args.rounds, args.cold))
        print(json.dumps(out, ensure_ascii=False) if args.json else json.dumps(out, ensure_ascii=False, indent=1))
        return 0

    if args.registry:
        args.registry.mkdir(parents=True, exist_ok=True)
        if not (args.registry / "normreg.db").exists():
            out["load"] = load_registry(args.registry, args.docs)
        proc, url = serve(args.registry)
        try:
            out.update(measure_all(http_runner(url), args.rounds, args.cold))
            import subprocess

            rss = subprocess.run(["ps", "-o", "rss=", "-p", str(proc.pid)], capture_output=True, text=True)
            out["server_rss_mb"] = round(int(rss.stdout.strip() or 0) / 1024)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        print(json.dumps(out, ensure_ascii=False) if args.json else json.dumps(out, ensure_ascii=False, indent=1))
        return 0

    tmp = tempfile.TemporaryDirectory()
    directory = args.index_dir or Path(tmp.name)
    directory.mkdir(parents=True, exist_ok=True)
    backend: Any = EmbeddedBackend(directory) if args.engine == "embedded" else Fts5Probe(directory)
    started = time.perf_counter()
    if args.engine == "fts5" or not backend.ids_with_versions():
        batch: list[IndexDocument] = []
        for doc in synthetic_docs(args.docs):
            batch.append(doc)
            if len(batch) == 500:  # the registry's batch size
                backend.index(batch)
                batch = []
        backend.index(batch)
        if args.engine == "embedded":
            backend.optimize()
    out["index_seconds"] = round(time.perf_counter() - started, 1)
    out["index_mb"] = _dir_size_mb(directory)
    out["rss_after_index_mb"] = round(peak_rss_mb(), 0)

    if args.engine == "embedded":
        def run(q: str) -> Any:
            res = backend.search(SearchQuery(q=q, per_page=10))
            assert len(res.facets) == 4
            return res
    else:
        run = backend.page
    out.update(measure_all(run, args.rounds, args.cold))
    out["peak_rss_mb"] = round(peak_rss_mb(), 0)
    print(json.dumps(out, ensure_ascii=False) if args.json else json.dumps(out, ensure_ascii=False, indent=1))
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
