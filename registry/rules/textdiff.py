"""Diffs of two texts that a lawyer can read: article to article, then character by character.

What this module guarantees (pure; it knows nothing of storage):

- **Formatting never shows as a change.** Both sides are compared in one normal form
  (:func:`normal_form`): NFKC (full- and half-width), traditional → simplified (OpenCC's character
  table, as search uses), 、 and ，folded to one comma, the quote variants (“” 「」 ‘’ 『』) to one pair,
  and whitespace dropped. Two articles equal in that form are *unchanged*, whatever their spacing or
  script; within a changed article only the characters that differ in that form are marked, and
  every piece shown is cut from the original text (never from the normal form).
- **Articles are aligned by content, not by number.** An amendment that inserts or deletes an article
  renumbers everything after it; an article whose text is the same under a new number is ``moved``
  (renumbered), never a deletion plus an insertion. Articles whose text changed are paired by an
  order-keeping alignment that maximises their similarity (rapidfuzz), so 第十一条 that became
  第十条 with a word changed is ``changed`` with ``renumbered`` set; an article left unpaired on both
  sides under the same number (rewritten beyond recognition) is ``changed`` too.
- Texts without articles are compared as one unit (``全文``).

Character operations come from :class:`difflib.SequenceMatcher` on the normal forms: it keeps the
longest common runs together, which reads better in Chinese than a minimal edit script that matches
every stray 的.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Literal

from rapidfuzz import fuzz

from ingest.numerals import cn_to_int
from search.normalize import normalize_with_offsets

Status = Literal["unchanged", "changed", "moved", "inserted", "deleted"]
OpKind = Literal["equal", "delete", "insert", "replace"]

#: Below this similarity (0–100, rapidfuzz ratio of the normal forms) two articles are not the same article.
MIN_SIMILARITY = 50.0
_FOLD = str.maketrans({"、": ",", "“": '"', "”": '"', "「": '"', "」": '"', "『": "'", "』": "'", "‘": "'",
                       "’": "'"})
_LABEL = re.compile(r"^\s*第([^条\s]{1,12})条(?:之([^\s\u3000]{1,6}))?")


@dataclass(frozen=True, slots=True)
class Unit:
    """One article (or the whole text) as compared: its label, its body without the label, its chapter."""

    number: str
    body: str
    chapter: str | None = None


@dataclass(frozen=True, slots=True)
class Op:
    """One piece of a within-article diff: ``old`` and ``new`` are original text (either may be empty)."""

    op: OpKind
    old: str
    new: str


@dataclass(slots=True)
class ArticleDiff:
    status: Status
    old_number: str | None
    new_number: str | None
    renumbered: bool = False
    similarity: float = 100.0
    old_text: str = ""
    new_text: str = ""
    ops: list[Op] = field(default_factory=list)


@dataclass(slots=True)
class TextDiff:
    articles: list[ArticleDiff]

    @property
    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(("unchanged", "changed", "moved", "inserted", "deleted"), 0)
        for a in self.articles:
            counts[a.status] += 1
        return counts

    @property
    def changed(self) -> list[ArticleDiff]:
        """Every article that is not unchanged, in reading order."""
        return [a for a in self.articles if a.status != "unchanged"]


def normal_form(text: str) -> tuple[str, list[int]]:
    """The text as compared, and per compared character the index of the original character it came from."""
    norm, offsets = normalize_with_offsets(text.translate(_FOLD))
    keep = [i for i, ch in enumerate(norm) if not ch.isspace()]
    return "".join(norm[i] for i in keep), [offsets[i] for i in keep]


def same_text(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ at most in formatting (see the module's normal form)."""
    return normal_form(a)[0] == normal_form(b)[0]


def article_key(number: str) -> tuple[int, int] | None:
    """(article, 之-number) of a label such as 第十条 or 第十条之一; None when it is not a label."""
    m = _LABEL.match(number)
    if m is None:
        return None
    main = cn_to_int(m.group(1))
    sub = cn_to_int(m.group(2)) if m.group(2) else 0
    return None if main is None or sub is None else (main, sub)


def body_of(text: str, number: str) -> str:
    """An article's text without its leading label (the label is compared as the number)."""
    stripped = text.lstrip()
    return stripped[len(number):].lstrip() if number and stripped.startswith(number) else text


def char_ops(old: str, new: str) -> list[Op]:
    """Character-level operations turning ``old`` into ``new``, ignoring formatting; equal runs show ``new``."""
    a, a_at = normal_form(old)
    b, b_at = normal_form(new)

    def cut(text: str, at: list[int], i: int, j: int) -> str:
        """Original text behind compared characters [i, j); skipped whitespace goes with what precedes it."""
        if i == j:
            return ""
        return text[0 if i == 0 else at[i]:len(text) if j == len(at) else at[j]]

    ops: list[Op] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        o, n = cut(old, a_at, i1, i2), cut(new, b_at, j1, j2)
        ops.append(Op(op=tag, old=o, new=n))  # type: ignore[arg-type]
    return ops


def _similarity(a: str, b: str) -> float:
    return float(fuzz.ratio(a, b))


