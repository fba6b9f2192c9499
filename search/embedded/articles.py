"""The articles index: one tantivy record per article (第X条), the only place articles are indexed.

Searched twice over: by the document ranking's best-article stage (:mod:`search.embedded.ranking`: the
best articles of the candidate documents) and by article mode (:mod:`search.embedded.article_search`).
Kept apart from the document index (its own directory, ``articles-v<ARTICLES_VERSION>`` beside the
document index) so that articles are scored by BM25 statistics of articles alone, and so the
document engine's paths (totals, facets, top-k) are untouched by them. Each record holds the article's
text, its chapter heading and its document's title (so a question naming the law finds its articles),
the document's filter fields, the document's validity/recency prior as a weight, and ``void_day``: the
day the article lost effect (a partial invalidity), or :data:`NEVER_VOID`.

Guaranteed: :class:`ArticleIndex` is written through the same calls as the document index
(:class:`search.embedded.engine.EmbeddedBackend` forwards ``index``/``delete``/``rebuild``/``clear``),
so the registry's outbox feeds both; each write commits before it returns.
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import tantivy

from search.embedded.schema import Tokens, day_number, doc_key, tokens_of
from search.model import IndexDocument
from search.ranking import prior, tantivy_weight

ARTICLES_VERSION = 1
NEVER_VOID = 10**7  # void_day of an article that never lost effect (a day number far in the future)
_FED = "fed"  # marker file: this index has been written at least once (an empty one is then current)


def articles_directory(root: Path) -> Path:
    return Path(root) / f"articles-v{ARTICLES_VERSION}"


def build_article_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("key", indexed=False, fast=True)
    sb.add_text_field("key_term", tokenizer_name="raw", index_option="basic")
    for name in ("a_text", "a_heading", "a_title", "a_words"):
        sb.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    # the names the document engine's filter clauses use (search.embedded.queries.filters)
    for name in ("status", "issuer", "category"):
        sb.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    sb.add_unsigned_field("year", indexed=True, fast=True)
    sb.add_integer_field("day", indexed=True, fast=True)
    sb.add_integer_field("void_day", indexed=True, fast=True)
    sb.add_float_field("weight", fast=True)
    sb.add_bytes_field("payload", stored=True)
    return sb.build()


def article_records(doc: IndexDocument, today: date | None = None, tokens: Tokens | None = None) -> list[dict[str, Any]]:
    """Field values of one record per article of ``doc`` (none for a document without articles).

    ``tokens``: the document's text as tokenised for the document index (:func:`tokens_of`), reused
    here; the values are the same either way."""
    if not doc.articles:
        return []
    tok = tokens or tokens_of(doc)
    key = doc_key(doc.id)
    weight = tantivy_weight(prior(doc.status, doc.publication_date, doc.pinned, today))
    title = tok.title
    common: dict[str, Any] = {"key": key, "key_term": str(key), "weight": weight, "status": doc.status,
                              "day": day_number(doc.publication_date), "a_title": title}
    if doc.issuer:
        common["issuer"] = doc.issuer
    if doc.category:
        common["category"] = doc.category
    if doc.publication_date is not None:
        common["year"] = doc.publication_date.year
    headings = tok.headings
    out = []
    for a, stream, words in zip(doc.articles, tok.streams, tok.words, strict=True):
        # An empty stream is left out (nine articles in ten have no Latin/digit words): tantivy indexes
        # an absent field as an empty one (no tokens, fieldnorm 0), and skipping it saves indexing time.
        rec = {**common, "a_text": stream, **({"a_words": words} if words else {}),
               "void_day": day_number(a.void_from) if a.void_from else NEVER_VOID,
               "payload": orjson.dumps({"id": doc.id, "ordinal": a.ordinal, "number": a.number, "text": a.text,
                                        "heading": a.heading, "void_from": a.void_from.isoformat() if a.void_from
                                        else None})}
        if a.heading:
            rec["a_heading"] = headings[a.heading]
        out.append(rec)
    return out


class ArticleIndex:
    """The article records of every indexed document, in their own tantivy index under ``root``."""

    def __init__(self, root: Path, heap: int = 128_000_000) -> None:
        self.path = articles_directory(root)
        self.path.mkdir(parents=True, exist_ok=True)
        self.schema = build_article_schema()
        self.index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
        self._heap = heap
        self._lock = threading.Lock()
        self._writer: tantivy.IndexWriter | None = None

    @property
    def fed(self) -> bool:
        """Whether this index was ever written (if not, while documents are indexed, it needs a rebuild)."""
        return (self.path / _FED).exists()

    def index_documents(self, docs: list[IndexDocument]) -> None:
        """Add or replace the articles of ``docs`` (their old articles go in the same commit)."""
        today = date.today()
        self.index_prepared([(doc.id, article_records(doc, today)) for doc in docs])

    def index_prepared(self, prepared: list[tuple[str, list[dict[str, Any]]]]) -> None:
        """Add or replace the articles of documents, given as (id, records from :func:`article_records`),
        prepared with the document index's records (:mod:`search.embedded.preparation`)."""
        with self._lock:
            writer = self._open()
            for doc_id, records in prepared:
                writer.delete_documents_by_term("key_term", str(doc_key(doc_id)))
                self._add_records(writer, records)
            self._commit(writer)

    def delete(self, ids: list[str]) -> None:
        with self._lock:
            writer = self._open()
            for doc_id in ids:
                writer.delete_documents_by_term("key_term", str(doc_key(doc_id)))
            self._commit(writer)

    def clear(self) -> None:
        with self._lock:
            writer = self._open()
            writer.delete_all_documents()
            self._commit(writer)

    def begin_rebuild(self) -> None:
        """Start replacing this index (a rebuild): takes the write lock and empties the pending state.

        Records then come through :meth:`add_prepared`; nothing is committed until :meth:`finish_rebuild`
        (after the document index has committed), :meth:`abandon_rebuild` rolls back when it failed, so
        both indexes change together. One of the two must follow.
        """
        self._lock.acquire()
        try:
            self._open().delete_all_documents()
        except BaseException:
            self._lock.release()
            raise

    def add_prepared(self, records: list[dict[str, Any]]) -> None:
        """One document's article records, during a rebuild (the lock is held since :meth:`begin_rebuild`)."""
        self._add_records(self._open(), records)

    def finish_rebuild(self) -> None:
        try:
            self._commit(self._open())
        finally:
            self._lock.release()

    def abandon_rebuild(self) -> None:
        try:
            self._open().rollback()
        finally:
            self._lock.release()

    def finish_merges(self) -> None:
        with self._lock:
            if self._writer is not None:
                self._writer.wait_merging_threads()
                self._writer = None
        self.index.reload()

    def _open(self) -> tantivy.IndexWriter:
        if self._writer is None:
            self._writer = self.index.writer(heap_size=self._heap, num_threads=1)
        return self._writer

    def _add_records(self, writer: tantivy.IndexWriter, records: list[dict[str, Any]]) -> None:
        for rec in records:
            writer.add_document(tantivy.Document.from_dict(rec, self.schema))

    def _commit(self, writer: tantivy.IndexWriter) -> None:
        writer.commit()
        (self.path / _FED).touch()
        self.index.reload()


def load_article(doc: tantivy.Document) -> dict[str, Any]:
    raw = doc.to_dict().get("payload", [b"{}"])[0]
    result: dict[str, Any] = orjson.loads(bytes(raw))
    return result


__all__ = ["NEVER_VOID", "ArticleIndex", "article_records", "articles_directory", "build_article_schema",
           "load_article"]
