"""Normalisation, tokenisation and query plans: the pieces both backends share."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from search.normalize import normalize, normalize_whole, normalize_with_offsets
from search.query import plan_query
from search.snippets import make_snippet
from search.tokenize import text_stream


def test_normalize_folds_width_script_case_and_brackets() -> None:
    assert normalize("ＡＢＣ１２３") == "abc123"
    assert normalize("規範性文件") == "规范性文件"
    assert {normalize(f"浙政办发{o}2016{c}85号") for o, c in ["〔〕", "[]", "（）", "【】", "［］", "()"]} == {
        "浙政办发〔2016〕85号"}


# Characters whose normal form depends on their neighbours (combining marks, jamo, sigma) or that change
# under NFKC, the traditional→simplified table, case or bracket folding, among plain Chinese and ASCII.
_TRICKY = list("ΑΣσς가각ㄱㅏㄳᄀ\u1161\u11a8，。；：（）［］｛｝()[]{}ＡＢｃ１①㈠ﬁİéǆǅ　ｶﾞ\uff9e\u3099\u0301\u0308"
               "規範規范规范性文件行政处罚 aZ\t\n\u00a0\u2014")


@settings(max_examples=400)
@given(st.text(st.one_of(st.sampled_from(_TRICKY), st.characters()), max_size=12))
@example("ΟΔΟΣ ΑΣ")  # final sigma
@example("ㄱㅏ")  # compatibility jamo that compose once NFKC has mapped them
@example("가\u11a8")  # a syllable and a trailing jamo
@example("e\u0301ｶﾞ")  # combining marks, half-width voiced mark
def test_normalize_equals_its_whole_text_definition(text: str) -> None:
    assert normalize(text) == normalize_whole(text)


def test_offsets_point_back_to_original_characters() -> None:
    norm, offsets = normalize_with_offsets("㈠規範")
    assert norm == "〔一〕规范" and offsets == [0, 0, 0, 1, 2]


def test_bigram_stream_keeps_runs_apart() -> None:
    assert text_stream("行政处罚，GDP增长") == "行政 政处 处罚 罚 gdp增 增长 长"


def test_short_keywords_mean_all_terms() -> None:
    plan = plan_query("备案审查 2016")
    assert plan.mode == "all" and [c.runs for c in plan.required] == [["备案审查"], ["2016"]]


def test_questions_drop_stop_phrases() -> None:
    plan = plan_query("申请政府信息公开以后多少天内必须答复？")
    assert plan.mode == "best"
    assert "答复" in plan.terms and not any("多少" in t or "必须" in t for t in plan.terms)


def test_a_fragment_around_a_question_word_is_searched_as_typed() -> None:
    """Rule: without a question mark, text whose question words leave no piece of two characters is a
    piece of text looked for as written (于如何 is part of 关于如何确定…, 出是否承 of 作出是否承认…), not a
    question reduced to 于 or to 出 and 承."""
    for fragment in ("于如何", "是否", "如何", "出是否承", "为何以及如"):
        plan = plan_query(fragment)
        assert plan.mode == "all" and [c.runs for c in plan.required] == [[fragment]], fragment
    assert plan_query("如何？").mode == "best"
    assert plan_query("如何申请").mode == "best"
    assert plan_query("出是否承认").terms == ["承认"]  # one piece of two characters left: a question


def test_quotes_exclusions_and_book_titles() -> None:
    plan = plan_query('"行政处罚" -废止 《民法典》')
    assert [c.runs for c in plan.excluded] == [["废止"]]
    assert ["行政处罚"] in [c.runs for c in plan.required]
    assert plan.law_names == ["民法典"]


def test_operators_are_plain_text() -> None:
    plan = plan_query("a AND b* NEAR(c) title:d")
    assert all(r.isalnum() for c in plan.required for r in c.runs)


def test_keyword_query_relaxes_to_best_match() -> None:
    relaxed = plan_query("备案审查规定 不存在").relaxed()
    assert relaxed.mode == "best" and relaxed.fell_back and "备案" in relaxed.terms


def test_snippet_marks_original_text_and_escapes() -> None:
    s = make_snippet("為了<b>規範</b>行政", ["规范"])
    assert s == "為了&lt;b&gt;<mark>規範</mark>&lt;/b&gt;行政"
