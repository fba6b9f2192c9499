"""User text → query plan. The text is never handed to an engine as query syntax.

What a user types falls into two shapes, and the user never has to say which:

* a short keyword query (``备案审查 2016``) means *all of these*: every clause must occur in the document;
* a natural-language question (``申请政府信息公开以后多少天内必须答复？``) is answered with best-match
  ranking over its key terms: question words and stop phrases (the word classes of
  :mod:`search.question`) are dropped, the rest becomes bigram terms that are scored (BM25) without being
  required; negations add their statute form (没有签 → 未签), and legal terms learned for the question's
  words (:mod:`search.lexicon`) become *expansions*, scored when present and never required.

Explicit syntax is limited to what people type without reading a manual: "quoted phrases" (ASCII or
Chinese quotes) are required verbatim, ``-word`` excludes, 《书名》 marks a law name. Everything else,
including FTS operators (AND, NEAR, *, ^, :), is plain text: punctuation only separates runs.

A keyword query that matches nothing falls back to best-match (:meth:`QueryPlan.relaxed`), so a page is
only empty when nothing shares a key term with the query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal

from ingest.docnumber import looks_like_doc_number, normalize_doc_number
from search.normalize import normalize
from search.question import STOP_PHRASES, analyse
from search.tokenize import runs, tokens_for_query_run, units

MAX_QUERY_CHARS = 256
MAX_TERMS = 48
MAX_EXPANSIONS = 24  # learned terms per question, each one more scored clause (48: same quality, docs/benchmarks.md)

Mode = Literal["all", "best", "none"]

_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|『([^』]*)』')
_EXCLUDE = re.compile(r"(?:^|(?<=\s))[-－]\s?(\S+)")
_BOOK = re.compile(r"《([^》]{1,60})》")
_QUESTION_MARK = re.compile(r"[?？]")

_STOP_RE = re.compile("|".join(re.escape(s) for s in STOP_PHRASES))
_QUESTION_WORDS = re.compile(
    "吗|什么|怎么|怎样|如何|为什么|为何|是否|是不是|能否|能不能|可不可以|可否|有没有|多少|多久|几天|几年|哪"
)
_QUESTION_MIN_CHARS = 14


@dataclass(slots=True)
class Clause:
    """Text that must (or, for exclusions, must not) occur: every run of it, each as a phrase."""

    runs: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.runs)


@dataclass(slots=True)
class QueryPlan:
    """What to look for. Backends turn it into their own queries; nothing here is engine syntax."""

    raw: str
    mode: Mode
    required: list[Clause] = field(default_factory=list)
    excluded: list[Clause] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)  # best mode: bigram terms (and single units), deduplicated
    expansions: list[str] = field(default_factory=list)  # best mode: learned legal terms; scored, never required
    key_runs: list[str] = field(default_factory=list)  # best mode: the runs the terms come from
    law_names: list[str] = field(default_factory=list)  # normalised 《》 contents
    doc_number: str | None = None  # normalised 文号 when the whole query is one
    fell_back: bool = False

    @property
    def is_empty(self) -> bool:
        return self.mode == "none"

    def highlight_terms(self) -> list[str]:
        """Normalised strings to mark in snippets: phrase runs, key runs and their bigrams."""
        out: dict[str, None] = {}
        for clause in self.required:
            for run in clause.runs:
                out.setdefault(run, None)
        for run in self.key_runs:
            out.setdefault(run, None)
        for term in self.terms:
            out.setdefault(term.replace("_", " "), None)
        return [t for t in out if t]

    def relaxed(self) -> QueryPlan:
        """The best-match plan for a keyword query that found nothing (quoted phrases stay required)."""
        if self.mode != "all":
            return self
        quoted = [c for c in self.required if len(c.runs) > 0 and c in self._quoted]
        key_runs = [r for c in self.required if c not in self._quoted for r in c.runs]
        terms = _terms(key_runs)
        if not terms and not quoted:
            return self
        return replace(self, mode="best", required=quoted, terms=terms, key_runs=key_runs, fell_back=True)

    # Clauses that came from quotes; kept aside so relaxing never drops them.
    _quoted: list[Clause] = field(default_factory=list)


def _terms(key_runs: list[str]) -> list[str]:
    """Bigram terms of the key runs; a lone CJK character left between stop phrases (内, 后) is noise."""
    seen: dict[str, None] = {}
    for run in key_runs:
        us = units(run)
        if len(us) == 1 and not us[0].isascii() and len(key_runs) > 1:
            continue
        for token in tokens_for_query_run(run):
            seen.setdefault(token, None)
    return list(seen)[:MAX_TERMS]


def _clause(text: str) -> Clause | None:
    rs = runs(normalize(text))
    return Clause(rs) if rs else None


def looks_like_question(text: str) -> bool:
    """A question mark, a question word, or a long unspaced sentence is treated as a question."""
    if _QUESTION_MARK.search(text) or _QUESTION_WORDS.search(text):
        return True
    longest = max((len(units(r)) for r in runs(normalize(text))), default=0)
    return longest >= _QUESTION_MIN_CHARS


def is_fragment(text: str, key_runs: list[str]) -> bool:
    """Text typed without a question mark whose question words leave no piece of two characters or more
    (于如何, 是否, 出是否承) is part of a sentence someone looks for as written, not a question: dropping
    the question words would leave single characters, which are noise to a question's ranking."""
    if _QUESTION_MARK.search(text):
        return False
    return all(len(units(r)) < 2 for r in key_runs) and bool(runs(normalize(text)))


