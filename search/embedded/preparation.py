"""Text preparation for indexing (normalise, bigram streams): Python work, spread over worker processes.

Turning an :class:`search.model.IndexDocument` into record field values (for the document index and
the articles index alike, from one tokenisation) is pure Python and most of the indexing time, so batches big enough to pay for the hand-off are prepared in a pool of spawned
worker processes while the writer adds what is already prepared (figures: docs/benchmarks.md,
"Speed: what changed"). Guaranteed: records come back in the order of the documents, and the same as
when prepared in process (and as :func:`~search.embedded.schema.record_dicts` and
:func:`~search.embedded.articles.article_records` give one by one); a broken pool is given up and preparation goes on in process.

Not thread safe by itself: the writer calls it with its write lock held.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from typing import Any

from search.embedded.articles import article_records
from search.embedded.schema import record_dicts, tokens_of
from search.model import IndexDocument

log = logging.getLogger(__name__)

Records = list[dict[str, Any]]  # the field values of one document's records
Prepared = tuple[Records, Records]  # a document's records in the document index, and in the articles index


def prepared(doc: IndexDocument, today: date) -> Prepared:
    """Both indexes' records of ``doc``, its text tokenised once for the two."""
    tokens = tokens_of(doc)
    return record_dicts(doc, today, tokens), article_records(doc, today, tokens)


def prepared_many(docs: list[IndexDocument], today: date) -> list[Prepared]:
    """:func:`prepared` for several documents (the unit of work of an indexing process)."""
    return [prepared(doc, today) for doc in docs]

POOL_MIN_BATCH = 100  # smaller batches (one edit, an outbox drain) are prepared inline: no hand-off cost
POOL_CHUNK = 25  # documents per worker task: a registry batch of 500 spreads over every worker


class RecordPreparation:
    """Prepares the records of documents, in worker processes when a batch is big enough.

    ``workers`` None means one per core; below 2 everything is prepared in process. The pool starts
    on the first big batch and lives until :meth:`close`.
    """

    def __init__(self, workers: int | None = None) -> None:
        self._workers = (os.cpu_count() or 1) if workers is None else workers
        self._pool: ProcessPoolExecutor | None = None

    def records(self, docs: list[IndexDocument], today: date) -> Iterator[Prepared]:
        """Both indexes' record field values per document of ``docs``, in order."""
        if len(docs) < POOL_MIN_BATCH:
            for doc in docs:
                yield prepared(doc, today)
            return
        yield from self.records_ahead([docs], today)

    def records_ahead(self, batches: Iterable[list[IndexDocument]], today: date) -> Iterator[Prepared]:
        """Records of every document of ``batches``, in order, the next batch already being prepared."""
        pending: deque[tuple[list[IndexDocument], list[Future[list[Prepared]]]]] = deque()
        for batch in batches:
            if batch:
                pending.append((batch, self._submit(batch, today)))
            if len(pending) > 1:
                yield from self._collect(*pending.popleft(), today)
        while pending:
            yield from self._collect(*pending.popleft(), today)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def _submit(self, batch: list[IndexDocument], today: date) -> list[Future[list[Prepared]]]:
        """Worker tasks for ``batch`` in chunks of POOL_CHUNK; none without a (working) pool."""
        pool = self._pool_or_none()
        if pool is None:
            return []
        try:
            return [pool.submit(prepared_many, batch[i:i + POOL_CHUNK], today)
                    for i in range(0, len(batch), POOL_CHUNK)]
        except BrokenProcessPool:
            self._pool_failed()
            return []

    def _collect(self, batch: list[IndexDocument], futures: list[Future[list[Prepared]]],
                 today: date) -> Iterator[Prepared]:
        """The workers' records of ``batch``; what they did not deliver is prepared here."""
        done = 0
        try:
            for future in futures:
                yield from future.result()
                done += 1
        except BrokenProcessPool:
            self._pool_failed()
        for doc in batch[done * POOL_CHUNK:]:  # all of it when no worker took it
            yield prepared(doc, today)

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


__all__ = ["POOL_CHUNK", "POOL_MIN_BATCH", "Prepared", "RecordPreparation", "Records", "prepared", "prepared_many"]
