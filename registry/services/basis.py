"""What a document is based on (依据 / 上位法), resolved to the registry's documents, both ways.

The text's 根据/依据/按照《X》 are kept by ingestion as ``based_on`` relations in state ``stated`` with the
sentence as their quote. :func:`resolve_citations` points each at a stored document by title
(:mod:`registry.rules.law_titles`: prefix optional, brackets folded, version marks ignored) and, when a law
has several texts, at the one in force on the citing document's date. A title the registry does not hold
stays unresolved with its text: never a guess at a similar name. Articles are read from the quote on
demand (:func:`ingest.metadata.citations.cited_articles`), so they always agree with the evidence shown.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import false, or_
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from ingest.metadata.citations import cited_articles
from registry.models import Document, Relation
from registry.models._types import utcnow
from registry.models.basis import BasisItem, BasisTarget
from registry.rules.law_titles import citation_key, title_keys, version_in_force
from registry.services.recheck import changed_documents, changed_since, settle

BASED_ON = "based_on"
LIVE_STATES = ("stated", "confirmed")  # a rejected relation is staff saying "not its basis"


class _Version:
    __slots__ = ("effective_date", "id", "publication_date")

    def __init__(self, doc_id: str, effective: date | None, published: date | None) -> None:
        self.id, self.effective_date, self.publication_date = doc_id, effective, published


class TitleIndex:
    """Every stored document under each of its title keys, read in one query.

    With ``keys``, only documents that may hold one of them are read (:func:`_may_hold`): a clerk's upload
    cites a few laws, and reading every title of a large registry for them cost most of the upload. The
    documents read are then complete for those keys; ``dates`` holds the dates of the documents read."""

    def __init__(self, session: Session, keys: set[str] | None = None) -> None:
        self.by_key: dict[str, list[_Version]] = defaultdict(list)
        self.dates: dict[str, date | None] = {}
        query = select_columns(col(Document.id), col(Document.title), col(Document.effective_date),
                               col(Document.publication_date), col(Document.written_date))
        if keys is not None:
            query = query.where(or_(*(_may_hold(key) for key in sorted(keys)), false()))
        for doc_id, title, effective, published, written in session.execute(query):
            version = _Version(doc_id, effective, published)
            for key in title_keys(title):
                self.by_key[key].append(version)
            self.dates[doc_id] = published or effective or written

    def find(self, cited_title: str, *, on: date | None, exclude: str | None = None) -> str | None:
        """The document ``cited_title`` names as in force ``on`` that day; None when none is stored."""
        versions = [v for v in self.by_key.get(citation_key(cited_title), []) if v.id != exclude]
        found = version_in_force(versions, on)
        return found.id if found else None


FEW_KEYS = 50  # up to this many distinct cited titles, only the documents that may hold them are read


def _may_hold(key: str) -> Any:
    """Documents whose stored title key may fold to ``key`` (a superset, never missing one).

    title_keys() drops the marks 〈〉<> from the stored key, a version mark at its end and the prefix at its
    start, so ``key`` is a run of the stored key with at most those marks inside: its characters appear
    in it in order. LIKE '%c%h%a%r%' says exactly that (specials escaped)."""
    chars = [c if c not in "%_\\" else "\\" + c for c in key]
    return col(Document.title_key).like("%" + "%".join(chars) + "%", escape="\\")


def _dates_of(session: Session, ids: set[str]) -> dict[str, date | None]:
    """The date each document's citations are read at (published, else effective, else written)."""
    out: dict[str, date | None] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), 500):
        for doc_id, published, effective, written in session.execute(select_columns(
                col(Document.id), col(Document.publication_date), col(Document.effective_date),
                col(Document.written_date)).where(col(Document.id).in_(wanted[start:start + 500]))):
            out[doc_id] = published or effective or written
    return out


