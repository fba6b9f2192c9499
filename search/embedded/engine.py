"""The embedded search engine: tantivy over normalised character bigrams, files under one directory.

Chosen over SQLite FTS5 by measurement (docs/benchmarks.md): same bigram tokenisation, a full page with
four facets several times faster and a smaller index. Nothing to start; the index lives in
``<data_dir>/search/embedded-v<SCHEMA_VERSION>``.

Relevance ranking runs in two stages over the same plan. The document query decides the match set, the
total and the facets (one aggregation over all matches, computed in Rust, on a second thread while the
ranking runs) and gives a document score; the article query, restricted to the best DOC_CANDIDATES
documents, finds their best articles. score = normalised document score + normalised best article score,
both already multiplied by the validity/recency/pinned prior (:func:`_with_prior`). An evaluated query
(total, facets, ordered candidates) is kept for a few seconds (:mod:`search.embedded.cache`), so paging
and repeated queries cost only the page.

Thread safety: searches take a fresh searcher (cheap, immutable snapshot); writes are serialised by a
lock and committed before ``index``/``delete`` return, so a search right after sees the change.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
import shutil
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import tantivy
from tantivy import Occur, Order, Query

from search.embedded.cache import RankingCache
from search.embedded.queries import Built, Fields, build, filters, run_query
from search.embedded.schema import (
    ARTICLE,
    DOC,
    SCHEMA_VERSION,
    build_schema,
    doc_key,
    load_payload,
    record_dicts,
    record_dicts_many,
)
from search.model import FACET_FIELDS, IndexDocument, SearchHit, SearchQuery, SearchResult, Suggestion
from search.normalize import normalize
from search.query import QueryPlan, plan_query
from search.snippets import make_snippet
from search.tokenize import runs

log = logging.getLogger(__name__)

# Candidates: the best DOC_CANDIDATES documents by the document query; their best articles are sought
# only within them, not among every matching article of the index (several times cheaper at 100,000
# documents; STARD within noise at 200, -0.02 at 100).
DOC_CANDIDATES = 200
ARTICLE_CANDIDATES = 300
# From this many candidate documents on, their articles are sought in two halves on two threads (the
# facet thread is mostly done by then). Alone at 100,000 documents, one query against two halves took
# 0.72 / 0.70 ms for 20 documents, 0.99 / 0.91 for 50, 1.51 / 1.22 for 100 and 2.32 / 1.75 for 200:
# below 50 the hand-off costs about what it saves.
SPLIT_ARTICLES_FROM = 50
RAW_POOL = 2  # hits read by relevance alone for each one kept after the prior (see _with_prior)
# Weight of the document-level score (title, 文号, whole text) against the best article's. Keyword queries
# are often a document's name, so the document level weighs more there; questions are answered by an
# article. ARTICLE_SUPPORT rewards further matching articles of the same document (capped). Measured on
# STARD (docs/benchmarks.md): the plateau is broad, these sit in its middle.
DOC_SHARE = {"all": 0.5, "best": 0.2, "none": 0.5}
ARTICLE_SUPPORT = 0.5
FACET_SIZES = {"status": 20, "issuer": 100, "category": 50, "year": 200}
MAX_PER_PAGE = 100
POOL_MIN_BATCH = 100  # smaller batches (one edit, an outbox drain) are prepared inline
POOL_CHUNK = 25
BEST_ARTICLE_LOOKUP = 1000  # articles read to name the best one of each page hit lacking it
SUGGEST_FIELDS = Fields((("title", 3.0), ("docno", 2.0)), "words")
COMMON_MIN_RECORDS = 5_000  # below this, document frequencies say little: every term is a key term


@dataclass(slots=True)
class _Candidate:
    key: int
    doc_score: float = 0.0
    art_best: float = 0.0
    art_more: float = 0.0
    doc_addr: tantivy.DocAddress | None = None
    art_addr: tantivy.DocAddress | None = None


@dataclass(slots=True)
class _Ranked:
    """One evaluated query: what every page of it needs, tied to the snapshot it was computed on."""

    searcher: tantivy.Searcher
    built: Built | None
    total: int
    facets: dict[str, dict[str, int]]
    cands: list[_Candidate]
    complete: bool  # cands hold every match (no deeper page needs a new evaluation)


def _cache_key(plan: QueryPlan, q: SearchQuery) -> tuple[object, ...]:
    return (plan.mode, tuple(tuple(c.runs) for c in plan.required), tuple(tuple(c.runs) for c in plan.excluded),
            tuple(plan.terms), tuple(plan.law_names), plan.doc_number, bool(q.q.strip()),
            tuple(q.statuses), tuple(q.issuers), tuple(q.categories), tuple(q.years), q.date_from, q.date_to,
            q.sort, q.with_facets)


class EmbeddedBackend:
    """A :class:`search.model.SearchBackend` over a tantivy index in ``directory``."""

    def __init__(self, directory: Path, writer_heap: int = 256_000_000, writer_threads: int = 0,
                 workers: int | None = None, cache_seconds: float = 30.0) -> None:
        self.path = Path(directory) / f"embedded-v{SCHEMA_VERSION}"
        self.path.mkdir(parents=True, exist_ok=True)
        self.schema = build_schema()
        self._index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
        self._write_lock = threading.Lock()
        self._writer: tantivy.IndexWriter | None = None
        self._writer_heap = writer_heap
        self._writer_threads = writer_threads
        # Text preparation (normalise, bigrams) is Python; big batches spread it over worker processes.
        self._workers = (os.cpu_count() or 1) if workers is None else workers
        self._pool: ProcessPoolExecutor | None = None
        self._cache: RankingCache[_Ranked] = RankingCache(ttl=cache_seconds)
        self._threads = _search_threads()
        self._generation = 0

    # -- writing ---------------------------------------------------------------------------------------
    def _get_writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            self._writer = self._index.writer(heap_size=self._writer_heap, num_threads=self._writer_threads)
        return self._writer

    def index(self, docs: list[IndexDocument]) -> None:
        if not docs:
            return
        today = date.today()
        with self._write_lock:
            writer = self._get_writer()
            for doc in docs:
                _delete(writer, doc.id)
            for recs in self._prepared(docs, today):
                for rec in recs:
                    writer.add_document(tantivy.Document.from_dict(rec, self.schema))
            writer.commit()
        self._published()

    def rebuild(self, batches: Iterable[list[IndexDocument]]) -> int:
        """Replace the whole index with these documents; searches see the old index until it is done.

        One commit at the end instead of one per batch: committing every few hundred documents made
        tantivy flush and merge hundreds of small segments, a third more CPU for a full rebuild. Text
        preparation runs one batch ahead in the worker processes while this thread adds the previous
        batch, and reading the next batch from the caller overlaps both.
        """
        today = date.today()
        count = 0
        with self._write_lock:
            writer = self._get_writer()
            writer.delete_all_documents()
            try:
                for recs in self._prepared_ahead(batches, today):
                    for rec in recs:
                        writer.add_document(tantivy.Document.from_dict(rec, self.schema))
                    count += 1
                writer.commit()
            except BaseException:
                writer.rollback()  # the previous index stays as it was
                raise
        self._published()
        return count

    def _pool_or_none(self) -> ProcessPoolExecutor | None:
        if self._workers < 2:
            return None
        if self._pool is None:
            # spawn, not fork: forking a process that runs tantivy and server threads is unsafe. As with
            # any spawned worker, the main module must guard its entry point (if __name__ == "__main__").
            self._pool = ProcessPoolExecutor(self._workers, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    def _pool_failed(self) -> None:
        log.warning("search: indexing worker processes failed; preparing documents in process from now on")
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
        self._pool, self._workers = None, 0

    def _prepared(self, docs: list[IndexDocument], today: date) -> Iterator[list[dict[str, Any]]]:
        """Record field values per document, in order; prepared in worker processes for big batches."""
        if len(docs) < POOL_MIN_BATCH:
            for doc in docs:
                yield record_dicts(doc, today)
            return
        yield from self._prepared_ahead([docs], today)

    def _prepared_ahead(self, batches: Iterable[list[IndexDocument]],
                        today: date) -> Iterator[list[dict[str, Any]]]:
        """Records of every document of ``batches``, in order, the next batch already being prepared."""
        pending: deque[tuple[list[IndexDocument], list[Future[list[list[dict[str, Any]]]]]]] = deque()

        def submit(batch: list[IndexDocument]) -> None:
            pool = self._pool_or_none()
            futures = []
            if pool is not None:
                try:
                    futures = [pool.submit(record_dicts_many, batch[i:i + POOL_CHUNK], today)
                               for i in range(0, len(batch), POOL_CHUNK)]
                except BrokenProcessPool:
                    self._pool_failed()
            pending.append((batch, futures))

        def drain() -> Iterator[list[dict[str, Any]]]:
            batch, futures = pending.popleft()
            done = 0
            try:
                for future in futures:
                    yield from future.result()
                    done += 1
            except BrokenProcessPool:
                self._pool_failed()
            for doc in batch[done * POOL_CHUNK:]:  # all of it when no worker took it
                yield record_dicts(doc, today)

        for batch in batches:
            if batch:
                submit(batch)
            if len(pending) > 1:
                yield from drain()
        while pending:
            yield from drain()

    def delete(self, ids: list[str]) -> None:
        if not ids:
            return
        with self._write_lock:
            writer = self._get_writer()
            for doc_id in ids:
                _delete(writer, doc_id)
            writer.commit()
        self._published()

    def clear(self) -> None:
        with self._write_lock:
            writer = self._get_writer()
            writer.delete_all_documents()
            writer.commit()
        self._published()

    def _published(self) -> None:
        """After a commit: searches from now on see it, and no ranking computed before it is reused."""
        self._index.reload()
        self._generation += 1  # a search that began before this write cannot store its ranking for later ones
        self._cache.clear()

    def _release_writer(self) -> None:
        """Let background merges finish and drop the writer (call with the write lock held)."""
        if self._writer is not None:
            self._writer.wait_merging_threads()
            self._writer = None

    def optimize(self) -> None:
        """Wait for background merges (after a bulk load); searches are faster on fewer segments."""
        with self._write_lock:
            self._release_writer()
        self._index.reload()

    def close(self) -> None:
        with self._write_lock:
            self._release_writer()
            if self._pool is not None:
                self._pool.shutdown()
                self._pool = None
        self._threads.shutdown(wait=True)
        self._threads = _search_threads()  # usable again after close; its threads start on first use

    # -- format upgrades -------------------------------------------------------------------------------
    def superseded(self) -> list[Path]:
        """Index directories of older schema versions beside this one, left by an upgrade.

        A new schema version starts an empty index in its own directory (tantivy cannot convert one);
        the application rebuilds it from its records, then calls :meth:`remove_superseded`.
        """
        return sorted(p for p in self.path.parent.glob("embedded-v*") if p.is_dir() and p != self.path)

    def remove_superseded(self) -> None:
        for old in self.superseded():
            shutil.rmtree(old, ignore_errors=True)

    # -- reading ---------------------------------------------------------------------------------------
    def ids_with_versions(self) -> dict[str, str]:
        searcher = self._index.searcher()
        kind = Query.term_query(self.schema, "kind", DOC)
        n = searcher.num_docs
        out: dict[str, str] = {}
        if n == 0:
            return out
        for _, addr in searcher.search(kind, limit=n, count=False).hits:
            payload = load_payload(searcher.doc(addr))
            out[payload["id"]] = payload.get("version", "")
        return out

    def search(self, query: SearchQuery) -> SearchResult:
        started = time.perf_counter()
        plan = plan_query(query.q)
        result = self._search_plan(plan, query)
        if result.total == 0 and plan.mode == "all":
            relaxed = plan.relaxed()
            if relaxed is not plan:
                result = self._search_plan(relaxed, query)
        result.took_ms = round((time.perf_counter() - started) * 1000, 2)
        return result

    def _search_plan(self, plan: QueryPlan, query: SearchQuery) -> SearchResult:
        per_page = max(1, min(int(query.per_page), MAX_PER_PAGE))
        offset = (max(1, int(query.page)) - 1) * per_page
        want = offset + per_page
        key = (self._generation, *_cache_key(plan, query))
        ranked = self._cache.get(key)
        if ranked is None or (len(ranked.cands) < want and not ranked.complete):
            ranked = self._ranked(plan, query, want)
            self._cache.put(key, ranked)
        hits = self._page(ranked.searcher, ranked.built, plan, ranked.cands[offset:want], query)
        return SearchResult(total=ranked.total, hits=hits, facets=dict(ranked.facets))

    def _ranked(self, plan: QueryPlan, query: SearchQuery, want: int) -> _Ranked:
        """Total, facets and the ordered candidates covering at least the first ``want`` hits."""
        searcher = self._index.searcher()
        if plan.is_empty:
            built: Built | None = None
            docs_q = Query.boolean_query(
                [(Occur.Must, Query.term_query(self.schema, "kind", DOC))]
                + [(Occur.Must, f) for f in filters(self.schema, query)]
            ) if not query.q.strip() else None
        else:
            built = build(self.schema, plan, query, share=_share(searcher))
            docs_q = built.docs if built else None
        if docs_q is None:
            return _Ranked(searcher, None, 0, {f: {} for f in FACET_FIELDS} if query.with_facets else {}, [], True)

        # Total and facets (one aggregation over every match) and the ranking read the same postings;
        # they run side by side on two threads (tantivy releases the GIL), so a broad query costs the
        # longer of the two, not their sum.
        facets_job = self._threads.submit(self._facets, searcher, docs_q) if query.with_facets else None
        try:
            if query.sort in ("newest", "oldest") or built is None:
                order = Order.Asc if query.sort == "oldest" else Order.Desc
                res = searcher.search(docs_q, limit=max(DOC_CANDIDATES, want), count=facets_job is None,
                                      order_by_field="day", order=order)
                cands = [_Candidate(key=0, doc_addr=addr) for _, addr in res.hits]
                kept = len(res.hits)
            else:
                res = searcher.search(docs_q, limit=RAW_POOL * max(DOC_CANDIDATES, want), count=facets_job is None)
                doc_hits = _with_prior(searcher, res.hits, max(DOC_CANDIDATES, want))
                cands = self._rank(searcher, built, doc_hits, DOC_SHARE[plan.mode]) if doc_hits else []
                kept = len(doc_hits)
        finally:
            facets = facets_job.result() if facets_job is not None else {}
        # every record has a status, so the status buckets sum to the total
        total = sum(facets["status"].values()) if facets else int(getattr(res, "count", 0) or 0)
        return _Ranked(searcher, built, total, facets, cands, kept >= total)

    def _rank(self, searcher: tantivy.Searcher, built: Built, doc_hits: list[Any],
              doc_share: float) -> list[_Candidate]:
        """Order the candidate documents by document score and best article.

        Articles are sought only within the candidates: when the query has fewer matches than
        DOC_CANDIDATES every match is a candidate, and otherwise the best documents by their own score
        are, so no document outside them can enter through an article (which would have to match the
        document query anyway). Restricting the article query makes it read a few thousand article
        records instead of every matching article of the index.
        """
        keys = _keys(searcher, [a for _, a in doc_hits])
        by_key: dict[int, _Candidate] = {}
        for (score, addr), key in zip(doc_hits, keys, strict=True):
            by_key[key] = _Candidate(key=key, doc_score=float(score), doc_addr=addr)
        art_hits = self._best_articles_within(searcher, built.articles, list(by_key))
        art_keys = _keys(searcher, [a for _, a in art_hits])
        for (score, addr), key in zip(art_hits, art_keys, strict=True):
            c = by_key[key]
            if c.art_addr is None:
                c.art_best, c.art_addr = float(score), addr
            else:
                c.art_more += float(score)
        cands = list(by_key.values())
        max_doc = max((c.doc_score for c in cands), default=0.0) or 1.0
        max_art = max((c.art_best for c in cands), default=0.0) or 1.0

        def final(c: _Candidate) -> float:
            art = c.art_best + ARTICLE_SUPPORT * min(c.art_more, 2 * c.art_best)
            return doc_share * c.doc_score / max_doc + (1 - doc_share) * art / max_art

        for c in cands:
            c.doc_score = final(c)
        cands.sort(key=lambda c: c.doc_score, reverse=True)
        return cands

    def _best_articles_within(self, searcher: tantivy.Searcher, articles: Query, keys: list[int],
                              limit: int = ARTICLE_CANDIDATES) -> list[tuple[float, tantivy.DocAddress]]:
        """The ``limit`` best articles of the documents with ``keys``, best first, their scores
        multiplied by the prior.

        Here tantivy applies the prior itself (``weight_by_field``, the product of :func:`_with_prior`):
        the query only reaches the candidates' few thousand articles, so weighing every match is cheap,
        and exact. Exact when split too: the best of the union are among the best of each half.
        """
        def best(part: list[int]) -> list[Any]:
            q = Query.boolean_query([(Occur.Must, articles), (Occur.Must, _within(self.schema, part))])
            return list(searcher.search(q, limit=limit, count=False, weight_by_field="weight").hits)

        if len(keys) < SPLIT_ARTICLES_FROM:
            return best(keys)
        half = len(keys) // 2
        other = self._threads.submit(best, keys[half:])
        hits = best(keys[:half]) + other.result()
        hits.sort(key=lambda h: h[0], reverse=True)
        return hits[:limit]

    def _facets(self, searcher: tantivy.Searcher, docs_q: Query) -> dict[str, dict[str, int]]:
        agg = {f: {"terms": {"field": f, "size": FACET_SIZES[f]}} for f in FACET_FIELDS}
        raw = searcher.aggregate(docs_q, agg)
        out: dict[str, dict[str, int]] = {}
        for f in FACET_FIELDS:
            buckets = raw.get(f, {}).get("buckets", [])
            out[f] = {str(b["key"]) if not isinstance(b["key"], float) else str(int(b["key"])): int(b["doc_count"])
                      for b in buckets}
        return out

    def _page(self, searcher: tantivy.Searcher, built: Built | None, plan: QueryPlan,
              cands: list[_Candidate], query: SearchQuery) -> list[SearchHit]:
        terms = plan.highlight_terms()
        hits: list[SearchHit] = []
        payloads = {id(c): load_payload(searcher.doc(c.doc_addr)) for c in cands if c.doc_addr is not None}
        if built is not None:
            self._best_articles(searcher, built, [c for c in cands if c.doc_addr is not None and c.art_addr is None],
                                payloads)
        for c in cands:
            if c.doc_addr is None:
                continue
            payload = payloads[id(c)]
            article = load_payload(searcher.doc(c.art_addr)) if c.art_addr is not None else None
            snippet = None
            if query.with_snippets:
                source = article["text"] if article else (payload.get("body") or "")
                snippet = make_snippet(source, terms)
                if "<mark>" not in snippet:  # matched in the title or 文号 only: show that
                    heading = " ".join(x for x in (payload.get("title"), payload.get("doc_number")) if x)
                    titled = make_snippet(heading, terms)
                    if "<mark>" in titled or not snippet:
                        snippet = titled
            hits.append(SearchHit(id=payload["id"], score=round(c.doc_score, 6), snippet=snippet,
                                  article=article["number"] if article else None))
        return hits

    def _best_articles(self, searcher: tantivy.Searcher, built: Built, cands: list[_Candidate],
                       payloads: dict[int, dict[str, Any]]) -> None:
        """Best article of page hits that ranking did not name one for: one query for the whole page."""
        if not cands:
            return
        by_key = {(c.key or doc_key(payloads[id(c)]["id"])): c for c in cands}
        # (the prior is one per document, so it cannot change which article of a document is best)
        hits = self._best_articles_within(searcher, built.articles, list(by_key), BEST_ARTICLE_LOOKUP)
        for (_, addr), key in zip(hits, _keys(searcher, [a for _, a in hits]), strict=True):
            c = by_key.get(key)
            if c is not None and c.art_addr is None:  # hits come best first
                c.art_addr = addr

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        """Titles and 文号 containing what was typed, the last character treated as a prefix."""
        text = (prefix or "")[:100]
        norm = normalize(text)
        rs = runs(norm)
        if not rs:
            return []
        title_parts = [run_query(self.schema, r, SUGGEST_FIELDS) for r in rs]
        present = [p for p in title_parts if p is not None]
        if not present:
            return []
        clauses: list[tuple[Occur, Query]] = [(Occur.Must, p) for p in present]
        clauses.append((Occur.Must, Query.const_score_query(Query.term_query(self.schema, "kind", DOC), 0.0)))
        searcher = self._index.searcher()
        res = searcher.search(Query.boolean_query(clauses), limit=max(1, min(limit, 50)), count=False,
                              weight_by_field="weight")
        out = []
        for _, addr in res.hits:
            p = load_payload(searcher.doc(addr))
            out.append(Suggestion(id=p["id"], title=p["title"], doc_number=p.get("doc_number")))
        return out


def _share(searcher: tantivy.Searcher) -> Callable[[str], float] | None:
    """Fraction of article records holding a term (None while the index is too small to tell)."""
    n = searcher.doc_freq("kind", ARTICLE)
    if n < COMMON_MIN_RECORDS:
        return None

    def share(term: str) -> float:
        return float(searcher.doc_freq("art_body", term)) / n

    return share


def _delete(writer: tantivy.IndexWriter, doc_id: str) -> None:
    """Delete a document's record and its article records (they share its key term)."""
    writer.delete_documents_by_term("key_term", str(doc_key(doc_id)))


