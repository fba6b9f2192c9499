"""Meilisearch backend: the same contract for deployments with more than one machine.

One record per article plus one head record per document (title, 文号, the text before the first
article), ``distinctAttribute`` on the document id so a page lists documents, each named by its best
record. Meilisearch segments Chinese itself (``localizedAttributes`` → cmn); it therefore misses some
sub-word matches that the embedded bigram engine finds (see docs/benchmarks.md). What Meilisearch cannot
give: facet counts are over records before ``distinct`` (a document with matches in three articles counts
up to three times), and typo tolerance is its own, not ours.

User text never reaches Meilisearch as syntax: the query string is rebuilt from the normalised runs of
the plan (:mod:`search.query`); quotes and minus signs in it are ours. Writes wait for Meilisearch's task
to finish, so a search right after ``index`` sees the change, as with the embedded engine.

The server is reached through the official ``meilisearch`` client. Opening the backend applies
:data:`SETTINGS` and checks that the server holds them, so a misconfigured deployment fails at start.
"""

from __future__ import annotations

import copy
import hashlib
import threading
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import meilisearch
from meilisearch.index import Index
from meilisearch.models.task import TaskInfo

from search.model import (
    FACET_FIELDS,
    IndexDocument,
    SearchHit,
    SearchQuery,
    SearchResult,
    Suggestion,
    UnsupportedQuery,
)
from search.query import QueryPlan, plan_query
from search.ranking import STATUS_WEIGHT
from search.snippets import make_snippet, without_label

INDEX_UID = "normreg_records"
PRIMARY_KEY = "rid"
WRITE_BATCH = 5000  # records per add request: one task each, well under the server's payload limit
DELETE_BATCH = 500  # document ids per delete filter, keeping the filter string short
FETCH_PAGE = 1000  # head records per page when listing what is indexed
TASK_TIMEOUT_MS = 120_000  # a write not done by then is reported, not waited for forever
TASK_POLL_MS = 20
SETTINGS: dict[str, Any] = {
    "searchableAttributes": ["title", "aliases", "doc_number", "heading", "text"],
    "filterableAttributes": ["doc_id", "kind", "status", "issuer", "category", "year", "ts"],
    "sortableAttributes": ["ts", "pinned", "status_rank"],
    "distinctAttribute": "doc_id",
    "rankingRules": ["words", "typo", "proximity", "attribute", "sort", "exactness",
                     "pinned:desc", "status_rank:desc", "ts:desc"],
    "localizedAttributes": [{"attributePatterns": ["*"], "locales": ["cmn"]}],
    "typoTolerance": {"disableOnAttributes": ["doc_number"]},
    "faceting": {"maxValuesPerFacet": 200},
    "pagination": {"maxTotalHits": 100_000},
}


# Settings the server holds as sets of attributes: it may answer them in another order.
UNORDERED_SETTINGS = frozenset({"filterableAttributes", "sortableAttributes"})


def settings_differences(wanted: Mapping[str, Any], actual: Mapping[str, Any], prefix: str = "") -> list[str]:
    """The settings of ``wanted`` that ``actual`` (the server's answer) does not hold as given, by name.

    The server answers with every setting and fills in defaults (``typoTolerance`` has more keys than
    we set), so only what ``wanted`` names is compared: objects key by key, lists of attributes of
    :data:`UNORDERED_SETTINGS` in any order (also when the server spells an entry as an object with
    ``attributePatterns``), everything else exactly.
    """
    out: list[str] = []
    for name, value in wanted.items():
        have = actual.get(name)
        path = prefix + name
        if isinstance(value, Mapping):
            if not isinstance(have, Mapping):
                out.append(path)
            else:
                out.extend(settings_differences(value, have, path + "."))
        elif name in UNORDERED_SETTINGS and not prefix:
            if not isinstance(have, list) or sorted(_attribute_names(have)) != sorted(value):
                out.append(path)
        elif have != value:
            out.append(path)
    return out


def _attribute_names(entries: list[Any]) -> list[str]:
    names: list[str] = []
    for entry in entries:
        if isinstance(entry, Mapping):
            names.extend(str(p) for p in entry.get("attributePatterns", []))
        else:
            names.append(str(entry))
    return names


