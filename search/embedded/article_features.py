"""What article mode knows about each candidate article, and the learned weights that turn it into a score.

A candidate is an article of the articles index matching the question: its own BM25 (field weights and
the document's validity prior included) and its document's place in the document ranking. Eight features
describe it, each in [0, 1] or close, none naming a law, an article or a question:

0. its score against the best candidate's;
1. its document's final document-mode score against the best document's (0 outside the PRIOR_DOCS best);
2. 1 / (1 + its document's rank) (0 outside them);
3. 1 / (1 + its rank among all candidates by its own score);
4. 1 / (1 + its rank among its own document's candidates);
5. its score against the best of its own document's candidates;
6. ln(1 + its document's number of candidates) / 5: how much of the law matches;
7. 1 when it is among the ARTICLE_POOL best by its own score.

The score is the weighted sum (:data:`ARTICLE_RANK_WEIGHTS`). The weights are learned from the training part
of the STARD questions only (``bench/splits.py``), by ``scripts/learn_article_ranking.py``: pairwise logistic
regression, each relevant article against non-relevant candidates of its question. The figures, and the
cross-validation that chose this over the fixed fusion, are in docs/benchmarks.md ("Article ranking learned
from the training part").
"""

from __future__ import annotations

import math
from collections.abc import Sequence

FEATURES = ("score", "doc_score", "doc_rank", "rank", "rank_in_doc", "score_in_doc", "doc_matches", "in_pool")

#: Learned by scripts/learn_article_ranking.py on the training part (its output, scaled to a first weight of one).
ARTICLE_RANK_WEIGHTS: tuple[float, ...] = (1.0, -0.2507, 0.3340, 0.2301, 0.2624, -0.3232, 0.5303, -0.0146)


def candidate_features(scores: Sequence[float], keys: Sequence[int], doc_norm: dict[int, float],
                       doc_rank: dict[int, int], pool: int) -> list[tuple[float, ...]]:
    """The features of each candidate (``scores[i]``: its own score, ``keys[i]``: its document's key), in the
    order given. ``doc_norm`` / ``doc_rank``: normalised score and rank of the documents of the document
    ranking's best; ``pool``: how many of the best by own score form the article pool."""
    top = max(scores, default=0.0) or 1.0
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    rank = [0] * len(scores)
    rank_in_doc = [0] * len(scores)
    best: dict[int, float] = {}
    count: dict[int, int] = {}
    for r, i in enumerate(order):
        k = keys[i]
        rank[i] = r
        rank_in_doc[i] = count.get(k, 0)
        count[k] = rank_in_doc[i] + 1
        best.setdefault(k, scores[i])
    out: list[tuple[float, ...]] = []
    for i, (s, k) in enumerate(zip(scores, keys, strict=True)):
        in_docs = k in doc_rank
        out.append((s / top, doc_norm.get(k, 0.0), 1.0 / (1 + doc_rank[k]) if in_docs else 0.0,
                    1.0 / (1 + rank[i]), 1.0 / (1 + rank_in_doc[i]), s / (best[k] or 1.0),
                    math.log1p(count[k]) / 5, 1.0 if rank[i] < pool else 0.0))
    return out


def learned_score(features: Sequence[float], weights: Sequence[float] = ARTICLE_RANK_WEIGHTS) -> float:
    return sum(w * f for w, f in zip(weights, features, strict=True))


__all__ = ["ARTICLE_RANK_WEIGHTS", "FEATURES", "candidate_features", "learned_score"]
