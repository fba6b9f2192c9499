"""Snippets: a window of the original text with the query's matches wrapped in <mark>.

Matching runs on the normalised text (so 規範 in the document is marked for a query 规范), and the
marks are mapped back to the original characters through :func:`normalize_with_offsets`. The output
is HTML-escaped except for the <mark> tags this module adds; nothing from the document or the query is
ever emitted unescaped. Snippets are built only for the hits of the returned page.
"""

from __future__ import annotations

import re
from html import escape

from search.normalize import normalize, normalize_with_offsets

WINDOW = 110
MAX_SCAN = 60_000
_SPACES = re.compile(r"\s+")
_MARKED = re.compile(b"\x01+")  # a run of marked characters in the coverage array


def _marks(norm: str, terms: list[str]) -> bytearray:
    covered = bytearray(len(norm))
    for term in terms:
        if not term:
            continue
        start = norm.find(term)
        while start != -1:
            covered[start : start + len(term)] = b"\x01" * len(term)
            start = norm.find(term, start + 1)
    return covered


def make_snippet(text: str, terms: list[str], window: int = WINDOW) -> str:
    """The best window of ``text`` (most marked characters) with marks; the text's start when none match."""
    original = text[:MAX_SCAN]
    norm = normalize(original)
    if len(norm) == len(original):
        covered = _marks(norm, sorted(set(terms), key=len, reverse=True))
    else:  # some character changed length under NFKC: map back one character at a time
        norm, offsets = normalize_with_offsets(original)
        covered_norm = _marks(norm, sorted(set(terms), key=len, reverse=True))
        covered = bytearray(len(original))
        for i, flag in enumerate(covered_norm):
            if flag:
                covered[offsets[i]] = 1
    n = len(original)
    start = 0
    if n > window:
        best = 0
        # Candidate windows open a little before a marked run, so the reader sees its context.
        for run in _MARKED.finditer(covered):
            s = max(0, min(run.start() - 10, n - window))
            count = covered.count(1, s, s + window)
            if count > best:
                best, start = count, s
    end = min(n, start + window)
    parts: list[str] = ["…" if start > 0 else ""]
    i = start
    for run in _MARKED.finditer(covered, start, end):
        a, b = run.span()
        if a > i:
            parts.append(_escaped(original[i:a]))
        parts.append(f"<mark>{_escaped(original[a:b])}</mark>")
        i = b
    if i < end:
        parts.append(_escaped(original[i:end]))
    if end < n:
        parts.append("…")
    return "".join(parts)


def without_label(text: str, label: str | None) -> str:
    """An article's text without the label it opens with (第十二条), which a hit shows on its own.

    Hits name their article (``SearchHit.article``) and pages and the widget print that name before the
    snippet; a snippet cut from the article's start would repeat it ("第一条 第一条 …"). Text that does
    not open with the label is returned unchanged.
    """
    if label and text.startswith(label):
        rest = text[len(label):]
        stripped = rest.lstrip(" \u3000\t\r\n:：")
        if stripped and stripped != rest:
            return stripped
    return text


def _escaped(chunk: str) -> str:
    return escape(_SPACES.sub(" ", chunk), quote=True)
