"""Follows: one document, or a saved search (query + filters), and the notices each one wants.

A follow is a row with an unguessable id (``secrets.token_urlsafe``): whoever holds the id reads its feed
and can attach a mail address; no account is involved. What a follow wants:

* a document follow: every notice about that document (status changes, amendments and repeals arrive as
  ``status_changed``; new text versions as ``version_added``; ``basis_changed`` tasks as ``task_opened``);
* a saved search: every ``document_added`` whose document matches now — each keyword run of the query
  occurs in its title, 文号 or text (normalised as the search index normalises: traditional/simplified,
  full/half width, bracket variants) and its fields pass the filters (status, issuer, category, year).

Matching reads the stored document when the notice is read, never in the writer's transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree as ET

from sqlmodel import Session, col, select

from registry.errors import InvalidInput, NotFound
from registry.models import Document, Follow, Notice
from registry.rules.status import Status
from registry.rules.text import xml_safe
from registry.services import lookup
from search.normalize import normalize
from search.tokenize import runs

FILTER_KEYS = ("status", "issuer", "category", "year")
ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_LIMIT = 50
_SCAN_LIMIT = 5000  # document_added notices a saved-search feed looks back through


def new_id() -> str:
    """An id nobody can guess (192 random bits)."""
    return secrets.token_urlsafe(24)


def clean_filters(filters: dict[str, Any] | None) -> dict[str, list[str]]:
    """Filters as lists of strings under known keys; anything else is a clear 422."""
    out: dict[str, list[str]] = {}
    for key, value in (filters or {}).items():
        if key not in FILTER_KEYS:
            raise InvalidInput(f"未知的筛选条件 {key!r} / unknown filter {key!r}",
                               details={"allowed": list(FILTER_KEYS)})
        values = value if isinstance(value, list) else [value]
        kept = [str(v).strip()[:200] for v in values if str(v).strip()][:20]
        if kept:
            out[key] = kept
    return out


def create(session: Session, *, document: str | None = None, query: str = "",
           filters: dict[str, Any] | None = None) -> Follow:
    """A new follow of the published document ``document`` (any reference), or of a saved search."""
    query = (query or "").strip()[:500]
    if document:
        doc = lookup.resolve(session, document, published_only=True)
        follow = Follow(id=new_id(), kind="document", document_id=doc.id)
    else:
        cleaned = clean_filters(filters)
        if not runs(normalize(query)) and not cleaned:
            raise InvalidInput("请给出要关注的文件或检索词 / give a document or a search to follow")
        follow = Follow(id=new_id(), kind="search", query=query, filters=cleaned)
    session.add(follow)
    session.commit()
    return follow


def get(session: Session, follow_id: str) -> Follow:
    follow = session.get(Follow, follow_id) if follow_id and len(follow_id) <= 43 else None
    if follow is None:
        raise NotFound("没有这个关注 / no such follow", details={"follow": follow_id[:60]})
    return follow


def document_matches(doc: Document, query: str, filters: dict[str, list[str]]) -> bool:
    """Whether ``doc`` is public and answers the saved search ``query`` + ``filters``."""
    if doc.published_at is None:
        return False
    if "status" in filters and doc.status not in filters["status"]:
        return False
    if "issuer" in filters and (doc.issuer or "") not in filters["issuer"]:
        return False
    if "category" in filters and (doc.category or "") not in filters["category"]:
        return False
    if "year" in filters:
        year = doc.publication_date.year if doc.publication_date else None
        if str(year) not in filters["year"]:
            return False
    wanted = runs(normalize(query))
    if not wanted:
        return True
    haystack = normalize(" ".join((doc.title or "", doc.doc_number or "", doc.text or "")))
    return all(run in haystack for run in wanted)


def wanted_by(session: Session, follow: Follow, notices: Sequence[Notice]) -> list[Notice]:
    """The notices among ``notices`` that ``follow`` wants (see the module docstring)."""
    if follow.kind == "document":
        return [n for n in notices if n.document_id == follow.document_id]
    added = [n for n in notices if n.kind == "document_added" and n.document_id]
    docs = _documents(session, {n.document_id for n in added if n.document_id})
    return [n for n in added if (d := docs.get(n.document_id or "")) is not None
            and document_matches(d, follow.query, follow.filters)]


def _documents(session: Session, ids: Iterable[str]) -> dict[str, Document]:
    ids = list(ids)
    if not ids:
        return {}
    return {d.id: d for d in session.exec(select(Document).where(col(Document.id).in_(ids)))}


def recent(session: Session, follow: Follow, limit: int = FEED_LIMIT) -> list[Notice]:
    """The newest notices ``follow`` wants, newest first (its feed)."""
    if follow.kind == "document":
        return list(session.exec(select(Notice).where(Notice.document_id == follow.document_id)
                                 .order_by(col(Notice.id).desc()).limit(limit)))
    return search_recent(session, follow.query, follow.filters, limit)


def search_recent(session: Session, query: str, filters: dict[str, list[str]],
                  limit: int = FEED_LIMIT) -> list[Notice]:
    """The newest ``document_added`` notices whose document answers the saved search, newest first."""
    out: list[Notice] = []
    before: int | None = None
    scanned = 0
    while len(out) < limit and scanned < _SCAN_LIMIT:
        stmt = select(Notice).where(Notice.kind == "document_added")
        if before is not None:
            stmt = stmt.where(col(Notice.id) < before)
        batch = list(session.exec(stmt.order_by(col(Notice.id).desc()).limit(500)))
        if not batch:
            break
        scanned += len(batch)
        before = batch[-1].id
        probe = Follow(id="", kind="search", query=query, filters=filters)
        out += wanted_by(session, probe, batch)
    return out[:limit]


def describe(session: Session, notices: Sequence[Notice]) -> list[dict[str, Any]]:
    """Notices as plain items for feeds, mail and webhook bodies: the document's title and 文号, a
    one-line summary, and ``public`` (False for a document registered but not yet published, which
    nobody outside is told about)."""
    docs = _documents(session, {n.document_id for n in notices if n.document_id})
    items = []
    for n in notices:
        doc = docs.get(n.document_id or "")
        title = doc.title if doc else (n.data.get("title") or "")
        items.append({"notice_id": n.id, "kind": n.kind, "document_id": n.document_id, "title": title,
                      "public": n.document_id is None or (doc is not None and doc.published_at is not None),
                      "doc_number": doc.doc_number if doc else n.data.get("doc_number"),
                      "data": n.data, "created_at": _aware(n.created_at).isoformat(),
                      "summary": summary(n.kind, n.data)})
    return items


def summary(kind: str, data: dict[str, Any]) -> str:
    """``中文 / English`` in one line, e.g. 时效变更：现行有效 → 已废止 / status changed: in_force → repealed."""
    if kind == "status_changed":
        old = Status.label_of(data.get("old_status")) or data.get("old_status") or "—"
        new = Status.label_of(data.get("new_status")) or data.get("new_status")
        reason = f"（{data['reason']}）" if data.get("reason") else ""
        return f"时效变更：{old} → {new}{reason} / status changed: {data.get('old_status')} → {data.get('new_status')}"
    if kind == "document_added":
        return "新发布文件 / new document"
    if kind == "version_added":
        return "新增文本版本 / new text version"
    if kind == "task_opened":
        return f"新任务：{data.get('kind', '')} / task opened: {data.get('kind', '')}"
    return kind


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def atom(items: list[dict[str, Any]], *, feed_url: str, title: str, base_url: str) -> bytes:
    """An Atom 1.0 feed of ``items`` (from :func:`describe`, newest first), built with an XML library so
    every text is escaped."""
    ET.register_namespace("", ATOM_NS)

    def el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: xml_safe(v) for k, v in attrs.items()})
        if text is not None:
            node.text = xml_safe(text)
        return node

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    el(feed, "id", feed_url)
    el(feed, "title", title)
    el(feed, "link", rel="self", href=feed_url)
    el(feed, "updated", items[0]["created_at"] if items else datetime.now(UTC).isoformat())
    el(el(feed, "author"), "name", "normreg")
    for item in items:
        entry = el(feed, "entry")
        el(entry, "id", f"{base_url}/api/v1/notices#{item['notice_id']}")
        el(entry, "title", f"{item['title']}：{item['summary'].split(' / ')[0]}")
        if item["document_id"]:
            el(entry, "link", href=f"{base_url}/documents/{item['document_id']}")
        el(entry, "updated", item["created_at"])
        el(entry, "summary", item["summary"], type="text")
        el(entry, "category", term=item["kind"])
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")


def public(follow: Follow, base_url: str) -> dict[str, Any]:
    return {"id": follow.id, "kind": follow.kind, "document_id": follow.document_id, "query": follow.query,
            "filters": follow.filters, "created_at": _aware(follow.created_at).isoformat(),
            "feed_url": f"{base_url}/feeds/follows/{follow.id}.atom",
            "page_url": f"{base_url}/follows/{follow.id}"}
