"""The learner of article mode's weights (scripts/learn_article_ranking.py) finds the evidence that separates
relevant candidates, and its recall counts what it ranks."""

from __future__ import annotations

import random

from scripts.learn_article_ranking import fit, recall
from search.embedded.article_features import FEATURES


def _questions(decisive: int, n: int = 60, seed: int = 5) -> list[tuple[list[tuple[float, ...]], list[bool]]]:
    """Questions whose one relevant candidate is the one with the highest value of feature ``decisive``; the
    other features are noise."""
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        feats = [tuple(rnd.random() for _ in FEATURES) for _ in range(40)]
        best = max(range(len(feats)), key=lambda i: feats[i][decisive])
        out.append((feats, [i == best for i in range(len(feats))]))
    return out


def test_the_fitted_weights_put_most_weight_on_the_feature_that_decides_relevance() -> None:
    decisive = FEATURES.index("doc_matches")
    w = fit(_questions(decisive), epochs=5)
    assert max(range(len(w)), key=lambda i: w[i]) == decisive
    held_out = _questions(decisive, seed=9)
    # chance of ranking the relevant one of 40 first is 1/40: the fitted weights do so for most unseen
    # questions, the own score alone (noise here) about as often as chance
    assert recall(held_out, w, 1) > 0.5
    assert recall(held_out, [1.0] + [0.0] * (len(FEATURES) - 1), 1) < 0.2
