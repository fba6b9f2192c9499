"""Learn the lay→legal term map (``search/lay_legal_terms.json``) from the training part of STARD.

People ask with everyday words (偷, 老公, 赔钱, 弄丢) where statutes write legal terms (盗窃, 配偶, 赔偿,
毁损灭失). Which legal term a lay word stands for is learned from questions and the articles that answer
them: for every content word ``w`` of a question (:func:`search.question.analyse`) and every content word
``a`` of its relevant articles, count the questions where both occur. A pair enters the map when

* ``w`` occurs in at least ``--min-questions`` training questions, and the pair in at least ``--min-pairs``;
* ``w`` is a lay word: it is itself absent from the relevant articles of most of its questions
  (share below ``--max-self``), so words the statutes already use are not expanded;
* ``a`` follows ``w``: P(a | w) ≥ ``--min-confidence`` and P(a | w) / P(a) ≥ ``--min-lift`` (P(a) over all
  training questions), so terms present in every answer (人民, 规定) do not qualify;

and at most ``--per-word`` legal terms are kept per word, by lift. Only questions with
``bench.splits.set_aside(qid)`` false are read: the set-aside part never contributes, by construction.

    .venv/bin/python scripts/learn_lexicon.py [--corpus DIR] [--out search/lay_legal_terms.json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.splits import set_aside  # noqa: E402
from bench.stard_eval import load_laws, load_queries  # noqa: E402
from search.normalize import normalize  # noqa: E402
from search.question import content_words  # noqa: E402

DEFAULT_CORPUS = ROOT.parents[1] / "shared" / "corpus"
# Article labels and bare numerals (第七条, 第九, 三十) name a place in one law, not a legal concept.
_NOT_A_TERM = re.compile(r"第|^[零〇一二三四五六七八九十百千万两\d]+$")


def article_words(corpus: Path, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], set[str]]:
    """Content words of each wanted (document id, article label)."""
    docs = {d for d, _ in wanted}
    out: dict[tuple[str, str], set[str]] = {}
    for doc in load_laws(corpus):
        if doc.id not in docs:
            continue
        for art in doc.articles:
            if (doc.id, art.number) in wanted:
                out[(doc.id, art.number)] = set(content_words(normalize(art.text)))
    return out


def learn(queries: list[dict[str, Any]], arts: dict[tuple[str, str], set[str]], *, min_questions: int,
          min_pairs: int, max_self: float, min_confidence: float, min_lift: float,
          per_word: int) -> dict[str, list[str]]:
    """The map, from training questions and the content words of their relevant articles."""
    n_w: Counter[str] = Counter()
    n_self: Counter[str] = Counter()
    n_a: Counter[str] = Counter()
    pairs: defaultdict[str, Counter[str]] = defaultdict(Counter)
    n = 0
    for row in queries:
        answer: set[str] = set()
        for r in row["relevant"]:
            answer |= arts.get((r["doc_id"], r.get("article") or ""), set())
        if not answer:
            continue
        n += 1
        words = set(content_words(normalize(row["query"])))
        n_a.update(answer)
        for w in words:
            n_w[w] += 1
            if w in answer or any(w in a for a in answer):
                n_self[w] += 1
            pairs[w].update(a for a in answer if a not in words)
    lexicon: dict[str, list[str]] = {}
    for w, count in n_w.items():
        if count < min_questions or n_self[w] / count > max_self:
            continue
        scored = []
        for a, c in pairs[w].items():
            confidence = c / count
            lift = confidence / (n_a[a] / n)
            if c >= min_pairs and confidence >= min_confidence and lift >= min_lift and len(a) >= 2\
                    and not _NOT_A_TERM.search(a):
                scored.append((lift, c, a))
        scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
        if scored:
            lexicon[w] = [a for _, _, a in scored[:per_word]]
    return dict(sorted(lexicon.items()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--out", type=Path, default=ROOT / "search" / "lay_legal_terms.json")
    ap.add_argument("--min-questions", type=int, default=3)
    ap.add_argument("--min-pairs", type=int, default=3)
    ap.add_argument("--max-self", type=float, default=1.0)
    ap.add_argument("--min-confidence", type=float, default=0.3)
    ap.add_argument("--min-lift", type=float, default=2.0)
    ap.add_argument("--per-word", type=int, default=6)
    args = ap.parse_args(argv)
    train = [q for q in load_queries(args.corpus) if not set_aside(q["qid"])]
    wanted = {(r["doc_id"], r["article"]) for q in train for r in q["relevant"] if r.get("article")}
    arts = article_words(args.corpus, wanted)
    params = {k: getattr(args, k) for k in ("min_questions", "min_pairs", "max_self", "min_confidence",
                                             "min_lift", "per_word")}
    lexicon = learn(train, arts, **params)
    data = {
        "about": "Lay word -> legal terms, learned by scripts/learn_lexicon.py from the training part of "
                 "STARD (questions with bench.splits.set_aside(qid) false) and the articles answering them.",
        "training_questions": len(train),
        "parameters": params,
        "map": lexicon,
    }
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(lexicon)} words from {len(train)} training questions -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
