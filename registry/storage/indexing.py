"""The search index as a projection of the registry.

Changes reach the index only through the outbox, written in the same transaction as the change; this
module turns outbox entries into backend calls (inline after a commit on one machine, or from
``normreg worker``), rebuilds the whole index (``normreg reindex``) and compares registry and index
(``normreg doctor``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, func, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from registry.models import Article, ArticleValidity, Document, OutboxEntry
from registry.models._types import utcnow
from registry.storage import outbox
from search.model import IndexArticle, IndexDocument, SearchBackend

log = logging.getLogger(__name__)

BATCH = 500
FEED_BATCH = 5000  # outbox entries per index write: a bulk import's gathered chunks go in with one commit of the index
FEED_GATHER = 4.0  # seconds a bulk import's feed lets chunks gather: fewer, larger index commits cost less CPU
_LAW_PREFIX = "中华人民共和国"


def version_token(version: int, status: str) -> str:
    """What the index must hold for a document to be current: its edit version and its status."""
    return f"{version}:{status}"


def aliases_for(title: str) -> list[str]:
    """Short names people use: 民法典 for 中华人民共和国民法典."""
    if title.startswith(_LAW_PREFIX) and len(title) > len(_LAW_PREFIX) + 1:
        return [title[len(_LAW_PREFIX):]]
    return []


Progress = Callable[[int, int, str], None]  # (done, total, what): the CLI's progress bar


def to_index_document(doc: Document | Any, articles: list[IndexArticle]) -> IndexDocument:
    """What the index holds for ``doc``: a Document, or a plain row with the same column names."""
    return IndexDocument(
        id=doc.id, title=doc.title, body=doc.text, doc_number=doc.doc_number, issuer=doc.issuer,
        category=doc.category, status=doc.status, publication_date=doc.publication_date, pinned=doc.pinned,
        region=doc.region, version=version_token(doc.version, doc.status), aliases=aliases_for(doc.title),
        articles=articles,
    )


_INDEXED = (Document.id, Document.title, Document.text, Document.doc_number, Document.issuer, Document.category,
            Document.status, Document.publication_date, Document.pinned, Document.region, Document.version)


def _load(session: Session, ids: list[str]) -> list[IndexDocument]:
    # plain rows, not ORM objects, for documents and articles alike: a rebuild reads every document of the
    # registry and every article (1.7 million at scale), a bulk import's feed a chunk of them at a time
    docs = list(session.execute(sa_select(*(col(c) for c in _INDEXED)).where(
        col(Document.id).in_(ids), col(Document.published_at).is_not(None))))  # unpublished: not in the projection
    by_doc: dict[str, list[IndexArticle]] = {d.id: [] for d in docs}
    rows = session.execute(sa_select(col(Article.document_id), col(Article.ordinal), col(Article.number),
                                     col(Article.text), col(Article.chapter))
                           .where(col(Article.document_id).in_(list(by_doc))).order_by(col(Article.id)))
    voids = _voids(session, list(by_doc))
    for row in rows:
        void = voids.get(row.document_id, {}).get(row.ordinal)
        by_doc[row.document_id].append(IndexArticle(ordinal=row.ordinal, number=row.number, text=row.text,
                                                    heading=row.chapter, void_from=void.void_from if void else None,
                                                    void_reason=void.reason if void else None))
    return [to_index_document(d, by_doc[d.id]) for d in docs]


def _voids(session: Session, doc_ids: list[str]) -> dict[str, dict[int, ArticleValidity]]:
    """Articles a partial invalidity ended (registry/services/article_validity.py), by document and ordinal."""
    out: dict[str, dict[int, ArticleValidity]] = {}
    if doc_ids:
        for row in session.exec(select(ArticleValidity).where(col(ArticleValidity.document_id).in_(doc_ids),
                                                              col(ArticleValidity.ordinal).is_not(None))):
            out.setdefault(row.document_id, {})[int(row.ordinal or 0)] = row
    return out


def drain_outbox(engine: Engine, backend: SearchBackend, *, limit: int | None = None, merge: bool = True) -> int:
    """Apply pending outbox entries to the index; returns how many documents were refreshed.

    Entries are marked processed only after the backend accepted the batch, so a crash in between
    re-applies them (indexing is idempotent) rather than losing them. The database is held only while
    a batch is read and while it is marked, never while the index writes it: on SQLite every session of
    ``engine`` holds the write lock, and a bulk import writing its next chunk must not wait for the index.
    Only the entries read are marked, so a change queued meanwhile is applied by the next batch.
    With ``merge`` a large drain ends by merging the index's segments; a bulk import's feed process
    merges once at its end instead.
    """
    total = 0
    while limit is None or total < limit:
        with Session(engine) as session:
            entries = list(session.exec(select(OutboxEntry.id, OutboxEntry.document_id)
                                        .where(col(OutboxEntry.processed_at).is_(None))
                                        .order_by(col(OutboxEntry.id)).limit(FEED_BATCH)))
            if not entries:
                break
            ids = sorted({doc_id for _, doc_id in entries})
            docs = _load(session, ids)
        present = {d.id for d in docs}
        if docs:
            backend.index(docs)
        gone = [i for i in ids if i not in present]
        if gone:
            backend.delete(gone)
        with Session(engine) as session:
            session.execute(update(OutboxEntry).where(col(OutboxEntry.id).in_([entry_id for entry_id, _ in entries]))
                            .values(processed_at=utcnow()))
            session.commit()
        total += len(ids)
    if merge and total >= BULK:
        _optimize(backend)
    return total


@contextmanager
def fed_in_background(session: Session, *, documents: int = 0) -> Iterator[None]:
    """While the block runs, the index feed that ``session``'s commits trigger runs beside it.

    For a bulk import: its next chunks are read and written while the index takes the last ones, so
    extraction, storage and indexing keep both cores busy instead of taking turns. When the session's
    runtime offers one for ``documents`` documents (``outbox.FEED_PROCESS``), the feed runs in a process
    of its own (:mod:`registry.storage.feed_process`: its Python work no longer shares the importer's
    GIL); otherwise in a thread. Either lets
    ``FEED_GATHER`` seconds of chunks gather before it writes them: tantivy's CPU per document falls
    with the size of a commit (docs/benchmarks.md, "Bulk import at 100,000"). The commit hook
    still decides when to feed (a commit that queued documents); the feed only no longer holds up the
    committing thread. On leaving, the last feed is waited for, so the index is as current as after
    inline feeding. A failed feed is logged and leaves its entries pending, as inline.
    """
    feeder = session.info.get(outbox.FEEDER)
    if feeder is None:
        yield
        return
    offer = session.info.get(outbox.FEED_PROCESS)
    process = offer(documents) if offer is not None else None
    if process is not None:
        with process as wake:
            session.info[outbox.FEEDER] = wake
            try:
                yield
            finally:
                session.info[outbox.FEEDER] = feeder
        return
    wake = threading.Event()
    leaving = threading.Event()

    def feed() -> None:
        while True:
            wake.wait()
            leaving.wait(FEED_GATHER)  # a few more chunks: each index commit (and its merges) costs CPU
            wake.clear()
            try:
                feeder()
            except Exception:
                log.exception("feeding the search index failed; the outbox keeps the entries for the next feed")
            if leaving.is_set() and not wake.is_set():
                return

    thread = threading.Thread(target=feed, name="normreg-index-feed", daemon=True)
    thread.start()
    session.info[outbox.FEEDER] = wake.set
    try:
        yield
    finally:
        session.info[outbox.FEEDER] = feeder
        leaving.set()
        wake.set()
        thread.join()


def pending_outbox(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(OutboxEntry)
                                .where(col(OutboxEntry.processed_at).is_(None))).one())


def reindex(engine: Engine, backend: SearchBackend, progress: Progress | None = None) -> int:
    """Rebuild the index from the registry alone; returns the number of documents indexed.

    Documents are read in batches and handed to the backend's ``rebuild`` as a stream, so the
    embedded engine prepares one batch while the next is read, and commits once at the end (searches
    see the old index until then). Outbox entries written before the rebuild started are settled by
    it; entries written during it stay pending and are applied afterwards.
    """
    with Session(engine) as session:
        settled = session.exec(select(func.max(OutboxEntry.id))).one() or 0
        ids = list(session.exec(select(Document.id).where(col(Document.published_at).is_not(None))
                                .order_by(col(Document.id))))

        def batches() -> Iterator[list[IndexDocument]]:
            for start in range(0, len(ids), BATCH):
                yield _load(session, ids[start:start + BATCH])
                if progress is not None:
                    progress(min(start + BATCH, len(ids)), len(ids), "")

        count = backend.rebuild(batches())
        session.execute(update(OutboxEntry).where(col(OutboxEntry.processed_at).is_(None),
                                                  col(OutboxEntry.id) <= settled)
                        .values(processed_at=utcnow()))
        session.commit()
    _optimize(backend)
    return count


def upgrade_index(engine: Engine, backend: SearchBackend) -> int | None:
    """Rebuild the index when an upgrade changed its format; the number rebuilt, or None if nothing to do.

    The embedded engine keeps each schema version in its own directory, so after an upgrade the new
    index is empty while the old one is still on disk. Rebuilding from the registry (the source of
    truth) is the whole migration; the old directory is removed only once the rebuild has finished, so
    an interrupted rebuild is simply done again next time.
    """
    if not backend.superseded():
        return None
    log.warning("search index format changed: rebuilding it from the registry")
    count = reindex(engine, backend)
    backend.remove_superseded()
    return count


BULK = 1000  # after refreshing this many documents at once, let the engine merge its segments


def _optimize(backend: SearchBackend) -> None:
    """Merge index segments after a bulk load where the backend can (the embedded engine); searches on
    fewer segments are faster. Backends without the notion (Meilisearch) are left alone."""
    backend.optimize()


def compare(engine: Engine, backend: SearchBackend) -> list[dict[str, Any]]:
    """Problems between registry and index: missing, stale or orphan entries."""
    with Session(engine) as session:
        # three columns, not whole documents: the texts of 100,000 documents need not be read to compare
        expected = {doc_id: version_token(version, status)
                    for doc_id, version, status in session.exec(select(Document.id, Document.version, Document.status)
                                                                 .where(col(Document.published_at).is_not(None)))}
    actual = backend.ids_with_versions()
    problems: list[dict[str, Any]] = []
    for doc_id, version in expected.items():
        if doc_id not in actual:
            problems.append({"kind": "missing_from_index", "id": doc_id})
        elif actual[doc_id] != version:
            problems.append({"kind": "stale_in_index", "id": doc_id, "registry": version, "index": actual[doc_id]})
    problems.extend({"kind": "orphan_in_index", "id": i} for i in actual.keys() - expected.keys())
    return problems