def _quote(value: str) -> str:
    """A filter string literal: Meilisearch filter strings escape backslash and double quote."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _timestamp(doc: IndexDocument) -> int:
    if doc.publication_date is None:
        return 0
    return int(datetime(doc.publication_date.year, doc.publication_date.month, doc.publication_date.day,
                        tzinfo=UTC).timestamp())


def records_for(doc: IndexDocument) -> list[dict[str, Any]]:
    """Head record and article records of one document."""
    common: dict[str, Any] = {
        "doc_id": doc.id, "title": doc.title, "aliases": doc.aliases, "doc_number": doc.doc_number,
        "issuer": doc.issuer, "category": doc.category, "status": doc.status,
        "status_rank": int(STATUS_WEIGHT.get(doc.status, 0.9) * 100), "pinned": 1 if doc.pinned else 0,
        "year": doc.publication_date.year if doc.publication_date else None, "ts": _timestamp(doc),
        "version": doc.version,
    }
    head_text = doc.body if not doc.articles else doc.body[: max(0, doc.body.find(doc.articles[0].number))]
    # Meilisearch ids allow [A-Za-z0-9_-] only; a hash of the registry id keeps them unique.
    base = hashlib.blake2b(doc.id.encode("utf-8"), digest_size=12).hexdigest()
    out = [{**common, "rid": f"{base}_0", "kind": "doc", "article": None, "heading": None,
            "text": head_text}]
    for i, a in enumerate(doc.articles, start=1):
        out.append({**common, "rid": f"{base}_{i}", "kind": "article", "article": a.number,
                    "heading": a.heading, "text": a.text, "title": doc.title})
    return out


def meili_q(plan: QueryPlan) -> tuple[str, str]:
    """Query string and matching strategy for a plan; built from normalised runs only."""
    parts = [f'"{" ".join(c.runs)}"' if len(c.runs) == 1 and len(c.runs[0]) > 1 else " ".join(c.runs)
             for c in plan.required]
    if plan.mode == "best":
        parts.extend(plan.key_runs)
    parts.extend(f"-{c.runs[0]}" for c in plan.excluded if c.runs)
    return " ".join(parts), ("all" if plan.mode == "all" else "frequency")


# Request bodies. Every body the backend sends is built by one of these functions, so that a test can check
# each against Meilisearch's published OpenAPI description (tests/search/test_meili_bodies.py); the official
# client sends them as given (it only merges ``q`` into a search body and ``uid`` into an index creation).

def create_index_body(uid: str) -> dict[str, Any]:
    """``POST /indexes``."""
    return {"uid": uid, "primaryKey": PRIMARY_KEY}


def settings_body() -> dict[str, Any]:
    """``PATCH /indexes/{uid}/settings``: a copy of :data:`SETTINGS`."""
    return copy.deepcopy(SETTINGS)


def filter_clauses(q: SearchQuery, extra: list[str] | None = None) -> list[str]:
    """The query's filters as Meilisearch filter expressions (ANDed as an array); values are quoted."""
    out = list(extra or [])
    for name, values in (("status", q.statuses), ("issuer", q.issuers), ("category", q.categories)):
        if values:
            out.append(f"{name} IN [" + ", ".join(_quote(v) for v in values) + "]")
    if q.years:
        out.append("year IN [" + ", ".join(str(int(y)) for y in q.years) + "]")
    if q.date_from is not None:
        out.append(f"ts >= {int(datetime(q.date_from.year, q.date_from.month, q.date_from.day, tzinfo=UTC).timestamp())}")
    if q.date_to is not None:
        out.append(f"ts <= {int(datetime(q.date_to.year, q.date_to.month, q.date_to.day, tzinfo=UTC).timestamp())}")
    return out