def _search_threads() -> ThreadPoolExecutor:
    """Threads for the parts of a search that run beside its ranking thread (the facet aggregation, half
    of the article query); four at a time (more would only share the same cores). Their tasks never wait
    on one another, so a full pool only queues them."""
    return ThreadPoolExecutor(max_workers=4, thread_name_prefix="search-side")


def _with_prior(searcher: tantivy.Searcher, hits: list[tuple[Any, tantivy.DocAddress]],
                limit: int) -> list[tuple[float, tantivy.DocAddress]]:
    """The best ``limit`` of ``hits`` (best RAW_POOL × limit by relevance) once multiplied by their prior.

    The product is tantivy's ``weight_by_field`` (score × log2(2 + weight)), computed for these hits only:
    for the document query, asking tantivy for it weighs every match, a third of the cost of a broad
    question on the dense corpus (the article query, restricted to the candidates, does use it). A
    match outside the raw pool could only enter if its prior outweighed the relevance of more than
    ``limit`` better matches; the priors of unpinned documents differ by less than 1.5×, so only a
    pinned document far down the relevance order can be missed.
    """
    if not hits:
        return []
    weights = searcher.fast_field_values("weight", [addr for _, addr in hits])
    out = [(float(score) * math.log2(2.0 + float(w or 0.0)), addr) for (score, addr), w in zip(hits, weights, strict=True)]
    out.sort(key=lambda h: h[0], reverse=True)
    return out[:limit]


def _within(schema: tantivy.Schema, keys: Iterable[int]) -> Query:
    """Records of the documents with these keys, adding no score.

    Direct term lookups, not a term set query: tantivy answers a term set by walking the term
    dictionary with an automaton, twice the time of 200 lookups (2.0 against 1.1 ms at 100,000
    documents). Joined as a disjunction-max, not a boolean union, for the reason given in
    :func:`search.embedded.queries._sum` (a tenth faster again).
    """
    terms = [Query.term_query(schema, "key_term", str(k)) for k in keys]
    if not terms:
        return Query.empty_query()
    return Query.const_score_query(Query.disjunction_max_query(terms, tie_breaker=0.0), 0.0)


def _keys(searcher: tantivy.Searcher, addrs: list[tantivy.DocAddress]) -> list[int]:
    return [int(k or 0) for k in searcher.fast_field_values("key", addrs)]


__all__ = ["ARTICLE", "EmbeddedBackend"]
