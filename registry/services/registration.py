"""Registering (登记) a reviewed intake item, the 统一登记号, and publishing (三统一: 统一登记、统一编号、统一发布).

Guarantees:
- a new document gets the next serial of its office for the year, formatted by the office's pattern
  (its own, else the nearest parent's, else the installation's); the serial is taken by one conditional
  UPDATE of a counter row in the registering transaction, so concurrent registrations queue on that row
  (PostgreSQL) or on the write lock (SQLite) and never get the same serial; the counter never goes back,
  so a serial is never issued twice;
- a registered document is unpublished: the validity engine answers 尚未生效 for it, the search index
  leaves it out and public reads answer 404, until :func:`publish` sets ``published_at`` (recorded as an
  event) and the index picks it up in the same commit;
- an amended file of a registered document becomes its next version (a new ``source_files`` row), keeping
  its 统一登记号, instead of a second document;
- the 文号 stays the 文号: it is never used as or derived from the registration number.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import delete, func, insert, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from registry.errors import Conflict, InvalidInput
from registry.models import (
    Article,
    Document,
    EventCreate,
    IntakeItem,
    Office,
    RegistrationSerial,
    Relation,
    SourceFile,
)
from registry.models._types import utcnow
from registry.rules.dates import parse_date
from registry.rules.numbering import format_number
from registry.services import notices
from registry.services.documents import apply_keys, new_id
from registry.services.events import append
from registry.services.intake import DATE_FIELDS, FIELDS
from registry.services.versions import add_version

_LIMITS = {"title": 500, "doc_number": 100, "issuer": 200}


def review_values(raw: dict[str, str | None]) -> dict[str, Any]:
    """The reviewed fields as typed values; InvalidInput naming every bad field (``details["fields"]``
    maps a field to its message, Chinese first) so a form can show each error beside its field."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name in FIELDS:
        value = (raw.get(name) or "").strip()
        if name in DATE_FIELDS:
            try:
                day = parse_date(value, name)
            except InvalidInput:
                errors[name] = f"「{value}」不是有效日期，请按 YYYY-MM-DD 填写 (not a valid date)"
                continue
            if day is not None and not 1949 <= day.year <= 2100:
                errors[name] = "日期须在 1949 至 2100 年之间 (the date must be within 1949–2100)"
                continue
            out[name] = day
        else:
            if len(value) > _LIMITS[name]:
                errors[name] = f"不能超过 {_LIMITS[name]} 个字 (at most {_LIMITS[name]} characters)"
            out[name] = value or None
    if not out.get("title") and "title" not in errors:
        errors["title"] = "标题不能为空 (the title is required)"
    if out.get("effective_date") and out.get("expiry_date") and out["expiry_date"] < out["effective_date"]:
        errors["expiry_date"] = "有效期至早于施行日期 (the expiry date is before the effective date)"
    if errors:
        raise InvalidInput("请更正标出的项目 (please correct the marked fields)", details={"fields": errors})
    return out


def office_chain(session: Session, office_id: int) -> list[Office]:
    """The office and its parents up to the root, nearest first."""
    chain: list[Office] = []
    current = session.get(Office, office_id)
    while current is not None and current not in chain:
        chain.append(current)
        current = session.get(Office, current.parent_id) if current.parent_id else None
    return chain


def next_serial(session: Session, *, office_id: int, year: int) -> int:
    """Take the next serial of ``office_id`` in ``year`` inside the caller's transaction."""
    dialect = session.get_bind().dialect.name
    make = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(make(RegistrationSerial).values(office_id=office_id, year=year, last=0)
                    .on_conflict_do_nothing())
    taken = session.execute(update(RegistrationSerial)
                            .where(col(RegistrationSerial.office_id) == office_id, col(RegistrationSerial.year) == year)
                            .values(last=col(RegistrationSerial.last) + 1)
                            .returning(col(RegistrationSerial.last))).scalar_one()
    return int(taken)


def issue_number(session: Session, *, office_id: int, today: date, default_pattern: str) -> str:
    """The next 统一登记号 of an office: its pattern (or the nearest parent's, or ``default_pattern``)
    with the nearest region, the office's code, the year and the serial."""
    chain = office_chain(session, office_id)
    if not chain:
        raise InvalidInput("登记机关不存在 (the registering office does not exist)", details={"office_id": office_id})
    pattern = next((o.number_pattern for o in chain if o.number_pattern), None) or default_pattern
    region = next((o.region for o in chain if o.region), None)
    seq = next_serial(session, office_id=office_id, year=today.year)
    return format_number(pattern, region=region, code=chain[0].code, year=today.year, seq=seq)