def search_body(plan: QueryPlan, query: SearchQuery) -> dict[str, Any]:
    """``POST /indexes/{uid}/search`` for a non-empty plan (or an empty query: the newest documents)."""
    text, strategy = meili_q(plan) if not plan.is_empty else ("", "all")
    body: dict[str, Any] = {
        "q": text, "matchingStrategy": strategy, "filter": filter_clauses(query),
        "page": max(1, int(query.page)), "hitsPerPage": max(1, min(int(query.per_page), 100)),
        "showRankingScore": True,
        "attributesToRetrieve": ["doc_id", "article", "text", "title", "doc_number"],
    }
    if query.with_facets:
        body["facets"] = list(FACET_FIELDS)
    if query.sort != "relevance" or not text:
        body["sort"] = ["ts:asc" if query.sort == "oldest" else "ts:desc"]
    return body


def suggest_body(plan: QueryPlan, limit: int) -> dict[str, Any]:
    """``POST /indexes/{uid}/search`` for title suggestions (document head records only)."""
    text = " ".join(r for c in plan.required for r in c.runs) or " ".join(plan.key_runs)
    return {"q": text, "attributesToSearchOn": ["title", "aliases", "doc_number"], "filter": ['kind = "doc"'],
            "limit": max(1, min(limit, 50)), "attributesToRetrieve": ["doc_id", "title", "doc_number"]}


def delete_bodies(ids: list[str]) -> list[dict[str, Any]]:
    """``POST /indexes/{uid}/documents/delete``: every record of these documents, DELETE_BATCH ids each."""
    return [{"filter": "doc_id IN [" + ", ".join(_quote(x) for x in ids[i:i + DELETE_BATCH]) + "]"}
            for i in range(0, len(ids), DELETE_BATCH)]


def fetch_body(offset: int) -> dict[str, Any]:
    """``POST /indexes/{uid}/documents/fetch``: one page of head records' ids and versions."""
    return {"filter": 'kind = "doc"', "fields": ["doc_id", "version"], "offset": offset, "limit": FETCH_PAGE}