def _align(old: list[str], new: list[str]) -> list[tuple[int, int, float]]:
    """Order-keeping pairs (i, j, similarity) maximising total similarity; pairs below the threshold are
    never made (a dynamic programme over the two lists, as in sequence alignment with free gaps)."""
    n, m = len(old), len(new)
    if not n or not m:
        return []
    sim = [[_similarity(old[i], new[j]) for j in range(m)] for i in range(n)]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below = best[i], best[i + 1]
        for j in range(m - 1, -1, -1):
            take = sim[i][j] + below[j + 1] if sim[i][j] >= MIN_SIMILARITY else -1.0
            row[j] = max(take, below[j], row[j + 1])
    pairs: list[tuple[int, int, float]] = []
    i = j = 0
    while i < n and j < m:
        if sim[i][j] >= MIN_SIMILARITY and best[i][j] == sim[i][j] + best[i + 1][j + 1]:
            pairs.append((i, j, sim[i][j]))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def diff_units(old: list[Unit], new: list[Unit]) -> TextDiff:
    """Align two lists of articles and diff each pair (see the module's guarantees)."""
    old_norm = [normal_form(u.body)[0] for u in old]
    new_norm = [normal_form(u.body)[0] for u in new]
    pair_of_old: dict[int, int] = {}
    sims: dict[int, float] = {}
    # 1. identical text: the same number first, then any free article with that text (a renumbering)
    by_text: dict[str, list[int]] = {}
    for j, text in enumerate(new_norm):
        by_text.setdefault(text, []).append(j)
    taken: set[int] = set()
    for i, text in enumerate(old_norm):
        same_number = [j for j in by_text.get(text, []) if j not in taken
                       and _same_number(old[i].number, new[j].number)]
        if same_number:
            pair_of_old[i] = same_number[0]
            taken.add(same_number[0])
    for i, text in enumerate(old_norm):
        if i in pair_of_old:
            continue
        free = [j for j in by_text.get(text, []) if j not in taken]
        if free:
            pair_of_old[i] = free[0]
            taken.add(free[0])
    # 2. the rest, by similarity, keeping their order
    rest_old = [i for i in range(len(old)) if i not in pair_of_old]
    rest_new = [j for j in range(len(new)) if j not in taken]
    for a, b, score in _align([old_norm[i] for i in rest_old], [new_norm[j] for j in rest_new]):
        pair_of_old[rest_old[a]] = rest_new[b]
        sims[rest_old[a]] = score
        taken.add(rest_new[b])
    # 3. an article rewritten beyond recognition under its own number is still that article, changed
    free_new = {article_key(new[j].number): j for j in range(len(new)) if j not in taken}
    for i in range(len(old)):
        j_same = free_new.get(article_key(old[i].number)) if i not in pair_of_old else None
        if j_same is not None and article_key(old[i].number) is not None:
            pair_of_old[i] = j_same
            sims[i] = _similarity(old_norm[i], new_norm[j_same])
            taken.add(j_same)
            del free_new[article_key(old[i].number)]

    out: list[tuple[tuple[int, int], ArticleDiff]] = []
    for i, u in enumerate(old):
        if i not in pair_of_old:
            out.append(((i, -1), ArticleDiff(status="deleted", old_number=u.number, new_number=None,
                                              similarity=0.0, old_text=u.body)))
            continue
        j = pair_of_old[i]
        v = new[j]
        renumbered = not _same_number(u.number, v.number)
        if old_norm[i] == new_norm[j]:
            status: Status = "moved" if renumbered else "unchanged"
            out.append(((j, i), ArticleDiff(status=status, old_number=u.number, new_number=v.number,
                                             renumbered=renumbered, old_text=u.body, new_text=v.body)))
        else:
            out.append(((j, i), ArticleDiff(status="changed", old_number=u.number, new_number=v.number,
                                             renumbered=renumbered, similarity=round(sims.get(i, 0.0), 1),
                                             old_text=u.body, new_text=v.body, ops=char_ops(u.body, v.body))))
    for j, v in enumerate(new):
        if j not in taken:
            out.append(((j, -1), ArticleDiff(status="inserted", old_number=None, new_number=v.number,
                                              similarity=0.0, new_text=v.body)))
    return TextDiff(articles=[d for _, d in sorted(out, key=_reading_order(out))])


def _reading_order(out: list[tuple[tuple[int, int], ArticleDiff]]
                   ) -> Callable[[tuple[tuple[int, int], ArticleDiff]], tuple[float, int]]:
    """Sort key: the new text's order; a deleted article goes right after the article before it in the old text."""
    new_pos_of_old = {key[1]: key[0] for key, d in out if d.status != "deleted" and key[1] >= 0}

    def key(item: tuple[tuple[int, int], ArticleDiff]) -> tuple[float, int]:
        (pos, _), d = item
        if d.status == "deleted":
            before = [new_pos_of_old[k] for k in new_pos_of_old if k < pos]
            return (max(before) + 0.5 if before else -0.5, pos)
        return (float(pos), 0)

    return key


def _same_number(a: str, b: str) -> bool:
    ka, kb = article_key(a), article_key(b)
    return ka == kb if ka is not None and kb is not None else normal_form(a)[0] == normal_form(b)[0]


def diff_texts(old_text: str, new_text: str) -> TextDiff:
    """Two texts without article structure, compared as one unit each."""
    return diff_units([Unit("全文", old_text)] if old_text.strip() else [],
                      [Unit("全文", new_text)] if new_text.strip() else [])