def register(
    session: Session, item: IntakeItem, values: dict[str, Any], *, version_of: Document | None, actor: str,
    today: date, default_pattern: str,
) -> Document:
    """Register a pending item: a new unpublished document with the next 统一登记号, or (``version_of``)
    the next version of that document. Commits; raises Conflict for an item already decided."""
    if item.state != "pending":
        raise Conflict(f"该文件已处理（{item.state}） (this upload is already {item.state})",
                       details={"item": item.id, "state": item.state})
    if item.office_id is None:
        raise InvalidInput("只有机关工作人员可以登记文件 (only staff of an office can register documents)")
    now = utcnow()
    if version_of is None:
        doc = Document(id=new_id(), title_key="", office_id=item.office_id, published_at=None, text=item.text,
                       registration_number=issue_number(session, office_id=item.office_id, today=today,
                                                        default_pattern=default_pattern), **values)
        apply_keys(doc)
        session.add(doc)
        session.flush()
        version_no, note = 1, f"登记，统一登记号 {doc.registration_number}"
    else:
        doc = version_of
        if session.exec(select(SourceFile.id).where(SourceFile.document_id == doc.id,
                                                    SourceFile.sha256 == item.sha256)).first() is not None:
            raise Conflict("该文件已是此文件的一个版本 (this file is already a version of that document)",
                           details={"document": doc.id})
        version_no = 1 + int(session.exec(select(func.coalesce(func.max(SourceFile.version_no), 0))
                                          .where(SourceFile.document_id == doc.id)).one())
        add_version(session, doc=doc, text=item.text, articles=list(item.articles or []), in_force_from=None,
                    effective=values.get("effective_date"), origin="file", today=today, actor=actor,
                    source=f"intake:{item.id}:{item.filename}")  # before the text it replaces is gone
        for name, value in values.items():
            setattr(doc, name, value)
        doc.text, doc.version, doc.updated_at = item.text, doc.version + 1, now
        apply_keys(doc)
        session.add(doc)
        session.flush()
        note = f"登记新版本（第 {version_no} 版）"
    _write_text_rows(session, doc.id, item, version_no, now)
    append(session, document=doc, actor=actor, today=today, data=EventCreate(
        type="note", text=note, evidence={"upload": item.filename},
        payload={"action": "registered" if version_of is None else "new_version", "intake_item": item.id,
                 "registration_number": doc.registration_number, "source_version": version_no}))
    item.state, item.document_id, item.decided_at = "registered", doc.id, now
    item.registered_as = "new" if version_of is None else "version"
    session.add(item)
    session.commit()
    return doc


def _write_text_rows(session: Session, doc_id: str, item: IntakeItem, version_no: int, now: Any) -> None:
    """The document's articles and stated references (replaced) and the stored file (a new version row)."""
    session.execute(delete(Article).where(col(Article.document_id) == doc_id))
    if item.articles:
        session.execute(insert(Article), [
            {"document_id": doc_id, "ordinal": a["ordinal"], "number": a["number"][:40], "text": a["text"],
             "chapter": (a.get("chapter") or None) and a["chapter"][:200],
             "heading": (a.get("heading") or None) and a["heading"][:200]} for a in item.articles])
    session.execute(delete(Relation).where(col(Relation.source_id) == doc_id, col(Relation.state) == "stated"))
    if item.refs:
        session.execute(insert(Relation), [
            {"source_id": doc_id, "kind": r["kind"], "quote": r["quote"][:2000], "state": "stated", "created_at": now,
             "target_title": (r.get("target_title") or "")[:500] or None,
             "target_doc_number": (r.get("target_doc_number") or "")[:100] or None} for r in item.refs])
    session.add(SourceFile(document_id=doc_id, origin=f"intake:{item.id}:{item.filename}", sha256=item.sha256 or "",
                           size_bytes=item.size_bytes, format=item.format or "", stored_name=item.stored_name,
                           version_no=version_no, ingested_at=now))


def publish(session: Session, doc: Document, *, actor: str, today: date) -> Document:
    """Make a registered document public: ``published_at`` is set and a ``note`` event records who
    published it; its status, change feed and index entry follow in the same transaction. Publishing
    a published document changes nothing."""
    if doc.published_at is not None:
        return doc
    doc.published_at = utcnow()
    session.add(doc)
    session.flush()
    append(session, document=doc, actor=actor, today=today, data=EventCreate(
        type="note", text=f"发布（统一登记号 {doc.registration_number or '—'}）",
        payload={"action": "published", "registration_number": doc.registration_number}))
    notices.documents_added(session, [doc])
    session.commit()
    return doc