def resolve_citations(session: Session, index: TitleIndex | None = None) -> int:
    """Point every unresolved ``based_on`` relation at the stored law it names; returns how many.

    A citation an earlier pass left unresolved is tried again only when a document changed since carries
    the title it cites (:mod:`registry.services.recheck`); then, like a new one, against every version
    stored, so the one in force on the citing date is found as before.
    """
    started = utcnow()
    pending = list(session.execute(select_columns(
        col(Relation.id), col(Relation.source_id), col(Relation.target_title), col(Relation.checked_at))
        .where(col(Relation.target_id).is_(None), col(Relation.kind) == BASED_ON, col(Relation.state) == "stated")))
    if not pending:
        return 0
    recent_keys = {key for (title,) in changed_documents(session, changed_since(p.checked_at for p in pending),
                                                         col(Document.title)) for key in title_keys(title)}
    todo = [rel for rel in pending if rel.target_title
            and (rel.checked_at is None or citation_key(rel.target_title) in recent_keys)]
    whole = index is not None  # a caller's index holds every document (and its dates)
    if todo and index is None:
        keys = {citation_key(rel.target_title or "") for rel in todo}
        whole = len(keys) > FEW_KEYS
        index = TitleIndex(session, None if whole else keys)
    dates = index.dates if whole and index is not None else _dates_of(session, {rel.source_id for rel in todo})
    tried = {rel.id for rel in todo}
    resolved: list[tuple[int, str]] = []
    unresolved: list[tuple[int, datetime | None]] = []
    for rel in pending:
        target = None
        if rel.id in tried and index is not None:
            target = index.find(rel.target_title or "", on=dates.get(rel.source_id), exclude=rel.source_id)
        if target is not None:
            resolved.append((rel.id, target))
        else:
            unresolved.append((rel.id, rel.checked_at))
    settle(session, resolved, unresolved, started)
    return len(resolved)


def _target(doc: Document | None) -> BasisTarget | None:
    return BasisTarget(id=doc.id, title=doc.title, status=doc.status) if doc is not None else None


def basis_of(session: Session, document_id: str, *, public: bool = True) -> list[BasisItem]:
    """The 《…》 ``document_id`` is based on, in the order found, each with its articles and its target.

    With ``public`` a target not yet published is shown as unresolved (its title only)."""
    rels = session.exec(select(Relation).where(Relation.source_id == document_id, Relation.kind == BASED_ON,
                                               col(Relation.state).in_(LIVE_STATES)).order_by(col(Relation.id)))
    items = []
    for rel in rels:
        target = session.get(Document, rel.target_id) if rel.target_id else None
        if target is not None and public and target.published_at is None:
            target = None
        title = rel.target_title or (target.title if target else "")
        items.append(BasisItem(title=title, articles=cited_articles(rel.quote, title) if title else [],
                               document=_target(target), quote=rel.quote))
    return items


def based_on_it(session: Session, document_id: str, *, public: bool = True) -> list[BasisTarget]:
    """The documents that name ``document_id`` as their basis (被依据), oldest relation first."""
    query = (select(Document).join(Relation, col(Relation.source_id) == col(Document.id))
             .where(Relation.target_id == document_id, Relation.kind == BASED_ON,
                    col(Relation.state).in_(LIVE_STATES)).order_by(col(Relation.id)))
    if public:
        query = query.where(col(Document.published_at).is_not(None))
    seen: dict[str, BasisTarget] = {}
    for doc in session.exec(query):
        seen.setdefault(doc.id, BasisTarget(id=doc.id, title=doc.title, status=doc.status))
    return list(seen.values())


def dependents(session: Session, basis_ids: list[str]) -> list[tuple[Any, ...]]:
    """(dependent id, its status, basis id, cited title, quote) for every live ``based_on`` relation to any
    of ``basis_ids``: one query for a whole batch of changes."""
    if not basis_ids:
        return []
    rows = session.execute(select_columns(col(Relation.source_id), col(Document.status), col(Relation.target_id),
                                          col(Relation.target_title), col(Relation.quote))
                        .join(Document, col(Document.id) == col(Relation.source_id))
                        .where(col(Relation.target_id).in_(basis_ids), col(Relation.kind) == BASED_ON,
                               col(Relation.state).in_(LIVE_STATES)).order_by(col(Relation.id)))
    return [tuple(r) for r in rows]


__all__ = ["TitleIndex", "based_on_it", "basis_of", "dependents", "resolve_citations"]
