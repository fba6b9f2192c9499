"""Writing the embedded index: one tantivy writer behind a lock, and the schema-version directories.

Guaranteed: writes are serialised (one lock, one tantivy writer for the process) and committed before
a method returns; a failed rebuild rolls back, so the previous index stays as it was. Making a commit
visible to searches (reloading the index, dropping cached rankings) is the caller's part: see
:class:`search.embedded.engine.EmbeddedBackend`.

Each schema version keeps its index in its own directory, ``embedded-v<SCHEMA_VERSION>``: tantivy cannot
convert an index, so an upgrade starts an empty one beside the old, which the application rebuilds from
its records and then removes (:func:`superseded_directories`).
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

import tantivy

from search.embedded.preparation import RecordPreparation, Records
from search.embedded.schema import SCHEMA_VERSION, doc_key
from search.model import IndexDocument


def index_directory(root: Path) -> Path:
    """The directory of this schema version's index under ``root``."""
    return Path(root) / f"embedded-v{SCHEMA_VERSION}"


def superseded_directories(current: Path) -> list[Path]:
    """Index directories of other schema versions beside ``current``, left by an upgrade, sorted."""
    return sorted(p for p in current.parent.glob("embedded-v*") if p.is_dir() and p != current)


def remove_directories(paths: Iterable[Path]) -> None:
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)


class Writer:
    """Index, delete, clear and rebuild, one at a time; each call commits before it returns."""

    def __init__(self, index: tantivy.Index, schema: tantivy.Schema, preparation: RecordPreparation,
                 heap: int = 256_000_000, threads: int = 0) -> None:
        self._index = index
        self._schema = schema
        self._preparation = preparation
        self._heap = heap
        self._threads = threads
        self._lock = threading.Lock()
        self._writer: tantivy.IndexWriter | None = None

    def index(self, docs: list[IndexDocument]) -> list[tuple[str, Records]]:
        """Add or replace ``docs`` (by id): their old records go in the same commit.

        Returns each document's articles-index records, prepared with its own (same tokens), for
        :meth:`search.embedded.articles.ArticleIndex.index_prepared`."""
        today = date.today()
        articles: list[tuple[str, Records]] = []
        with self._lock:
            writer = self._open()
            for doc in docs:
                _delete(writer, doc.id)
            for doc, (recs, arts) in zip(docs, self._preparation.records(docs, today), strict=True):
                self._add(writer, recs)
                articles.append((doc.id, arts))
            writer.commit()
        return articles

    def rebuild(self, batches: Iterable[list[IndexDocument]],
                articles: Callable[[Records], None] | None = None) -> int:
        """Replace the whole index with these documents; searches see the old index until it is done.

        One commit at the end instead of one per batch: committing every few hundred documents made
        tantivy flush and merge hundreds of small segments (figures: docs/benchmarks.md, "What changed
        in the engine (second pass)"). Text preparation runs one batch ahead in the worker processes
        while this thread adds the previous batch, and reading the next batch from the caller overlaps
        both. ``articles`` receives each document's articles-index records, prepared with its own.
        """
        today = date.today()
        count = 0
        with self._lock:
            writer = self._open()
            writer.delete_all_documents()
            try:
                for recs, arts in self._preparation.records_ahead(batches, today):
                    self._add(writer, recs)
                    if articles is not None:
                        articles(arts)
                    count += 1
                writer.commit()
            except BaseException:
                writer.rollback()  # the previous index stays as it was
                raise
        return count

    def delete(self, ids: list[str]) -> None:
        """Remove these documents' records; unknown ids are ignored (their articles live in the articles
        index, which the engine updates beside this one)."""
        with self._lock:
            writer = self._open()
            for doc_id in ids:
                _delete(writer, doc_id)
            writer.commit()

    def clear(self) -> None:
        with self._lock:
            writer = self._open()
            writer.delete_all_documents()
            writer.commit()

    def finish_merges(self) -> None:
        """Wait for background merges and drop the writer; the next write opens a new one."""
        with self._lock:
            self._release()

    def close(self) -> None:
        """Finish merges and stop the preparation workers; writing again reopens both."""
        with self._lock:
            self._release()
            self._preparation.close()

    def _open(self) -> tantivy.IndexWriter:
        if self._writer is None:
            self._writer = self._index.writer(heap_size=self._heap, num_threads=self._threads)
        return self._writer

    def _release(self) -> None:
        if self._writer is not None:
            self._writer.wait_merging_threads()
            self._writer = None

    def _add(self, writer: tantivy.IndexWriter, records: Records) -> None:
        for rec in records:
            writer.add_document(tantivy.Document.from_dict(rec, self._schema))


def _delete(writer: tantivy.IndexWriter, doc_id: str) -> None:
    """Delete a document's record (by its key term; from schema 5 it is the document's only record here)."""
    writer.delete_documents_by_term("key_term", str(doc_key(doc_id)))


__all__ = ["Writer", "index_directory", "remove_directories", "superseded_directories"]
