"""Finding documents by what people type: an id, a 文号 in any bracket form, a registration number or an
exact title."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from registry.errors import Ambiguous, NotFound
from registry.models import Document
from registry.rules.refs import doc_number_key, registration_number_key, title_key
from registry.rules.status import Status

#: The condition every public read adds: a registered document is public only once published (三统一).
PUBLISHED: Any = col(Document.published_at).is_not(None)

_SUPERSEDED = (Status.AMENDED.value, Status.REPEALED.value, Status.INVALID.value)


def _pick(candidates: list[Document], ref: str, what: str) -> Document:
    if len(candidates) == 1:
        return candidates[0]
    # Several versions of one title (an amended law): the current text is the one people mean.
    current = [d for d in candidates if d.status not in _SUPERSEDED]
    if what == "title" and len(current) == 1:
        return current[0]
    if what == "title":
        pool = current or candidates
        return max(pool, key=lambda d: (d.publication_date is not None, d.publication_date))
    raise Ambiguous(
        f"{ref!r} matches {len(candidates)} documents; use one of their ids",
        details={"candidates": [{"id": d.id, "title": d.title, "doc_number": d.doc_number} for d in candidates]},
    )


def resolve(session: Session, ref: str, *, published_only: bool = False) -> Document:
    """The document ``ref`` names; NotFound or Ambiguous otherwise. ``published_only`` (public reads):
    an unpublished document is not found, exactly like one that does not exist."""
    ref = ref.strip()
    if not ref:
        raise NotFound("empty reference")
    where = [PUBLISHED] if published_only else []
    if len(ref) <= 64:
        doc = session.get(Document, ref)
        if doc is not None and (doc.published_at is not None or not published_only):
            return doc
    reg = registration_number_key(ref)
    if reg:
        found = list(session.exec(select(Document).where(Document.registration_number_key == reg, *where)))
        if found:
            return _pick(found, ref, "registration number")
    num = doc_number_key(ref)
    if num:
        found = list(session.exec(select(Document).where(Document.doc_number_key == num, *where)))
        if found:
            return _pick(found, ref, "文号")
    found = list(session.exec(select(Document).where(Document.title_key == title_key(ref), *where)))
    if found:
        return _pick(found, ref, "title")
    raise NotFound(f"no document matches {ref!r} (tried id, registration number, 文号 and exact title)")


def count_documents(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Document)).one())
