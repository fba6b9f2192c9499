"""Which articles a partial invalidity names, and the status of one article on a day. Pure rules.

A partial invalidity says which provisions no longer apply in ``payload.provisions``: a list of labels
(``["第三条", "第五条"]``, as the workspace sends) or one text (``第三条、第五条``, ``第3条至第5条``, as a
catalog's note reads). Labels are compared by number (第十二条 = 第12条, 第五条之一 is its own), so how
the number was written never matters.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ingest.numerals import CN_NUMERAL_CHARS, cn_to_int

ArticleKey = tuple[int, int]  # (number, sub-number of 之N or 0)

_NUM = rf"[{CN_NUMERAL_CHARS}\d０-９]+"
_LABEL = re.compile(rf"第({_NUM})条(?:之({_NUM}))?")
_RANGE = re.compile(rf"第({_NUM})条\s*(?:至|到|~|～|-|—)\s*第?({_NUM})条")
MAX_RANGE = 500  # a range wider than this is a typo, not a decision


def article_key(label: str) -> ArticleKey | None:
    """The number of an article label (第十二条 → (12, 0), 第五条之一 → (5, 1)); None if it is not one."""
    m = _LABEL.fullmatch(label.strip())
    if not m:
        return None
    n = cn_to_int(m.group(1))
    sub = cn_to_int(m.group(2)) if m.group(2) else 0
    return (n, sub or 0) if n is not None else None


def named_articles(provisions: Any) -> list[tuple[str, ArticleKey]]:
    """The articles ``provisions`` names, as (label as written, key), in order, each once.

    Ranges (第三条至第五条) are expanded; text that names no article (见目录说明) gives an empty list.
    """
    texts = [str(p) for p in provisions] if isinstance(provisions, list | tuple) else [str(provisions or "")]
    out: dict[ArticleKey, str] = {}
    for text in texts:
        covered: list[tuple[int, int]] = []
        for m in _RANGE.finditer(text):
            lo, hi = cn_to_int(m.group(1)), cn_to_int(m.group(2))
            if lo is None or hi is None or not 0 < hi - lo <= MAX_RANGE:
                continue
            covered.append(m.span())
            for n in range(lo, hi + 1):
                out.setdefault((n, 0), f"第{n}条")
        for m in _LABEL.finditer(text):
            if any(a <= m.start() < b for a, b in covered) and not m.group(2):
                continue
            key = article_key(m.group(0))
            if key is not None:
                out.setdefault(key, m.group(0))
    return [(label, key) for key, label in out.items()]


def article_status(document_status: str, void_from: date | None, today: date) -> str:
    """An article's own status on ``today``: ``invalid`` once it lost effect; the articles left of a
    partially invalid document are ``in_force``; otherwise the document's status."""
    if void_from is not None and void_from <= today:
        return "invalid"
    if document_status == "partially_invalid":
        return "in_force"
    return document_status
