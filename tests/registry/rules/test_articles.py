"""Which articles a partial invalidity names, however the numbers are written, and an article's own status."""

from __future__ import annotations

from datetime import date

import pytest

from registry.rules.articles import article_key, article_status, named_articles


@pytest.mark.parametrize(("provisions", "keys"), [
    (["第三条", " 第五条"], [(3, 0), (5, 0)]),
    ("第3条、第十二条之一", [(3, 0), (12, 1)]),
    ("第三条至第五条", [(3, 0), (4, 0), (5, 0)]),
    ("第一百零二条，第一百零二条", [(102, 0)]),
    ("见目录说明", []),
    ("第九条至第一条", [(9, 0), (1, 0)]),  # a reversed range is not expanded; both labels still count
])
def test_named_articles_are_read_by_number(provisions: object, keys: list[tuple[int, int]]) -> None:
    assert [k for _, k in named_articles(provisions)] == keys


def test_an_article_label_and_a_cross_reference_differ() -> None:
    assert article_key("第十二条") == article_key("第12条") == (12, 0)
    assert article_key("第三条规定的") is None


def test_an_article_is_invalid_from_its_day_and_in_force_before_it() -> None:
    day = date(2025, 7, 1)
    assert article_status("partially_invalid", day, date(2025, 6, 30)) == "in_force"
    assert article_status("partially_invalid", day, day) == "invalid"
    assert article_status("repealed", None, day) == "repealed"
