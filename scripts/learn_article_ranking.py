"""Learn article mode's ranking weights (``search.embedded.article_features.ARTICLE_RANK_WEIGHTS``) from the
training part of STARD.

For every training question (``bench.splits.set_aside(qid)`` false) the candidates of article mode are
gathered by the engine itself (:func:`search.embedded.article_search.article_candidates`) over an index of the
laws corpus, and described by :func:`search.embedded.article_features.candidate_features`. So that the
learned-term expansions behave as on unseen questions, the training part is cut in four folds and each
fold's candidates are gathered with the term map learned on the other three (``scripts/learn_lexicon.py``'s
``learn``). The weights are then fitted by pairwise logistic regression: each relevant article against
non-relevant candidates of its question (half drawn from the 200 best by the fixed fusion, half from all),
with plain stochastic gradient steps; printed scaled so the first weight is 1. ``--cv`` also prints the
fold-wise estimate (weights fitted on three folds, measured on the fourth).

    .venv/bin/python scripts/learn_article_ranking.py [--corpus DIR] [--index-dir DIR] [--cv]
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import search.lexicon as lexicon  # noqa: E402
from bench.stard_eval import build_index  # noqa: E402
from scripts.learn_lexicon import DEFAULTS, article_words, training_questions  # noqa: E402
from scripts.learn_lexicon import learn as learn_lexicon  # noqa: E402
from search.embedded.article_features import FEATURES, candidate_features  # noqa: E402
from search.embedded.article_search import ARTICLE_POOL, article_candidates, article_query  # noqa: E402
from search.embedded.articles import load_article  # noqa: E402
from search.model import SearchQuery  # noqa: E402
from search.query import plan_query  # noqa: E402

DEFAULT_CORPUS = ROOT.parents[1] / "shared" / "corpus"
FOLDS = 4
Example = tuple[list[tuple[float, ...]], list[bool]]  # features of a question's candidates, relevant or not


def fold_of(qid: object) -> int:
    return int(hashlib.sha256(f"fold-{qid}".encode()).hexdigest(), 16) % FOLDS


def examples(backend: Any, rows: list[dict[str, Any]]) -> dict[object, Example]:
    """Features and relevance of the candidates of each question, as article mode gathers them."""
    out: dict[object, Example] = {}
    arts, ranker = backend._articles, backend._ranker
    for row in rows:
        rel = {(r["doc_id"], r["article"]) for r in row["relevant"] if r.get("article")}
        plan = plan_query(row["query"])
        q = SearchQuery(q=row["query"], per_page=100, unit="article", with_facets=False)
        aq = article_query(arts.schema, plan, q, date.today()) if rel and not plan.is_empty else None
        if aq is None:
            continue
        searcher = arts.index.searcher()
        pool = list(searcher.search(aq, limit=ARTICLE_POOL, count=False, weight_by_field="weight").hits)
        c = article_candidates(arts, ranker, backend._index.searcher(), searcher, aq, plan, q, pool)
        feats = candidate_features(c.scores, c.keys, c.doc_norm, c.doc_rank, ARTICLE_POOL)
        labels = []
        for addr in c.addrs:
            payload = load_article(searcher.doc(addr))
            labels.append((payload["id"], payload["number"]) in rel)
        out[row["qid"]] = (feats, labels)
    return out


def fit(data: list[Example], epochs: int = 15, rate: float = 0.05, l2: float = 1e-4, seed: int = 7) -> list[float]:
    """Pairwise logistic regression over (relevant − non-relevant) feature differences."""
    rnd = random.Random(seed)
    pairs = []
    for feats, labels in data:
        pos = [f for f, y in zip(feats, labels, strict=True) if y]
        fused = sorted(range(len(feats)), key=lambda i: -(feats[i][0] + 0.5 * feats[i][1]))[:200]
        near = [feats[i] for i in fused if not labels[i]]
        far = [f for f, y in zip(feats, labels, strict=True) if not y]
        for p in pos:
            for n in rnd.sample(near, min(20, len(near))) + rnd.sample(far, min(20, len(far))):
                pairs.append([a - b for a, b in zip(p, n, strict=True)])
    w = [0.0] * len(FEATURES)
    w[0], w[1] = 1.0, 0.5  # the fixed fusion as a start
    for _ in range(epochs):
        rnd.shuffle(pairs)
        for x in pairs:
            g = 1.0 / (1.0 + math.exp(min(50.0, sum(wi * xi for wi, xi in zip(w, x, strict=True)))))
            w = [wi + rate * (g * xi - l2 * wi) for wi, xi in zip(w, x, strict=True)]
    return w


def recall(data: list[Example], w: list[float], k: int) -> float:
    """Share of relevant candidates in the first ``k`` (relevant articles that are no candidate are not
    counted here: bench/stard_eval.py gives the end-to-end figure)."""
    found = total = 0
    for feats, labels in data:
        order = sorted(range(len(feats)), key=lambda i: -sum(a * b for a, b in zip(w, feats[i], strict=True)))
        found += sum(1 for i in order[:k] if labels[i])
        total += sum(labels)
    return found / (total or 1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--index-dir", type=Path, help="reuse (or create) the laws index here")
    ap.add_argument("--cv", action="store_true", help="also print the fold-wise estimate")
    args = ap.parse_args(argv)
    train = training_questions(args.corpus)
    wanted = {(r["doc_id"], r["article"]) for q in train for r in q["relevant"] if r.get("article")}
    words = article_words(args.corpus, wanted)
    with tempfile.TemporaryDirectory() as tmp:
        backend, _ = build_index(args.corpus, args.index_dir or Path(tmp))
        by_fold: dict[int, dict[object, Example]] = {}
        for f in range(FOLDS):
            learned = learn_lexicon([q for q in train if fold_of(q["qid"]) != f], words, **DEFAULTS)
            lexicon._lexicon = lambda m=learned: m  # type: ignore[assignment]  # this fold's term map
            by_fold[f] = examples(backend, [q for q in train if fold_of(q["qid"]) == f])
        backend.close()
    if args.cv:
        for k in (10, 100):
            est = [recall(list(by_fold[f].values()),
                          fit([e for g in by_fold if g != f for e in by_fold[g].values()]), k) for f in range(FOLDS)]
            print(f"fold-wise share of candidate relevant articles in the first {k}: "
                  + ", ".join(f"{x:.4f}" for x in est))
    w = fit([e for g in by_fold for e in by_fold[g].values()])
    print("ARTICLE_RANK_WEIGHTS = (" + ", ".join(f"{x / w[0]:.4f}" for x in w) + ")")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
