"""Cited titles meet every stored version of their law; the version in force on a date is chosen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from registry.rules.law_titles import citation_key, title_keys, version_in_force


@dataclass
class V:
    name: str
    effective_date: date | None
    publication_date: date | None


def test_prefix_brackets_and_version_marks_fold_to_one_key() -> None:
    for cited in ("中华人民共和国宪法", "宪法", "《宪法》"):
        assert citation_key(cited) in title_keys("中华人民共和国宪法（2018年修正文本）")
    assert citation_key("公司法(2018年修正)") in title_keys("中华人民共和国公司法（2018年修正）")
    assert citation_key("全国人民代表大会常务委员会关于修改〈中华人民共和国会计法〉的决定") in title_keys(
        "全国人民代表大会常务委员会关于修改《中华人民共和国会计法》的决定")


def test_a_different_act_does_not_share_the_key() -> None:
    assert citation_key("刑法") not in title_keys("中华人民共和国刑法修正案（二）")
    assert citation_key("土地管理法") not in title_keys("中华人民共和国土地管理法实施条例")
    assert citation_key("民事诉讼法（试行）") not in title_keys("中华人民共和国民事诉讼法")


def test_the_version_in_force_on_the_citing_date_is_chosen() -> None:
    versions = [V("2015", date(2015, 9, 1), date(2015, 4, 24)), V("2018", date(2018, 10, 26), date(2018, 10, 26)),
                V("2021", date(2021, 4, 29), date(2021, 4, 29))]
    assert version_in_force(versions, date(2019, 1, 1)).name == "2018"  # type: ignore[union-attr]
    assert version_in_force(versions, date(2018, 10, 26)).name == "2018"  # type: ignore[union-attr]
    assert version_in_force(versions, date(2010, 1, 1)).name == "2015"  # type: ignore[union-attr]
    assert version_in_force(versions, None).name == "2021"  # type: ignore[union-attr]
    assert version_in_force([], date(2020, 1, 1)) is None
