"""Matching the rows of an office's clearing list to registry documents.

Offices type their lists by hand: 文号 with any brackets, titles without 中华人民共和国 or 《》, a character
missing or mistyped. A wrong match would put a wrong label on a document, so the rule is conservative:

- a 文号 that names exactly one document, whose title does not contradict the row, matches it;
- otherwise the title decides, compared after folding (NFKC, no 《》, one bracket form, 中华人民共和国
  optional): an identical title matches; a title one edit away matches only when it is long enough for one
  edit to be a typo (>= 5 characters) and no other document is within 2 edits of the row;
- an issuer written in the row must agree with the document's;
- anything else waits for staff with its candidates, and a row naming nothing is never matched.

Several versions of one title (an amended law) are one work here: the row is matched to the version in
force, or to the one its 文号 names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein
from sqlalchemy import select as sa_select
from sqlmodel import Session

from registry.models import Document
from registry.rules.refs import doc_number_key, title_key
from registry.rules.status import Status

PREFIX = "中华人民共和国"
MIN_FUZZY_LENGTH = 5  # a one-character difference in a shorter title is as likely another document
RUNNER_UP_DISTANCE = 3  # the next work must be at least this many edits from the row
CANDIDATE_SCORE = 60.0  # candidates shown to staff score at least this (rapidfuzz ratio)
_BRACKETS = str.maketrans({"(": "（", ")": "）", "[": "（", "]": "）", "【": "（", "】": "）", "〔": "（",
                           "〕": "）", "［": "（", "］": "）", "{": "（", "}": "）"})
_SUPERSEDED = {Status.AMENDED.value, Status.REPEALED.value, Status.INVALID.value}
_ISSUER_SPLIT = re.compile(r"[、，,;；/\s]+")


def fold_title(title: str) -> str:
    """A title folded for comparison: what title_key does, plus one bracket form."""
    return title_key(title).translate(_BRACKETS)


def short_title(folded: str) -> str:
    """The folded title without 中华人民共和国 anywhere (lists often drop it)."""
    return folded.replace(PREFIX, "")


@dataclass(frozen=True, slots=True)
class DocRef:
    """What the matcher needs to know about one registry document."""

    id: str
    title: str
    doc_number: str | None
    doc_number_key: str | None
    issuer: str | None
    co_issuers: tuple[str, ...]
    status: str
    publication_date: date | None


@dataclass(slots=True)
class _Work:
    """All versions of one title."""

    full: str
    short: str
    versions: list[DocRef] = field(default_factory=list)

    def current(self) -> DocRef:
        live = [d for d in self.versions if d.status not in _SUPERSEDED] or self.versions
        return max(live, key=lambda d: (d.publication_date is not None, d.publication_date or date.min, d.id))


@dataclass(slots=True)
class MatchResult:
    match: DocRef | None
    score: float | None
    needs_review: bool
    reason: str
    candidates: list[dict[str, Any]]


def candidate(doc: DocRef, score: float) -> dict[str, Any]:
    return {"id": doc.id, "title": doc.title, "doc_number": doc.doc_number, "issuer": doc.issuer,
            "status": doc.status, "score": round(score, 1)}


def issuer_agrees(row_issuer: str | None, doc: DocRef) -> bool:
    """True unless the row names an issuer that is plainly not the document's."""
    if not row_issuer or not (doc.issuer or doc.co_issuers):
        return True
    theirs = [fold_title(x) for x in (doc.issuer or "", *doc.co_issuers) if x]
    for part in _ISSUER_SPLIT.split(row_issuer):
        mine = fold_title(part)
        if not mine:
            continue
        for other in theirs:
            if mine in other or other in mine or fuzz.ratio(mine, other) >= 85:
                return True
    return False


