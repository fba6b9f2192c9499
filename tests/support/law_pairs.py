"""Real amended laws from the shared corpus: the texts of one law as two consecutive versions.

The catalog lists some laws several times (one row per published version, same title). The expected
changed articles are decided here by a rule that shares nothing with ``registry.rules.textdiff``: when both
versions carry the same article labels and no article's text is as close to another label's text as to
its own (difflib ratio), nothing was renumbered, and the changed articles are those whose texts differ
after NFKC, OpenCC's phrase-level t2s, 、→，and dropping whitespace.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path

import ingest
from tests.support.corpus import corpus_path


@dataclass(frozen=True)
class LawVersion:
    title: str
    publication_date: str
    effective_date: str
    path: Path
    text: str
    articles: list[tuple[str, str]]  # (label, body without the label)


@cache
def _catalog() -> list[dict[str, str]]:
    laws = corpus_path("laws")
    return [json.loads(line) for line in (laws / "catalog.jsonl").read_text(encoding="utf-8").splitlines() if line]


def law_version(title: str, publication_date: str) -> LawVersion:
    """One catalog row's text, split into articles by the ingest library."""
    laws = corpus_path("laws")
    row = next(r for r in _catalog() if r["title"] == title and r["publication_date"] == publication_date)
    ex = ingest.extract(laws / row["file"])
    arts = []
    for a in ex.articles:
        body = a.text.lstrip()
        arts.append((a.number, body[len(a.number):].lstrip() if body.startswith(a.number) else a.text))
    return LawVersion(title, publication_date, row["effective_date"], laws / row["file"], ex.text, arts)


def _norm(text: str) -> str:
    import opencc

    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", opencc.OpenCC("t2s").convert(text).replace("、", "，")))


def _at_least(x: str, y: str, bound: float) -> bool:
    m = SequenceMatcher(None, x, y, autojunk=False)
    return m.real_quick_ratio() >= bound and m.quick_ratio() >= bound and m.ratio() >= bound


def expected_changes(old: LawVersion, new: LawVersion) -> set[str] | None:
    """Labels of the changed articles, or None when the pair may hold a renumbering (the rule does not apply)."""
    if [n for n, _ in old.articles] != [n for n, _ in new.articles]:
        return None
    a = [_norm(b) for _, b in old.articles]
    b = [_norm(x) for _, x in new.articles]
    changed = set()
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        if x == y:
            continue
        own = SequenceMatcher(None, x, y, autojunk=False).ratio()
        if x in b or y in a or any(_at_least(x, b[j], own) for j in range(len(b)) if j != i):
            return None
        changed.add(old.articles[i][0])
    return changed
