"""The search contract: what the registry hands to a backend, and what comes back.

Backends (the embedded engine, Meilisearch) implement :class:`SearchBackend`. The registry owns the data;
an index is a projection of it that can be rebuilt at any time, so every field here is derivable from
the registry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal, Protocol

SortOrder = Literal["relevance", "newest", "oldest"]
Unit = Literal["document", "article"]  # what a hit is: a document (its best article named) or one article
ArticleScope = Literal["all", "in_force"]  # article mode: every article, or only those in force today
FACET_FIELDS: tuple[str, ...] = ("status", "issuer", "category", "year")


@dataclass(slots=True)
class IndexArticle:
    """One article (第X条) of a document; long documents are searched article by article."""

    ordinal: int
    number: str  # 第十二条
    text: str
    heading: str | None = None  # chapter or article heading, weighted above body text
    void_from: date | None = None  # the day this article lost effect (a partial invalidity), if it did
    void_reason: str | None = None  # why, as recorded with the partial invalidity


@dataclass(slots=True)
class IndexDocument:
    """Everything a backend needs to index one document (its current version)."""

    id: str
    title: str
    body: str
    doc_number: str | None = None
    issuer: str | None = None
    category: str | None = None
    status: str = "in_force"
    publication_date: date | None = None
    pinned: bool = False
    region: str | None = None
    articles: list[IndexArticle] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # short names, e.g. 民法典 for 中华人民共和国民法典
    version: str = ""  # the registry version it was indexed at; doctor compares it


# How deep results can be paged: page × per_page ≤ this (Meilisearch's default maxTotalHits is the same).
# Every deeper hit would have to be ranked, and the ranking kept in the cache, for each such request; a
# reader who needs more narrows the search or uses the export.
MAX_RESULT_WINDOW = 1000


@dataclass(slots=True)
class SearchQuery:
    """A parsed request. ``q`` is raw user text: backends never pass it on as query syntax."""

    q: str = ""
    statuses: list[str] = field(default_factory=list)
    issuers: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    sort: SortOrder = "relevance"
    page: int = 1
    per_page: int = 10
    with_facets: bool = True
    with_snippets: bool = True
    unit: Unit = "document"
    articles: ArticleScope = "all"  # only with unit "article": "in_force" leaves out articles not in force

    @property
    def window_end(self) -> int:
        """The rank just past this page; beyond :data:`MAX_RESULT_WINDOW` a page holds no hits."""
        return max(1, int(self.page)) * max(1, int(self.per_page))


@dataclass(slots=True)
class SearchHit:
    id: str
    score: float
    snippet: str | None = None  # HTML-escaped original text; matches wrapped in <mark></mark>
    article: str | None = None  # best article label (第十二条) when the hit is inside one
    # Article mode only (SearchQuery.unit == "article"): the hit is this one article of document ``id``.
    ordinal: int | None = None  # the article's position in its document (1-based)
    heading: str | None = None  # its chapter heading
    article_void_from: date | None = None  # as indexed: the day it lost effect, if it did


@dataclass(slots=True)
class SearchResult:
    """One page. ``total`` and ``facets`` count every match, exactly unless flagged: a backend may count
    a very broad match set on a sample of the index (the embedded engine above its exact-count
    threshold, see :mod:`search.embedded.facets`) and then says so with ``total_estimated`` and
    ``facets_estimated``; the hits themselves are never estimated."""

    total: int
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    took_ms: float = 0.0
    total_estimated: bool = False  # ``total`` is an estimate (shown as 约 / about)
    facets_estimated: bool = False  # the facet counts are estimates from a sample of the matches


@dataclass(slots=True)
class Suggestion:
    id: str
    title: str
    doc_number: str | None = None


class UnsupportedQuery(ValueError):
    """The backend cannot answer this kind of query (the registry turns it into a clear error)."""


class SearchBackend(Protocol):
    """What every search backend provides. Implementations must be safe to call from several threads."""

    def index(self, docs: list[IndexDocument]) -> None:
        """Add or replace documents (by id)."""

    def delete(self, ids: list[str]) -> None:
        """Remove documents; unknown ids are ignored."""

    def search(self, query: SearchQuery) -> SearchResult:
        """Ranked hits for one page, the total and facet counts over all matches.

        With ``query.unit == "article"`` the hits are articles ranked as articles (the total counts
        matching articles; no facets); a backend that cannot do that raises :class:`UnsupportedQuery`.
        """

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        """Type-ahead over titles and 文号."""

    def ids_with_versions(self) -> dict[str, str]:
        """Every indexed id with the version token it was indexed at (used by ``normreg doctor``)."""

    def clear(self) -> None:
        """Drop everything."""

    def rebuild(self, batches: Iterable[list[IndexDocument]]) -> int:
        """Replace the whole index with these documents (``normreg reindex``); returns how many."""

    def close(self) -> None:
        """Release files and connections."""

    # -- maintenance: backends without the notion implement these as no-ops -----------------------------
    def optimize(self) -> None:
        """Make searches after a bulk load as fast as the backend can (the embedded engine merges its
        segments); returns once done."""

    def superseded(self) -> list[Path]:
        """Index data of older formats left by an upgrade, which the current index does not read.

        Non-empty means the current index started empty: the registry rebuilds it from its records and
        then calls :meth:`remove_superseded`. A backend whose format never changes under it returns [].
        """

    def remove_superseded(self) -> None:
        """Delete what :meth:`superseded` lists (after the rebuild: an interrupted one is done again)."""
