"""Learn the lay→legal term map (``search/lay_legal_terms.json``) from the training part of STARD.

People ask with everyday words (东西, 出租车, 借条) where statutes write legal terms (财物, 承运人, 债权).
Which legal terms a question word calls for is learned from questions and the articles that answer them:
for every content word ``w`` of a question (:func:`search.question.content_words`) and every content word
``a`` of its relevant articles, count the questions where both occur. A pair enters the map when

* ``w`` occurs in at least ``--min-questions`` training questions, and the pair in at least ``--min-pairs``;
* ``w`` is absent from the relevant articles of at least a share ``1 - --max-self`` of its questions
  (default 1.0: every word; restricting the map to lay words, 0.5, measured worse: docs/benchmarks.md);
* ``a`` is not an article label or a bare numeral (第七条, 三十);
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


DEFAULTS: dict[str, Any] = {"min_questions": 3, "min_pairs": 3, "max_self": 1.0, "min_confidence": 0.3,
                            "min_lift": 2.0, "per_word": 6}


def training_questions(corpus: Path) -> list[dict[str, Any]]:
    """The STARD questions that may be learned from: those not set aside (bench/splits.py)."""
    return [q for q in load_queries(corpus) if not set_aside(q["qid"])]


def build(corpus: Path, **params: Any) -> dict[str, Any]:
    """The data file's content: the map learned from the training questions, and how it was made."""
    params = {**DEFAULTS, **params}
    train = training_questions(corpus)
    wanted = {(r["doc_id"], r["article"]) for q in train for r in q["relevant"] if r.get("article")}
    lexicon = learn(train, article_words(corpus, wanted), **params)
    return {
        "about": "Word -> legal terms, learned by scripts/learn_lexicon.py from the training part of STARD "
                 "(questions with bench.splits.set_aside(qid) false) and the articles answering them.",
        "training_questions": len(train),
        "parameters": params,
        "map": lexicon,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--out", type=Path, default=ROOT / "search" / "lay_legal_terms.json")
    ap.add_argument("--min-questions", type=int, default=DEFAULTS["min_questions"])
    ap.add_argument("--min-pairs", type=int, default=DEFAULTS["min_pairs"])
    ap.add_argument("--max-self", type=float, default=DEFAULTS["max_self"])
    ap.add_argument("--min-confidence", type=float, default=DEFAULTS["min_confidence"])
    ap.add_argument("--min-lift", type=float, default=DEFAULTS["min_lift"])
    ap.add_argument("--per-word", type=int, default=DEFAULTS["per_word"])
    args = ap.parse_args(argv)
    params = {k: getattr(args, k) for k in DEFAULTS}
    data = build(args.corpus, **params)
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(data['map'])} words from {data['training_questions']} training questions -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