def key_runs_of(text: str) -> list[str]:
    """Runs of a question with stop phrases removed (they split the run, so no bigram spans them)."""
    stripped = _STOP_RE.sub(" ", normalize(text))
    return [r for r in runs(stripped) if len(units(r)) >= 1]


def plan_query(raw: str) -> QueryPlan:
    """Parse what a user typed. Never raises; a plan with mode ``none`` means "show nothing to match"."""
    text = (raw or "")[:MAX_QUERY_CHARS]
    quoted: list[Clause] = []

    def take_quote(m: re.Match[str]) -> str:
        inner = next((g for g in m.groups() if g is not None), "")
        c = _clause(inner)
        if c:
            quoted.append(c)
        return " "

    text = _QUOTED.sub(take_quote, text)
    excluded: list[Clause] = []

    def take_exclusion(m: re.Match[str]) -> str:
        c = _clause(m.group(1))
        if c:
            excluded.append(c)
        return " "

    text = _EXCLUDE.sub(take_exclusion, text)
    law_names = [normalize(m.group(1)).strip() for m in _BOOK.finditer(text)]
    doc_number = normalize_doc_number(text.strip()) if looks_like_doc_number(text.strip()) else None

    key_runs = key_runs_of(text) if looks_like_question(text) else None
    if key_runs is not None and not is_fragment(text, key_runs):
        if not key_runs:  # a question made only of stop words: keep what there is
            key_runs = runs(normalize(text))
        terms = _terms(key_runs)
        analysis = analyse(normalize(text), terms)
        terms = (terms + analysis.terms)[:MAX_TERMS]
        mode: Mode = "best" if terms or quoted else "none"
        return QueryPlan(raw, mode, required=quoted, excluded=excluded, terms=terms, key_runs=key_runs,
                         expansions=analysis.expansions[:MAX_EXPANSIONS], law_names=law_names,
                         doc_number=doc_number, _quoted=quoted)

    clauses = list(quoted)
    for part in text.split():
        c = _clause(part)
        if c:
            clauses.append(c)
    clauses = clauses[:MAX_TERMS]
    mode = "all" if clauses else "none"
    return QueryPlan(raw, mode, required=clauses, excluded=excluded, law_names=law_names,
                     doc_number=doc_number, _quoted=quoted)