class MeiliBackend:
    """A :class:`search.model.SearchBackend` over a Meilisearch server, through the official client.

    Opening it creates the index if needed, applies :data:`SETTINGS` and checks that the server holds
    them (:func:`settings_differences`): a server that cannot be reached, an index with another primary
    key or settings the server did not take raise here, when the application starts, not at the first
    search. Thread safe: the client keeps per-request state (its headers), so each thread has its own.
    """

    def __init__(self, url: str, key: str | None = None, index_uid: str = INDEX_UID, timeout: float = 30) -> None:
        self._url = url.rstrip("/")
        self._key = key or None
        self._timeout = max(1, round(timeout))
        self._local = threading.local()
        self.uid = index_uid
        self._start()

    # -- plumbing --------------------------------------------------------------------------------------
    def _client(self) -> meilisearch.Client:
        client: meilisearch.Client | None = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = meilisearch.Client(self._url, self._key, timeout=self._timeout)
        return client

    def _index(self) -> Index:
        return self._client().index(self.uid)

    def _wait(self, info: TaskInfo, tolerated: tuple[str, ...] = ("index_not_found",)) -> None:
        """Return once the task is done, so a search right after sees the write; raise if it failed for
        a reason other than ``tolerated`` error codes."""
        task = self._client().wait_for_task(info.task_uid, timeout_in_ms=TASK_TIMEOUT_MS,
                                             interval_in_ms=TASK_POLL_MS)
        if task.status == "failed":
            error = task.error or {}
            if error.get("code") not in tolerated:
                raise RuntimeError(f"meilisearch task {info.task_uid} failed: {error}")

    def _start(self) -> None:
        """Create the index (once), apply the settings and check them and the primary key."""
        create = create_index_body(self.uid)
        self._wait(self._client().create_index(create.pop("uid"), create), tolerated=("index_already_exists",))
        primary = self._client().get_raw_index(self.uid).get("primaryKey")
        if primary != PRIMARY_KEY:
            raise RuntimeError(f"meilisearch index {self.uid} has primary key {primary!r}, not {PRIMARY_KEY!r}")
        index = self._index()
        self._wait(index.update_settings(settings_body()), tolerated=())
        differing = settings_differences(SETTINGS, index.get_settings())
        if differing:
            raise RuntimeError(f"meilisearch index {self.uid} did not take these settings: {', '.join(differing)}")

    # -- writing ---------------------------------------------------------------------------------------
    def index(self, docs: list[IndexDocument]) -> None:
        if not docs:
            return
        self.delete([d.id for d in docs])
        recs = [r for d in docs for r in records_for(d)]
        for i in range(0, len(recs), WRITE_BATCH):
            self._wait(self._index().add_documents(recs[i:i + WRITE_BATCH]))

    def delete(self, ids: list[str]) -> None:
        for body in delete_bodies(ids):
            self._wait(self._index().delete_documents(filter=body["filter"]))

    def clear(self) -> None:
        self._wait(self._index().delete_all_documents())

    def rebuild(self, batches: Iterable[list[IndexDocument]]) -> int:
        """Replace every document. Meilisearch has no transaction spanning batches: searches during a
        rebuild see a partial index (a deployment can swap indexes instead; not needed so far)."""
        self.clear()
        count = 0
        for batch in batches:
            self.index(batch)
            count += len(batch)
        return count

    def close(self) -> None:
        """Nothing to release: the client opens a connection per request."""
        self._local = threading.local()

    # -- maintenance -----------------------------------------------------------------------------------
    def optimize(self) -> None:
        """No-op: Meilisearch has no segments to merge; each write's task finished before it returned."""

    def superseded(self) -> list[Path]:
        """Always []: the index lives on the server, whose data format is upgraded with Meilisearch's own
        tools, not here; this backend applies its settings again each time it opens."""
        return []

    def remove_superseded(self) -> None:
        """No-op: nothing is ever superseded (see :meth:`superseded`)."""

    # -- reading ---------------------------------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResult:
        if query.unit == "article":
            # Not (yet) built for Meilisearch: article ranking needs its own index of articles with the
            # document ranking as a prior (search/embedded/article_search.py); said plainly, not faked.
            raise UnsupportedQuery("article mode (unit=article) is answered by the embedded engine only")
        started = time.perf_counter()
        plan = plan_query(query.q)
        result = self._run(plan, query)
        if result.total == 0 and plan.mode == "all" and plan.relaxed() is not plan:
            result = self._run(plan.relaxed(), query)
        result.took_ms = round((time.perf_counter() - started) * 1000, 2)
        return result

    def _run(self, plan: QueryPlan, query: SearchQuery) -> SearchResult:
        if plan.is_empty and query.q.strip():
            return SearchResult(total=0, hits=[], facets={f: {} for f in FACET_FIELDS})
        body = search_body(plan, query)
        data = self._index().search(body.pop("q"), body)
        terms = plan.highlight_terms()
        hits = []
        for h in data.get("hits", []):
            snippet = None
            if query.with_snippets:
                snippet = make_snippet(without_label(h.get("text") or "", h.get("article")), terms)
                if "<mark>" not in snippet:
                    snippet = make_snippet(" ".join(x for x in (h.get("title"), h.get("doc_number")) if x), terms)
            hits.append(SearchHit(id=h["doc_id"], score=float(h.get("_rankingScore", 0.0)), snippet=snippet,
                                  article=h.get("article")))
        facets = {f: {str(k): int(v) for k, v in data.get("facetDistribution", {}).get(f, {}).items()}
                  for f in FACET_FIELDS} if query.with_facets else {}
        return SearchResult(total=int(data.get("totalHits", len(hits))), hits=hits, facets=facets)

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        plan = plan_query(prefix)
        if plan.is_empty:
            return []
        body = suggest_body(plan, limit)
        return [Suggestion(id=h["doc_id"], title=h["title"], doc_number=h.get("doc_number"))
                for h in self._index().search(body.pop("q"), body).get("hits", [])]

    def ids_with_versions(self) -> dict[str, str]:
        out: dict[str, str] = {}
        offset = 0
        while True:
            page = self._index().get_documents(fetch_body(offset))
            for doc in page.results:
                row = dict(doc)
                out[row["doc_id"]] = row.get("version", "")
            if len(page.results) < FETCH_PAGE:
                return out
            offset += FETCH_PAGE
