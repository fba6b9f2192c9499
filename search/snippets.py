"""Snippets: a window of the original text with the query's matches wrapped in <mark>.

Matching runs on the normalised text (so 規範 in the document is marked for a query 规范), and the
marks are mapped back to the original characters through :func:`normalize_with_offsets`. The output
is HTML-escaped except for the <mark> tags this module adds; nothing from the document or the query is
ever emitted unescaped. Snippets are built only for the hits of the returned page.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from html import escape

from search.normalize import normalize, normalize_with_offsets

WINDOW = 110
MAX_SCAN = 60_000
_SPACES = re.compile(r"\s+")


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
        positions = [i for i, flag in enumerate(covered) if flag]
        best = 0
        # Candidate windows open a little before a marked run, so the reader sees its context.
        for p in positions:
            if p > 0 and covered[p - 1]:
                continue
            s = max(0, min(p - 10, n - window))
            count = bisect_left(positions, s + window) - bisect_left(positions, s)
            if count > best:
                best, start = count, s
    end = min(n, start + window)
    parts: list[str] = ["…" if start > 0 else ""]
    i = start
    while i < end:
        j = i
        flag = covered[i]
        while j < end and covered[j] == flag:
            j += 1
        chunk = escape(_SPACES.sub(" ", original[i:j]), quote=True)
        parts.append(f"<mark>{chunk}</mark>" if flag else chunk)
        i = j
    if end < n:
        parts.append("…")
    return "".join(parts)
