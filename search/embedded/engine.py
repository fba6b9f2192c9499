"""The embedded search engine: tantivy over normalised character bigrams, files under one directory.

Chosen over SQLite FTS5 by measurement (docs/benchmarks.md): same bigram tokenisation, a full page with
four facets several times faster and a smaller index. Nothing to start; the index lives in
``<data_dir>/search/embedded-v<SCHEMA_VERSION>``.

:class:`EmbeddedBackend` composes the parts, each in its module:

- :mod:`~search.embedded.writer`: the writer lock, index/delete/rebuild, schema-version directories;
- :mod:`~search.embedded.preparation`: text preparation, in worker processes for big batches;
- :mod:`~search.embedded.ranking`: the two-stage document + article ranking (the articles from the
  articles index);
- :mod:`~search.embedded.facets`: total and facets beside the ranking, exact up to a threshold and
  estimated from a sample of the index above it (flagged in the result);
- :mod:`~search.embedded.page`: the page's hits, best articles and snippets;
- :mod:`~search.embedded.suggest`: type-ahead over titles and 文号;
- :mod:`~search.embedded.articles` / :mod:`~search.embedded.article_search`: the articles index beside
  the document index (written by the same calls; the only copy of the articles) and article mode
  (``SearchQuery.unit == "article"``).

An evaluated query (total, facets, ordered candidates) is kept for a few seconds
(:mod:`search.embedded.cache`), so paging and repeated queries cost only the page.

Thread safety: searches take a fresh searcher (cheap, immutable snapshot); writes are serialised by a
lock and committed before ``index``/``delete`` return, so a search right after sees the change.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import tantivy
from tantivy import Query

from search.embedded.article_search import search_articles
from search.embedded.articles import ArticleIndex
from search.embedded.cache import RankingCache
from search.embedded.facets import Bounds
from search.embedded.page import page_hits
from search.embedded.preparation import RecordPreparation
from search.embedded.ranking import Ranked, Ranker, cache_key
from search.embedded.schema import DOC, build_schema, load_payload
from search.embedded.suggest import suggestions
from search.embedded.writer import Writer, index_directory, remove_directories, superseded_directories
from search.model import MAX_RESULT_WINDOW, IndexDocument, SearchQuery, SearchResult, Suggestion
from search.query import QueryPlan, plan_query

MAX_PER_PAGE = 100  # the API's limit too; deeper reading pages instead


class EmbeddedBackend:
    """A :class:`search.model.SearchBackend` over a tantivy index in ``directory``."""

    def __init__(self, directory: Path, writer_heap: int = 256_000_000, writer_threads: int = 0,
                 workers: int | None = None, cache_seconds: float = 30.0, bounds: Bounds | None = None) -> None:
        self.path = index_directory(directory)
        self.path.mkdir(parents=True, exist_ok=True)
        self.schema = build_schema()
        self._index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
        # Text preparation (normalise, bigrams) is Python; big batches spread it over worker processes.
        self._writer = Writer(self._index, self.schema, RecordPreparation(workers), writer_heap, writer_threads)
        # the one copy of every article: the document ranking's best-article stage and article mode
        self._articles = ArticleIndex(directory)
        # bounds: when counts are exact (search.embedded.facets)
        self._ranker = Ranker(self.schema, self._articles.schema, bounds)
        self._cache: RankingCache[Ranked] = RankingCache(ttl=cache_seconds)
        self._generation = 0

    # -- writing ---------------------------------------------------------------------------------------
    def index(self, docs: list[IndexDocument]) -> None:
        if not docs:
            return
        self._articles.index_prepared(self._writer.index(docs))  # both from one preparation
        self._published()

    def rebuild(self, batches: Iterable[list[IndexDocument]]) -> int:
        """Replace the whole index with these documents; searches see the old index until it is done."""
        self._articles.begin_rebuild()  # the articles index is rebuilt from the same preparation
        try:
            count = self._writer.rebuild(batches, self._articles.add_prepared)
        except BaseException:
            self._articles.abandon_rebuild()
            raise
        self._articles.finish_rebuild()
        self._published()
        return count

    def delete(self, ids: list[str]) -> None:
        if not ids:
            return
        self._writer.delete(ids)
        self._articles.delete(ids)
        self._published()

    def clear(self) -> None:
        self._writer.clear()
        self._articles.clear()
        self._published()

    def _published(self) -> None:
        """After a commit: searches from now on see it, and no ranking computed before it is reused."""
        self._index.reload()
        self._generation += 1  # a search that began before this write cannot store its ranking for later ones
        self._cache.clear()

    def optimize(self) -> None:
        """Wait for background merges (after a bulk load); searches are faster on fewer segments. Also
        what makes another process's commits (a bulk import's feed process) visible here at once."""
        self._writer.finish_merges()
        self._articles.finish_merges()
        self._published()

    def close(self) -> None:
        """Finish merges, stop worker processes and side threads; the backend stays usable afterwards."""
        self._writer.close()
        self._articles.finish_merges()
        self._ranker.close()

    # -- format upgrades -------------------------------------------------------------------------------
    def superseded(self) -> list[Path]:
        """Index directories of older schema versions beside this one, left by an upgrade.

        A new schema version starts an empty index in its own directory (tantivy cannot convert one);
        the application rebuilds it from its records, then calls :meth:`remove_superseded`.
        """
        old = superseded_directories(self.path)
        if not old and not self._articles.fed and self._index.searcher().num_docs:
            return [self._articles.path]  # documents indexed before the articles index existed: rebuild
        return old

    def remove_superseded(self) -> None:
        remove_directories(self.superseded())

    # -- reading ---------------------------------------------------------------------------------------
    def ids_with_versions(self) -> dict[str, str]:
        searcher = self._index.searcher()
        n = searcher.num_docs
        if n == 0:
            return {}
        out: dict[str, str] = {}
        kind = Query.term_query(self.schema, "kind", DOC)
        for _, addr in searcher.search(kind, limit=n, count=False).hits:
            payload = load_payload(searcher.doc(addr))
            out[payload["id"]] = payload.get("version", "")
        return out

    def search(self, query: SearchQuery) -> SearchResult:
        started = time.perf_counter()
        plan = plan_query(query.q)
        search_plan = self._search_articles if query.unit == "article" else self._search_plan
        result = search_plan(plan, query)
        if result.total == 0 and plan.mode == "all":
            relaxed = plan.relaxed()
            if relaxed is not plan:
                result = search_plan(relaxed, query)
        result.took_ms = round((time.perf_counter() - started) * 1000, 2)
        return result

    def _search_plan(self, plan: QueryPlan, query: SearchQuery) -> SearchResult:
        per_page = max(1, min(int(query.per_page), MAX_PER_PAGE))
        offset = (max(1, int(query.page)) - 1) * per_page
        want = min(offset + per_page, MAX_RESULT_WINDOW)  # never rank (nor cache) past the window
        if offset >= want:
            query = replace(query, page=1, per_page=1)  # the total and facets still count every match
            result = self._search_plan(plan, query)
            return SearchResult(total=result.total, hits=[], facets=result.facets,
                                total_estimated=result.total_estimated, facets_estimated=result.facets_estimated)
        key = (self._generation, *cache_key(plan, query))
        ranked = self._cache.get(key)
        if ranked is None or (len(ranked.cands) < want and not ranked.complete):
            ranked = self._ranker.evaluate(self._index.searcher(), self._articles.index.searcher(), plan, query, want)
            self._cache.put(key, ranked)
        hits = page_hits(self._ranker, ranked.searcher, ranked.art_searcher, ranked.built, plan,
                         ranked.cands[offset:want], query)
        return SearchResult(total=ranked.total, hits=hits, facets=dict(ranked.facets),
                            total_estimated=ranked.estimated, facets_estimated=ranked.estimated)

    def _search_articles(self, plan: QueryPlan, query: SearchQuery) -> SearchResult:
        return search_articles(self._articles, self._ranker, self._index.searcher(), plan, query)

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        """Titles and 文号 containing what was typed, the last character treated as a prefix."""
        return suggestions(self.schema, self._index.searcher(), prefix, limit)


__all__ = ["EmbeddedBackend"]
