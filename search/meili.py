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
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from search.model import FACET_FIELDS, IndexDocument, SearchHit, SearchQuery, SearchResult, Suggestion
from search.query import QueryPlan, plan_query
from search.ranking import STATUS_WEIGHT
from search.snippets import make_snippet

INDEX_UID = "normreg_records"
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


class MeiliBackend:
    """A :class:`search.model.SearchBackend` over a Meilisearch server (httpx, thread safe)."""

    def __init__(self, url: str, key: str | None = None, index_uid: str = INDEX_UID, timeout: float = 30) -> None:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self._http = httpx.Client(base_url=url.rstrip("/"), headers=headers, timeout=timeout)
        self.uid = index_uid
        self._ready = False

    # -- plumbing --------------------------------------------------------------------------------------
    def _wait(self, response: httpx.Response) -> None:
        response.raise_for_status()
        task = response.json().get("taskUid")
        if task is None:
            return
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            status = self._http.get(f"/tasks/{task}").json()
            if status.get("status") in ("succeeded", "failed", "canceled"):
                if status.get("status") == "failed":
                    error = status.get("error") or {}
                    if error.get("code") != "index_not_found":
                        raise RuntimeError(f"meilisearch task {task} failed: {error}")
                return
            time.sleep(0.02)
        raise TimeoutError(f"meilisearch task {task} did not finish")

    def _ensure(self) -> None:
        if self._ready:
            return
        r = self._http.post("/indexes", json={"uid": self.uid, "primaryKey": "rid"})
        if r.status_code not in (200, 201, 202):
            r.raise_for_status()
        self._wait(r)
        self._wait(self._http.patch(f"/indexes/{self.uid}/settings", json=SETTINGS))
        self._ready = True

    # -- writing ---------------------------------------------------------------------------------------
    def index(self, docs: list[IndexDocument]) -> None:
        if not docs:
            return
        self._ensure()
        self.delete([d.id for d in docs])
        recs = [r for d in docs for r in records_for(d)]
        for i in range(0, len(recs), 5000):
            self._wait(self._http.post(f"/indexes/{self.uid}/documents", json=recs[i:i + 5000]))

    def delete(self, ids: list[str]) -> None:
        if not ids:
            return
        self._ensure()
        for i in range(0, len(ids), 500):
            flt = "doc_id IN [" + ", ".join(_quote(x) for x in ids[i:i + 500]) + "]"
            self._wait(self._http.post(f"/indexes/{self.uid}/documents/delete", json={"filter": flt}))

    def clear(self) -> None:
        self._ensure()
        self._wait(self._http.delete(f"/indexes/{self.uid}/documents"))

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
        self._http.close()

    # -- maintenance -----------------------------------------------------------------------------------
    def optimize(self) -> None:
        """No-op: Meilisearch has no segments to merge; each write's task finished before it returned."""

    def superseded(self) -> list[Path]:
        """Always []: the index lives on the server, whose data format is upgraded with Meilisearch's own
        tools, not here; this backend's settings are applied again on first use."""
        return []

    def remove_superseded(self) -> None:
        """No-op: nothing is ever superseded (see :meth:`superseded`)."""

    # -- reading ---------------------------------------------------------------------------------------
    def _filter(self, q: SearchQuery, extra: list[str] | None = None) -> list[str]:
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

    def search(self, query: SearchQuery) -> SearchResult:
        started = time.perf_counter()
        self._ensure()
        plan = plan_query(query.q)
        result = self._run(plan, query)
        if result.total == 0 and plan.mode == "all" and plan.relaxed() is not plan:
            result = self._run(plan.relaxed(), query)
        result.took_ms = round((time.perf_counter() - started) * 1000, 2)
        return result

    def _run(self, plan: QueryPlan, query: SearchQuery) -> SearchResult:
        if plan.is_empty and query.q.strip():
            return SearchResult(total=0, hits=[], facets={f: {} for f in FACET_FIELDS})
        text, strategy = meili_q(plan) if not plan.is_empty else ("", "all")
        body: dict[str, Any] = {
            "q": text, "matchingStrategy": strategy, "filter": self._filter(query),
            "page": max(1, int(query.page)), "hitsPerPage": max(1, min(int(query.per_page), 100)),
            "showRankingScore": True,
            "attributesToRetrieve": ["doc_id", "article", "text", "title", "doc_number"],
        }
        if query.with_facets:
            body["facets"] = list(FACET_FIELDS)
        if query.sort != "relevance" or not text:
            body["sort"] = ["ts:asc" if query.sort == "oldest" else "ts:desc"]
        r = self._http.post(f"/indexes/{self.uid}/search", json=body)
        r.raise_for_status()
        data = r.json()
        terms = plan.highlight_terms()
        hits = []
        for h in data.get("hits", []):
            snippet = None
            if query.with_snippets:
                snippet = make_snippet(h.get("text") or "", terms)
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
        self._ensure()
        body = {"q": " ".join(r for c in plan.required for r in c.runs) or " ".join(plan.key_runs),
                "attributesToSearchOn": ["title", "aliases", "doc_number"], "filter": ['kind = "doc"'],
                "limit": max(1, min(limit, 50)), "attributesToRetrieve": ["doc_id", "title", "doc_number"]}
        r = self._http.post(f"/indexes/{self.uid}/search", json=body)
        r.raise_for_status()
        return [Suggestion(id=h["doc_id"], title=h["title"], doc_number=h.get("doc_number"))
                for h in r.json().get("hits", [])]

    def ids_with_versions(self) -> dict[str, str]:
        self._ensure()
        out: dict[str, str] = {}
        offset = 0
        while True:
            r = self._http.post(f"/indexes/{self.uid}/documents/fetch", json={
                "filter": 'kind = "doc"', "fields": ["doc_id", "version"], "offset": offset, "limit": 1000})
            r.raise_for_status()
            results = r.json().get("results", [])
            out.update({d["doc_id"]: d.get("version", "") for d in results})
            if len(results) < 1000:
                return out
            offset += 1000
