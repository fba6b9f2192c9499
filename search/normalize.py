"""One normal form for indexed text and queries, so that spelling variants meet.

Everything that is indexed and everything that is searched goes through :func:`normalize`, which is
character-to-character where it matters: NFKC (full-width → half-width, compatibility forms), traditional
→ simplified Chinese, Latin lower case, and every 文号 bracket variant (〔〕 [] （） 【】 ［］) folded to one
pair. Traditional→simplified uses OpenCC's character table through ``str.translate``: the phrase-level
converter is far too slow for indexing hundreds of megabytes, and for a character-bigram index the
character mapping applied identically to both sides is what makes 規範性文件 meet 规范性文件.

:func:`normalize_with_offsets` keeps, for every normalised character, the offset of the original character
it came from; snippets are cut from the original text using it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

# The CJK ranges of search.tokenize (kept here so that normalize does not import the tokenizer).
CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_OPEN = "〔[（(【［〖｛{"
_CLOSE = "〕]）)】］〗｝}"


@lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    """Character map from OpenCC's TSCharacters dictionary (first candidate of each entry)."""
    table: dict[int, str] = {}
    try:
        import opencc  # opencc-python-reimplemented ships the dictionaries as text files

        path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
        lines = path.read_text(encoding="utf-8").splitlines()
    except (ImportError, OSError):  # pragma: no cover - the dependency is declared
        return table
    for line in lines:
        parts = line.split("\t")
        if len(parts) == 2 and len(parts[0]) == 1:
            target = parts[1].split(" ")[0]
            if len(target) == 1 and target != parts[0]:
                table[ord(parts[0])] = target
    return table


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    """t2s plus bracket folding plus a few NFKC leftovers (ideographic space, dashes)."""
    table = dict(_t2s_table())
    for ch in _OPEN:
        table[ord(ch)] = "〔"
    for ch in _CLOSE:
        table[ord(ch)] = "〕"
    table[0x3000] = " "
    for dash in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63":
        table[ord(dash)] = "-"
    return table


@lru_cache(maxsize=1)
def _mapped_chars() -> frozenset[str]:
    return frozenset(chr(c) for c in _table())


def _translate(text: str) -> str:
    """Apply the table only when a mapped character occurs: most texts have none, and a set test is cheap."""
    if _mapped_chars().isdisjoint(text):
        return text
    return text.translate(_table())


def normalize_whole(text: str) -> str:
    """The definition of the normal form: NFKC, then the character table, then lower case."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _translate(text).lower()


# Per character: its normal form when that does not depend on its neighbours, else None. Grows with the
# characters met (a few thousand in practice).
_FORMS: dict[str, str | None] = {}


@lru_cache(maxsize=1)
def _odd_chars() -> re.Pattern[str]:
    """Characters that may not be their own normal form: all but the CJK unified ideographs outside the
    traditional→simplified table and the ASCII that neither case nor bracket folding touches."""
    traditional = "".join(chr(c) for c in sorted(_table()) if 0x4E00 <= c <= 0x9FFF)
    return re.compile(r"[^\u4e00-\u9fff\t\n\r\x20-\x27\x2a-\x40\x5c\x5e-\x7a\x7c\x7e]|[" + traditional + "]")


def _composes(text: str) -> bool:
    """True if a character of ``text`` can combine with a neighbour under NFKC or lower case: marks,
    Hangul jamo, and sigma (whose lower case depends on the position in the word)."""
    for c in text:
        o = ord(c)
        if (unicodedata.combining(c) or unicodedata.category(c).startswith("M") or 0x1100 <= o <= 0x11FF
                or 0xA960 <= o <= 0xA97F or 0xD7B0 <= o <= 0xD7FF or c in "Σσς"):
            return True
    return False


def _char_form(ch: str) -> str | None:
    if _composes(ch):
        return None
    form = normalize_whole(ch)  # the table and lower case neither add nor remove marks, jamo or sigma
    return None if _composes(form) else form


def normalize(text: str) -> str:
    """Normal form used for indexing and querying (not length-preserving; see normalize_with_offsets).

    Equal to :func:`normalize_whole`, computed from the few characters that can change (one regular
    expression scan finds them; their forms are cached): NFKC is slow on Chinese text, as full-width
    punctuation defeats its quick check, which made normalising a snippet's text cost more than finding
    its matches (docs/benchmarks.md). A text with a character whose form depends on its neighbours
    (combining marks, jamo, sigma) takes the whole-text path.
    """
    odd = _odd_chars().findall(text)
    if not odd:
        return text
    changes: dict[str, str] = {}
    for ch in set(odd):
        if ch not in _FORMS:
            _FORMS[ch] = _char_form(ch)
        form = _FORMS[ch]
        if form is None:
            return normalize_whole(text)
        if form != ch:
            changes[ch] = form
    if not changes:
        return text
    if any(c in changes for form in changes.values() for c in form):  # replacing in turn would chain
        return text.translate({ord(ch): form for ch, form in changes.items()})
    for ch, form in changes.items():
        text = text.replace(ch, form)
    return text


def normalize_char(ch: str) -> str:
    """Normal form of one character; may be empty or longer than one character (㈠ → (一))."""
    return unicodedata.normalize("NFKC", ch).translate(_table()).lower()


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalised text and, per normalised character, the index of the original character it came from.

    Normalising character by character differs from whole-string NFKC only for combining sequences,
    which do not occur in Chinese administrative texts; the trade buys an exact way back to the original.
    """
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii() and not ch.isupper():
            n = ch if ch not in "[]()" else ("〔" if ch in "[(" else "〕")
        else:
            n = normalize_char(ch)
        out.append(n)
        offsets.extend([i] * len(n))
    return "".join(out), offsets


_SEPARATOR = re.compile(rf"[^{CJK_RANGES}\w]|_")


def is_separator(ch: str) -> bool:
    """True for a character that ends a run (punctuation, space, underscore)."""
    return _SEPARATOR.fullmatch(ch) is not None
