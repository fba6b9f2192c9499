"""Article mode's candidate features: each follows its rule, whatever the scores, and the learned weights
score every feature."""

from __future__ import annotations

import math

from search.embedded.article_features import ARTICLE_RANK_WEIGHTS, FEATURES, candidate_features, learned_score

# Five candidates of three documents (keys 1, 2, 3); documents 2 and 1 are the document ranking's best, in
# that order; document 3 is not among them.
SCORES = [4.0, 8.0, 2.0, 6.0, 1.0]
KEYS = [1, 2, 1, 3, 1]
DOC_NORM = {2: 1.0, 1: 0.5}
DOC_RANK = {2: 0, 1: 1}


def _by_name(pool: int = 2) -> list[dict[str, float]]:
    return [dict(zip(FEATURES, f, strict=True)) for f in candidate_features(SCORES, KEYS, DOC_NORM, DOC_RANK, pool)]


def test_scores_and_ranks_are_relative_to_the_best_candidate_and_to_the_best_of_its_document() -> None:
    f = _by_name()
    assert [x["score"] for x in f] == [s / 8.0 for s in SCORES]
    assert [x["rank"] for x in f] == [1 / 3, 1.0, 1 / 4, 1 / 2, 1 / 5]  # own-score ranks 2, 0, 3, 1, 4
    assert [x["rank_in_doc"] for x in f] == [1.0, 1.0, 1 / 2, 1.0, 1 / 3]  # document 1: 4.0, then 2.0, 1.0
    assert [x["score_in_doc"] for x in f] == [1.0, 1.0, 0.5, 1.0, 0.25]


def test_a_document_outside_the_document_ranking_gives_no_document_evidence() -> None:
    f = _by_name()
    assert (f[3]["doc_score"], f[3]["doc_rank"]) == (0.0, 0.0)  # key 3
    assert (f[1]["doc_score"], f[1]["doc_rank"]) == (1.0, 1.0)  # key 2, ranked first
    assert (f[0]["doc_score"], f[0]["doc_rank"]) == (0.5, 0.5)  # key 1, ranked second


def test_matches_per_document_and_the_pool_flag_follow_counts_and_own_rank() -> None:
    f = _by_name(pool=2)
    assert [x["doc_matches"] for x in f] == [math.log1p(n) / 5 for n in (3, 1, 3, 1, 3)]
    assert [x["in_pool"] for x in f] == [0.0, 1.0, 0.0, 1.0, 0.0]  # the two best by own score
    assert all(x["in_pool"] == 1.0 for x in _by_name(pool=len(SCORES)))


def test_every_feature_has_a_learned_weight_and_the_score_is_their_weighted_sum() -> None:
    assert len(ARTICLE_RANK_WEIGHTS) == len(FEATURES)
    feats = candidate_features(SCORES, KEYS, DOC_NORM, DOC_RANK, 2)
    for f in feats:
        assert math.isclose(learned_score(f), sum(w * x for w, x in zip(ARTICLE_RANK_WEIGHTS, f, strict=True)))
    assert candidate_features([], [], {}, {}, 10) == []
