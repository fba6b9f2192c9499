"""Normalised character bigrams: the unit of the embedded index.

Word segmentation (jieba, Meilisearch's charabia) misses sub-word matches: 行政处罚 inside 行政处罚法, or a
two-character query that the segmenter glued to its neighbour. Bigrams over normalised text find every
substring of two or more characters: a query run of k units is the phrase of its k-1 bigrams at
consecutive positions.

A *unit* is one CJK character or one Latin/digit word; a *run* is a maximal sequence of adjacent units
(punctuation and spaces end a run). For each run the stream gets its bigrams, then the last unit alone, so
a one-unit query (法, or a Latin word) is answered by the terms starting with it. Latin and digit words
are also written to a separate word stream, where prefix and typo-tolerant queries run.

Index-time tokenisation must be fast (hundreds of megabytes): pure-CJK runs, by far the most common, are
handled with C-level string operations; mixed runs fall back to a regular expression.
"""

from __future__ import annotations

import itertools
import re
from operator import add

from search.normalize import CJK_RANGES, is_separator, normalize

CJK = CJK_RANGES
_PURE_CJK = re.compile(rf"[{CJK}]+\Z")
_UNIT = re.compile(rf"[{CJK}]|[^\W_{CJK}]+")
_RUN_SPLIT = re.compile(rf"[^{CJK}\w]+|_+")
_WORD = re.compile(rf"[^\W_{CJK}]+")
_NON_CJK = re.compile(rf"[^{CJK}]+")
_DROP_AFTER_SEPARATOR = re.compile("\x00 \x00. ", re.S)


def units(run: str) -> list[str]:
    """Units of one run: CJK characters one by one, Latin/digit words whole."""
    if _PURE_CJK.match(run):
        return list(run)
    return _UNIT.findall(run)


def runs(normalized: str) -> list[str]:
    """Runs of a normalised text (punctuation and whitespace removed)."""
    return [r for r in _RUN_SPLIT.split(normalized) if r]


def _join(a: str, b: str) -> str:
    # Two Latin/digit words keep a separator so that "a bc" and "ab c" stay distinct terms.
    if a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return f"{a}_{b}"
    return a + b


def run_bigrams(us: list[str]) -> list[str]:
    """The bigram terms of one run of units (no trailing unigram): what a query phrase uses."""
    return [_join(a, b) for a, b in itertools.pairwise(us)]


def index_stream(normalized: str) -> str:
    """Space-separated token stream of an already normalised text, for tantivy's whitespace tokenizer.

    Most of a Chinese text is runs of CJK characters; they go through :func:`_cjk_stream`, which builds
    all bigrams with a few C-level passes. Runs holding a Latin or digit word (units longer than one
    character) go through :func:`_runs_stream`. Both give exactly the stream the definition above asks for.
    """
    parts: list[str] = []
    pos, n = 0, len(normalized)
    for m in _WORD.finditer(normalized):
        if m.start() < pos:
            continue
        start, end = m.start(), m.end()
        while start > pos and not is_separator(normalized[start - 1]):
            start -= 1
        while end < n and not is_separator(normalized[end]):
            end += 1
        if start > pos:
            parts.append(_cjk_stream(normalized[pos:start]))
        parts.append(_runs_stream(normalized[start:end]))
        pos = end
    if pos < n:
        parts.append(_cjk_stream(normalized[pos:]))
    return " ".join(p for p in parts if p)


def _cjk_stream(text: str) -> str:
    """Stream of a text whose runs are pure CJK: every character paired with the next in one strided copy.

    Separators become NUL; the pair (c, NUL) is the unigram that ends a run, pairs (NUL, c) are dropped.
    Characters outside the Basic Multilingual Plane (rare extension ideographs) take the general path.
    """
    t = _NON_CJK.sub("\x00", text).strip("\x00")
    if not t:
        return ""
    t += "\x00"
    raw = t.encode("utf-16-le")
    if len(raw) != 2 * len(t):
        return _runs_stream(text)
    pairs = len(t) - 1
    out = bytearray(6 * pairs)  # per pair: first character, second character, space (UTF-16 units)
    out[0::6] = raw[0:-2:2]
    out[1::6] = raw[1:-2:2]
    out[2::6] = raw[2::2]
    out[3::6] = raw[3::2]
    out[4::6] = b" " * pairs
    return _DROP_AFTER_SEPARATOR.sub(" ", out.decode("utf-16-le"))[:-2]


def _runs_stream(normalized: str) -> str:
    """The stream run by run (any text; the reference definition)."""
    parts: list[str] = []
    for run in _RUN_SPLIT.split(normalized):
        if not run:
            continue
        if _PURE_CJK.match(run):
            if len(run) > 1:
                parts.append(" ".join(map(add, run, run[1:])))
            parts.append(run[-1])
        else:
            us = _UNIT.findall(run)
            if not us:
                continue
            parts.extend(run_bigrams(us))
            parts.append(us[-1])
    return " ".join(parts)


def word_stream(normalized: str) -> str:
    """Latin and digit words of a normalised text, space-separated (prefix and typo-tolerant search)."""
    return " ".join(_WORD.findall(normalized))


def tokens_for_query_run(run: str) -> list[str]:
    """Bigrams for a run of two or more units; the single unit otherwise."""
    us = units(run)
    if len(us) <= 1:
        return us
    return run_bigrams(us)


def text_stream(text: str) -> str:
    """Normalise then tokenise: the convenience used by tests and small fields."""
    return index_stream(normalize(text))

