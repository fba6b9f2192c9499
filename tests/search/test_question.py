"""Question understanding: word classes, negation, the learned term map and how it was learned."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.splits import set_aside
from scripts import learn_lexicon
from search.embedded import EmbeddedBackend
from search.lexicon import LEXICON_PATH, expansions_for
from search.model import IndexDocument, SearchQuery
from search.query import plan_query
from search.question import WORD_CLASSES, content_words, negation_terms
from tests.support.corpus import corpus_path


@pytest.mark.parametrize("frame", ["{}能不能{}？", "{}可以{}吗？", "{}会不会{}？", "{}了怎么办？", "{}是否{}？"])
def test_question_frames_leave_only_the_topic(frame: str) -> None:
    plan = plan_query(frame.format("房东", "扣押金") if frame.count("{}") == 2 else frame.format("房东扣押金"))
    assert plan.mode == "best"
    joined = " ".join(plan.terms)
    assert "押金" in plan.terms and "房东" in plan.terms
    for word in ("能不", "不能", "可以", "会不", "不会", "怎么", "么办", "是否", "吗"):
        assert word not in joined, (frame, plan.terms)


def test_word_classes_are_disjoint_closed_lists() -> None:
    names = list(WORD_CLASSES)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert not WORD_CLASSES[a] & WORD_CLASSES[b], (a, b)


def test_negation_is_kept_as_the_statute_form() -> None:
    assert "未签" in negation_terms("公司没有签劳动合同")
    assert "未签" in plan_query("公司没有签劳动合同怎么办？").terms
    assert "不支" in negation_terms("单位不支付工资")
    # a negation followed by a stop word or by nothing adds nothing
    assert negation_terms("是不是") == [] and negation_terms("没有") == []


def test_content_words_leave_out_function_words_and_single_characters() -> None:
    words = content_words("我把东西借给了朋友，他不还怎么办")
    assert "东西" in words and "朋友" in words
    assert not {"我", "把", "了", "他", "怎么办", "不"} & set(words)


def test_expansions_come_from_the_map_and_are_never_key_terms() -> None:
    data = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    word, legal = next(iter(data["map"].items()))
    assert expansions_for(word) == legal
    plan = plan_query(f"{word}的问题怎么解决？")
    assert plan.expansions and not set(plan.expansions) & set(plan.terms)


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBackend]:
    data = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    word, legal = next((w, ts) for w, ts in data["map"].items() if len(w) >= 2 and ts)
    term = legal[0]
    docs = [
        IndexDocument(id="with-legal", title="甲规定", body=f"第一条 涉及{word}与{term}的处理办法。"),
        IndexDocument(id="without", title="乙规定", body=f"第一条 涉及{word}与其他事项的处理办法。"),
        IndexDocument(id="legal-only", title="丙规定", body=f"第一条 只写{term}的条文。"),
    ]
    backend = EmbeddedBackend(tmp_path_factory.mktemp("question"))
    backend.index(docs)
    backend.word = word  # type: ignore[attr-defined]
    yield backend
    backend.close()


def test_a_learned_term_lifts_the_document_that_holds_it(small_index: EmbeddedBackend) -> None:
    word = small_index.word  # type: ignore[attr-defined]
    res = small_index.search(SearchQuery(q=f"{word}应该怎么处理？", with_facets=False))
    ids = [h.id for h in res.hits]
    assert ids[:2] == ["with-legal", "without"], ids
    assert "legal-only" not in ids  # an expansion adds score, it never makes a match


@pytest.mark.corpus
@pytest.mark.slow
def test_the_map_is_what_the_script_learns_from_the_training_questions_alone() -> None:
    corpus = corpus_path("queries", "stard-train.jsonl").parents[1]
    shipped = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    assert learn_lexicon.build(corpus, **shipped["parameters"]) == shipped
    # by construction: the learner reads nothing of the set-aside questions
    train = learn_lexicon.training_questions(corpus)
    assert train and not any(set_aside(q["qid"]) for q in train)
    assert shipped["training_questions"] == len(train)


def test_set_aside_is_a_stable_quarter() -> None:
    share = sum(set_aside(i) for i in range(4000)) / 4000
    assert 0.22 < share < 0.28
    assert set_aside(12) == set_aside("12")


def test_the_map_file_names_how_it_was_built() -> None:
    data = json.loads(Path(LEXICON_PATH).read_text(encoding="utf-8"))
    assert "scripts/learn_lexicon.py" in data["about"] and set(data["parameters"]) == set(learn_lexicon.DEFAULTS)
