"""Article numbers read from basis citations, and basis groups joined across article lists."""

from __future__ import annotations

from pathlib import Path

import pytest

import ingest
from ingest.metadata.citations import article_list, cited_articles, int_to_cn


@pytest.mark.parametrize(("n", "label"), [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (101, "一百零一"),
                                          (110, "一百一十"), (1260, "一千二百六十"), (2005, "二千零五")])
def test_int_to_cn_writes_numbers_as_laws_number_articles(n: int, label: str) -> None:
    assert int_to_cn(n) == label


def test_ranges_lists_and_sub_articles_are_expanded_in_order() -> None:
    assert article_list("第十二条至第十五条、第二十条规定的") == ["第十二条", "第十三条", "第十四条", "第十五条", "第二十条"]
    assert article_list("第3条、第十条之一和第一百零五条第二款第（一）项") == ["第三条", "第十条之一", "第一百零五条"]
    assert article_list("的规定，第三条") == []


def test_articles_are_read_after_the_named_title_only() -> None:
    sentence = "依据《中华人民共和国广告法》（主席令第22号）第十二条和《行政处罚法》第三十九条，制定本办法。"
    assert cited_articles(sentence, "中华人民共和国广告法") == ["第十二条"]
    assert cited_articles(sentence, "行政处罚法") == ["第三十九条"]
    assert cited_articles(sentence, "不存在法") == []


def test_a_basis_group_continues_across_the_articles_of_the_first_citation(tmp_path: Path) -> None:
    path = tmp_path / "measures.txt"
    path.write_text("某市户外广告设置管理办法\n\n第一条 根据《中华人民共和国广告法》第十二条至第十五条、第二十条和"
                    "《行政处罚法》，制定本办法。\n", encoding="utf-8")
    doc = ingest.extract(path)
    assert [(r.kind, r.target_title) for r in doc.references] == [
        ("based_on", "中华人民共和国广告法"), ("based_on", "行政处罚法")]
