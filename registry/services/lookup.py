"""Finding documents by what people type: an id, a 文号 in any bracket form, a registration number or an
exact title."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from registry.errors import Ambiguous, NotFound
from registry.models import Document
from registry.rules.refs import doc_number_key, registration_number_key, title_key
from registry.rules.status import Status

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


def resolve(session: Session, ref: str) -> Document:
    """The document ``ref`` names; NotFound or Ambiguous otherwise."""
    ref = ref.strip()
    if not ref:
        raise NotFound("empty reference")
    if len(ref) <= 64:
        doc = session.get(Document, ref)
        if doc is not None:
            return doc
    reg = registration_number_key(ref)
    if reg:
        found = list(session.exec(select(Document).where(Document.registration_number_key == reg)))
        if found:
            return _pick(found, ref, "registration number")
    num = doc_number_key(ref)
    if num:
        found = list(session.exec(select(Document).where(Document.doc_number_key == num)))
        if found:
            return _pick(found, ref, "文号")
    found = list(session.exec(select(Document).where(Document.title_key == title_key(ref))))
    if found:
        return _pick(found, ref, "title")
    raise NotFound(f"no document matches {ref!r} (tried id, registration number, 文号 and exact title)")


def count_documents(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Document)).one())
