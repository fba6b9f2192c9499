"""The diff of two texts: formatting never shows as a change, renumbered articles are moved, and on real
amended laws from the corpus exactly the changed articles are listed (decided by an independent rule)."""

from __future__ import annotations

import re
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.rules.textdiff import Unit, char_ops, diff_texts, diff_units, same_text
from tests.support.law_pairs import expected_changes, law_version

DEMO = Path(__file__).resolve().parents[3] / "registry" / "demo" / "documents"
# Real sentences of normative documents (the demo documents in the repository), one per item.
SENTENCES = [s for f in sorted(DEMO.glob("*.txt")) for s in re.split(r"(?<=[。；])", f.read_text(encoding="utf-8"))
             if 8 <= len(s.strip()) <= 120]
_S2T = opencc.OpenCC("s2t")
_WIDE = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}
_NARROW = {v: k for k, v in _WIDE.items()}


def _reformat(text: str, data: st.DataObject) -> str:
    """The same text as another publisher might print it: traditional script, other widths, 、 for ，, spaces."""
    if data.draw(st.booleans(), label="traditional"):
        text = _S2T.convert(text)
    width = data.draw(st.sampled_from(["wide", "narrow", "keep"]), label="width")
    if width != "keep":
        table = _WIDE if width == "wide" else _NARROW
        text = "".join(table.get(c, c) for c in text)
    if data.draw(st.booleans(), label="commas"):
        text = text.replace("，", "、") if "，" in text else text.replace("、", "，")
    out = []
    for ch in text:
        out.append(ch)
        if data.draw(st.integers(0, 9), label="space") == 0:
            out.append(data.draw(st.sampled_from([" ", "\u3000", "\n", "\t", "  "])))
    return "".join(out)


def test_the_sample_sentences_are_real() -> None:
    assert len(SENTENCES) > 50


@settings(max_examples=150, deadline=None)
@given(data=st.data(), picks=st.lists(st.integers(0, 10**6), min_size=1, max_size=6))
def test_formatting_variants_are_never_changes(data: st.DataObject, picks: list[int]) -> None:
    old = [Unit(f"第{n + 1}条", SENTENCES[p % len(SENTENCES)]) for n, p in enumerate(picks)]
    new = [Unit(u.number, _reformat(u.body, data)) for u in old]
    result = diff_units(old, new)
    assert result.summary["unchanged"] == len(old), [(a.status, a.old_text, a.new_text) for a in result.changed]
    assert all(op.op == "equal" for u, v in zip(old, new, strict=True) for op in char_ops(u.body, v.body))


@settings(max_examples=60, deadline=None)
@given(data=st.data(), pick=st.integers(0, 10**6), where=st.integers(0, 10**6))
def test_one_real_change_is_found_and_marked_in_the_original_text(data: st.DataObject, pick: int, where: int) -> None:
    body = SENTENCES[pick % len(SENTENCES)]
    at = where % (len(body) + 1)
    changed = _reformat(body[:at] + "不得" + body[at:], data)
    assert not same_text(body, changed)
    result = diff_units([Unit("第一条", body)], [Unit("第一条", changed)])
    assert [a.status for a in result.articles] == ["changed"]
    inserted = "".join(op.new for op in result.articles[0].ops if op.op in ("insert", "replace"))
    assert "不" in inserted or "得" in inserted or "不" in _S2T.convert(inserted)
    assert "".join(op.new for op in result.articles[0].ops) == changed  # every piece is cut from the original


def test_a_deleted_article_renumbers_the_rest_as_moved_not_deleted_and_inserted() -> None:
    bodies = SENTENCES[:8]
    old = [Unit(f"第{i + 1}条", b) for i, b in enumerate(bodies)]
    new = [Unit(f"第{i + 1}条", b) for i, b in enumerate(bodies[:2] + bodies[3:])]  # the third article repealed
    new[4] = Unit(new[4].number, new[4].body + "（有修改）")
    result = diff_units(old, new)
    assert result.summary == {"unchanged": 2, "changed": 1, "moved": 4, "inserted": 0, "deleted": 1}
    moved = [(a.old_number, a.new_number) for a in result.articles if a.status == "moved"]
    assert moved == [("第4条", "第3条"), ("第5条", "第4条"), ("第7条", "第6条"), ("第8条", "第7条")]
    changed = next(a for a in result.articles if a.status == "changed")
    assert (changed.old_number, changed.new_number, changed.renumbered) == ("第6条", "第5条", True)
    assert [a.status for a in result.articles][:4] == ["unchanged", "unchanged", "deleted", "moved"]  # reading order


# Real consecutive versions of laws in the corpus (the catalog holds each as its own row).
PAIRS = [("中华人民共和国广告法", "2015-04-24", "2018-10-26"),
         ("中华人民共和国食品安全法", "2018-12-29", "2021-04-29"),
         ("中华人民共和国消防法", "2019-04-23", "2021-04-29")]


@pytest.mark.parametrize(("title", "before", "after"), PAIRS)
def test_a_real_amendment_lists_exactly_the_changed_articles(title: str, before: str, after: str) -> None:
    old, new = law_version(title, before), law_version(title, after)
    expected = expected_changes(old, new)
    assert expected, "the pair must be one without renumbering and with changes"
    result = diff_units([Unit(n, b) for n, b in old.articles], [Unit(n, b) for n, b in new.articles])
    assert {a.new_number for a in result.changed} == expected
    assert all(a.status == "changed" and not a.renumbered for a in result.changed)
    assert result.summary["unchanged"] == len(old.articles) - len(expected)


def test_a_real_amendment_that_repeals_an_article_reports_the_renumbered_ones_as_moved() -> None:
    # the 2021 amendment of the advertising law deleted an article: the ones after it moved up by one
    old, new = law_version("中华人民共和国广告法", "2018-10-26"), law_version("中华人民共和国广告法", "2021-04-29")
    result = diff_units([Unit(n, b) for n, b in old.articles], [Unit(n, b) for n, b in new.articles])
    s = result.summary
    assert s["deleted"] == len(old.articles) - len(new.articles) + s["inserted"] >= 1
    assert s["moved"] >= 10 and s["inserted"] == 0
    for a in result.articles:
        if a.status == "moved":
            assert same_text(dict(old.articles)[a.old_number], dict(new.articles)[a.new_number])
    assert s["unchanged"] + s["changed"] + s["moved"] + s["inserted"] == len(new.articles)


def test_texts_without_articles_are_compared_as_one_unit() -> None:
    old = "各县（市、区）人民政府：\n现将有关事项通知如下，请认真贯彻执行。"
    assert diff_texts(old, _S2T.convert(old).replace("，", "、") + "  \n").summary["unchanged"] == 1
    result = diff_texts(old, old.replace("认真", "结合实际认真"))
    [article] = result.articles
    assert (article.status, article.old_number) == ("changed", "全文")
    assert [(o.op, o.new) for o in article.ops if o.op != "equal"] == [("insert", "结合实际")]
