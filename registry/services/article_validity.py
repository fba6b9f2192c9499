"""Article status over time, kept in step with the event log.

:func:`refresh` rewrites a document's ``article_validity`` rows from its live partial invalidities
(those no revocation undid): one row per article their ``payload.provisions`` name, with the event's
date as the day the article lost effect and its reason (``payload.reason``, else the legal basis, else
the note). :func:`registry.services.events.append_batch` calls it in the writer's transaction whenever a
partial invalidity or a revocation is recorded, and queues the document for the search index, so the
page, the API and article search all read the same state once the transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete
from sqlmodel import Session, col, select

from registry.errors import NotFound
from registry.models import Article, ArticleValidity, Document, Event
from registry.rules.articles import ArticleKey, article_key, article_status, named_articles
from registry.rules.status import EventType
from registry.rules.validity import not_revoked
from registry.storage import outbox

WATCHED = {EventType.PARTIALLY_INVALID.value, EventType.REVOKED.value}  # event types that can change the rows


def _reason(event: Event) -> str | None:
    for value in (event.payload.get("reason"), event.legal_basis, event.text):
        if value and str(value).strip():
            return str(value).strip()[:2000]
    return None


def refresh(session: Session, document_ids: Iterable[str]) -> None:
    """Rewrite the rows of these documents from their live partial invalidities (no commit)."""
    ids = sorted(set(document_ids))
    if not ids:
        return
    events = session.exec(select(Event).where(col(Event.document_id).in_(ids),
                                              col(Event.type).in_(sorted(WATCHED))).order_by(col(Event.id)))
    by_doc: dict[str, list[Event]] = {}
    for ev in not_revoked(list(events)):
        by_doc.setdefault(ev.document_id, []).append(ev)
    ordinals: dict[str, dict[ArticleKey, tuple[int, str]]] = {i: {} for i in ids}
    for doc_id, ordinal, number in session.exec(select(Article.document_id, Article.ordinal, Article.number)
                                                .where(col(Article.document_id).in_(ids))
                                                .order_by(col(Article.ordinal))):
        key = article_key(number)
        if key is not None:
            ordinals[doc_id].setdefault(key, (ordinal, number))  # a label repeated in an attachment: the first
    session.execute(delete(ArticleValidity).where(col(ArticleValidity.document_id).in_(ids)))
    for doc_id in ids:
        rows: dict[ArticleKey, ArticleValidity] = {}
        for ev in sorted(by_doc.get(doc_id, []), key=lambda e: (e.date or date.max, e.id or 0)):
            if ev.type != EventType.PARTIALLY_INVALID.value or ev.date is None or ev.id is None:
                continue
            for label, key in named_articles(ev.payload.get("provisions")):
                if key in rows:
                    continue  # the earliest decision says when it lost effect
                found = ordinals[doc_id].get(key)
                art_ordinal: int | None = found[0] if found else None
                number = found[1] if found else label
                rows[key] = ArticleValidity(document_id=doc_id, event_id=ev.id, article=number, ordinal=art_ordinal,
                                            void_from=ev.date, reason=_reason(ev))
        session.add_all(rows.values())
    session.flush()
    outbox.queue(session, ids)


def voids_of(session: Session, document_ids: list[str]) -> dict[str, dict[int, ArticleValidity]]:
    """Per document, its void (or to-be-void) articles by ordinal; articles no label matched are left out."""
    out: dict[str, dict[int, ArticleValidity]] = {}
    if not document_ids:
        return out
    for row in session.exec(select(ArticleValidity).where(col(ArticleValidity.document_id).in_(document_ids),
                                                          col(ArticleValidity.ordinal).is_not(None))):
        if row.ordinal is not None:
            out.setdefault(row.document_id, {})[row.ordinal] = row
    return out


def list_for(session: Session, document_id: str) -> list[ArticleValidity]:
    """Every recorded article of the document that lost (or will lose) effect, in article order."""
    if session.get(Document, document_id) is None:
        raise NotFound(f"没有该文件 / no document with id {document_id!r}")
    rows = session.exec(select(ArticleValidity).where(ArticleValidity.document_id == document_id))
    return sorted(rows, key=lambda r: (r.ordinal is None, r.ordinal or 0, r.article))


def status_of(document_status: str, row: ArticleValidity | None, today: date) -> str:
    """The article's own status on ``today`` (see :func:`registry.rules.articles.article_status`)."""
    return article_status(document_status, row.void_from if row else None, today)
