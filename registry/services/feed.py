"""The change feed: every change of a document's status, oldest first, for people and for machines.

Rows come from ``status_changes``, written in the same transaction as the change, so the feed never
misses one and never shows one that was rolled back. ``since`` lets a subscriber fetch only what is new;
the Atom rendering escapes every text (it is built with an XML library, never by string pasting).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree as ET

from sqlalchemy import func
from sqlmodel import Session, col, select

from registry.models import Document, StatusChange
from registry.rules.status import Status
from registry.rules.text import xml_safe
from registry.services.lookup import PUBLISHED

NORMREG_NS = "urn:normreg:audit"
ATOM_NS = "http://www.w3.org/2005/Atom"


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def list_changes(
    session: Session, *, since: datetime | None = None, offset: int = 0, limit: int = 100, newest_first: bool = False
) -> tuple[int, list[dict[str, Any]]]:
    """Status changes after ``since`` (exclusive), paged; each with the document's title and 文号."""
    where = [PUBLISHED] if since is None else [PUBLISHED, col(StatusChange.changed_at) > _aware(since)]
    total = session.exec(select(func.count()).select_from(StatusChange)
                         .join(Document, col(Document.id) == col(StatusChange.document_id)).where(*where)).one()
    order = (col(StatusChange.id).desc(),) if newest_first else (col(StatusChange.id),)
    rows = session.exec(
        select(StatusChange, Document.title, Document.doc_number)
        .join(Document, col(Document.id) == col(StatusChange.document_id))
        .where(*where).order_by(*order).offset(offset).limit(limit)
    )
    items = [{
        "id": ch.id, "document_id": ch.document_id, "title": title, "doc_number": doc_number,
        "old_status": ch.old_status, "old_label": Status.label_of(ch.old_status), "new_status": ch.new_status,
        "new_label": Status.label_of(ch.new_status), "reason": ch.reason, "event_id": ch.event_id,
        "changed_at": _aware(ch.changed_at).isoformat(),
    } for ch, title, doc_number in rows]
    return int(total), items


def atom_feed(items: list[dict[str, Any]], *, base_url: str, audit_head: dict[str, Any] | None = None) -> bytes:
    """An Atom 1.0 document for ``items`` (newest first); ``base_url`` ends without a slash.

    ``audit_head`` (the newest audit entry's id and hash) is published as ``<nr:auditHead entry="ID">``:
    anyone who keeps a copy can later ask ``normreg doctor --anchor ID:HASH`` whether the log was rewritten.
    """
    ET.register_namespace("", ATOM_NS)
    ET.register_namespace("nr", NORMREG_NS)

    def el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: xml_safe(v) for k, v in attrs.items()})
        if text is not None:
            node.text = xml_safe(text)  # a control character in a title must not break the whole feed
        return node

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    el(feed, "id", f"{base_url}/feeds/changes.atom")
    el(feed, "title", "规范性文件时效变更 (normreg status changes)")
    el(feed, "link", rel="self", href=f"{base_url}/feeds/changes.atom")
    el(feed, "updated", items[0]["changed_at"] if items else datetime.now(UTC).isoformat())
    author = el(feed, "author")
    el(author, "name", "normreg")
    if audit_head:
        ET.SubElement(feed, f"{{{NORMREG_NS}}}auditHead", {"entry": str(audit_head["id"])}).text = audit_head["hash"]
    for item in items:
        entry = el(feed, "entry")
        el(entry, "id", f"{base_url}/api/v1/changes#{item['id']}")
        label = item["new_label"] or item["new_status"]
        el(entry, "title", f"{item['title']}：{label}")
        el(entry, "link", href=f"{base_url}/documents/{item['document_id']}")
        el(entry, "updated", item["changed_at"])
        el(entry, "summary", item["reason"] or label, type="text")
        el(entry, "category", term=item["new_status"], label=label)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False)