class Matcher:
    """Matches rows against a snapshot of the registry taken when it is built."""

    def __init__(self, docs: Iterable[DocRef]) -> None:
        works: dict[str, _Work] = {}
        self.by_number: dict[str, list[DocRef]] = {}
        for doc in docs:
            full = fold_title(doc.title)
            short = short_title(full)
            works.setdefault(short, _Work(full, short)).versions.append(doc)
            if doc.doc_number_key:
                self.by_number.setdefault(doc.doc_number_key, []).append(doc)
        self.works = list(works.values())
        self._fulls = [w.full for w in self.works]
        self._shorts = [w.short for w in self.works]
        self._work_of: dict[str, _Work] = {d.id: w for w in self.works for d in w.versions}

    @classmethod
    def from_session(cls, session: Session) -> Matcher:
        rows = session.execute(sa_select(Document.id, Document.title, Document.doc_number,  # type: ignore[call-overload]
                                         Document.doc_number_key, Document.issuer, Document.co_issuers,
                                         Document.status, Document.publication_date))
        return cls(DocRef(i, t, n, k, iss, tuple(co or ()), s, p) for i, t, n, k, iss, co, s, p in rows)

    def _distances(self, title: str) -> list[tuple[int, _Work]]:
        """Works within reach of the title, nearest first (edit distance, taking the closer of the full
        and the 中华人民共和国-less forms)."""
        full = fold_title(title)
        short = short_title(full)
        cutoff = max(RUNNER_UP_DISTANCE, len(short) // 3)
        best: dict[int, int] = {}
        for query, choices in ((full, self._fulls), (short, self._shorts)):
            for _, dist, idx in process.extract(query, choices, scorer=Levenshtein.distance,
                                                score_cutoff=cutoff, limit=20):
                best[idx] = min(int(dist), best.get(idx, 1 << 30))
        return sorted(((d, self.works[i]) for i, d in best.items()), key=lambda x: (x[0], x[1].short))

    def _ratio(self, title: str, doc: DocRef) -> float:
        mine = fold_title(title)
        theirs = fold_title(doc.title)
        return max(float(fuzz.ratio(mine, theirs)), float(fuzz.ratio(short_title(mine), short_title(theirs))))

    def _agrees(self, title: str, doc: DocRef) -> bool:
        """The row's title does not contradict a document its 文号 names (lists shorten titles)."""
        mine, theirs = short_title(fold_title(title)), short_title(fold_title(doc.title))
        return max(fuzz.ratio(mine, theirs), fuzz.partial_ratio(mine, theirs)) >= 80

    def _candidates(self, title: str, near: list[tuple[int, _Work]], extra: Iterable[DocRef] = ()) -> list[dict[str, Any]]:
        seen: dict[str, dict[str, Any]] = {}
        for doc in extra:
            seen[doc.id] = candidate(doc, self._ratio(title, doc))
        for _, work in near[:5]:
            doc = work.current()
            seen.setdefault(doc.id, candidate(doc, self._ratio(title, doc)))
        if title and len(seen) < 5:
            short = short_title(fold_title(title))
            for _, _score, idx in process.extract(short, self._shorts, scorer=fuzz.ratio, limit=5,
                                                 score_cutoff=CANDIDATE_SCORE):
                doc = self.works[idx].current()
                seen.setdefault(doc.id, candidate(doc, self._ratio(title, doc)))
        return sorted(seen.values(), key=lambda c: -c["score"])[:5]

    def match(self, title: str, doc_number: str | None = None, issuer: str | None = None) -> MatchResult:
        title = title.strip()
        key = doc_number_key(doc_number)
        by_number = self.by_number.get(key, []) if key else []
        near = self._distances(title) if title else []

        if by_number:
            agreeing = [d for d in by_number if not title or self._agrees(title, d)]
            if len(agreeing) == 1 and issuer_agrees(issuer, agreeing[0]):
                doc = agreeing[0]
                score = self._ratio(title, doc) if title else 100.0
                return MatchResult(doc, score, False, "文号", self._candidates(title, near, [doc]))
            return MatchResult(None, None, True, "文号 names documents whose title or issuer disagrees",
                               self._candidates(title, near, by_number))
        if not title:
            return MatchResult(None, None, True, "neither a known 文号 nor a title", [])
        if not near:
            return MatchResult(None, None, True, "nothing in the registry is close to this title",
                               self._candidates(title, near))
        dist, work = near[0]
        runner_up = near[1][0] if len(near) > 1 else None
        doc = work.current()
        cands = self._candidates(title, near)
        if key and doc.doc_number_key and doc.doc_number_key != key:
            return MatchResult(None, None, True, "the title matches a document with another 文号", cands)
        if dist == 0:
            clear = runner_up is None or runner_up > 0
        else:
            clear = (dist == 1 and len(short_title(fold_title(title))) >= MIN_FUZZY_LENGTH
                     and (runner_up is None or runner_up >= RUNNER_UP_DISTANCE))
        if not clear:
            return MatchResult(None, None, True, "no candidate is clearly best", cands)
        if not issuer_agrees(issuer, doc):
            return MatchResult(None, None, True, "the issuer disagrees with the closest title", cands)
        return MatchResult(doc, self._ratio(title, doc), False, "title" if dist == 0 else "title, one edit", cands)
