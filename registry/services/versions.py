"""A document's text versions: recording a new text, the text in force on a day, and diffs.

Guarantees:
- versions of one document are numbered 1, 2, … and their periods in force follow each other without gap
  or overlap: adding version n+1 in force from day D closes version n on D − 1. A version may not start
  on or before the day the previous one started (InvalidInput), so the timeline is never rewritten;
- a document whose text never changed has one *implied* version (its current text, in force from its
  effective or publication date) that is not stored; the first change stores it before the new one, so
  what was in force before an amendment is never lost. A text edited in place since its version was
  stored (a correction) is what that version keeps;
- a text equal to the newest one but for formatting (see :mod:`registry.rules.textdiff`) is not a new
  version;
- every stored new version is announced (``version_added``) in the writer's transaction.

Callers (ingestion of a changed file, registering an amended upload, an amendment applied by staff) call
:func:`add_version` *before* they replace the document's text and articles.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, ClassVar

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from ingest.articles import split_articles
from registry.errors import InvalidInput, NotFound
from registry.models import Article, Document, EventCreate
from registry.models._types import utcnow
from registry.models.versions import ORIGIN_LABELS, TextVersion, TextVersionCreate
from registry.rules.status import Status
from registry.rules.textdiff import TextDiff, Unit, body_of, diff_texts, diff_units, same_text
from registry.services import lookup, notices
from registry.services.events import append
from registry.storage import audit, outbox


class OutsideKnown(NotFound):
    """The day asked for lies outside the period the known versions cover."""

    code: ClassVar[str] = "outside_known_versions"


def stored_versions(session: Session, document_id: str) -> list[TextVersion]:
    return list(session.exec(select(TextVersion).where(TextVersion.document_id == document_id)
                             .order_by(col(TextVersion.version_no))))


def current_articles(session: Session, document_id: str) -> list[dict[str, Any]]:
    rows = session.exec(select(Article).where(Article.document_id == document_id).order_by(col(Article.id)))
    return [{"ordinal": a.ordinal, "number": a.number, "chapter": a.chapter, "heading": a.heading, "text": a.text}
            for a in rows]


def implied_version(session: Session, doc: Document) -> TextVersion:
    """Version 1 of a document with no stored version: its current text (not added to the session)."""
    return TextVersion(document_id=doc.id, version_no=1, text=doc.text, articles=current_articles(session, doc.id),
                       in_force_from=doc.effective_date or doc.publication_date, origin="original",
                       recorded_at=doc.created_at)


def versions_of(session: Session, doc: Document) -> tuple[list[TextVersion], bool]:
    """Every version, oldest first, and whether they are stored (False: the one implied version)."""
    rows = stored_versions(session, doc.id)
    if not rows:
        return [implied_version(session, doc)], False
    latest = rows[-1]
    if latest.text != doc.text:  # corrected in place (an edit of the text): the newest version reads as corrected
        fixed = TextVersion.model_validate(latest.model_dump())
        fixed.text, fixed.articles = doc.text, current_articles(session, doc.id)
        rows[-1] = fixed
    return rows, True


def start_for_file(latest_from: date | None, effective: date | None, today: date) -> date:
    """When a changed file's text takes effect: its (new) effective date when that is after the previous
    version's start, else the day it was registered; never on or before the previous start."""
    start = effective if effective and (latest_from is None or effective > latest_from) else today
    if latest_from is not None and start <= latest_from:
        start = latest_from + timedelta(days=1)
    return start


def add_version(
    session: Session, *, doc: Document, text: str, articles: list[dict[str, Any]], in_force_from: date | None,
    origin: str, today: date, actor: str, source: str | None = None, amended_by: str | None = None,
    note: str = "", effective: date | None = None,
) -> TextVersion | None:
    """Store ``text`` as ``doc``'s next version (None when it is the newest text but for formatting).

    ``in_force_from`` None means "from ``effective`` (the new file's effective date) or today" (a changed
    file, see :func:`start_for_file`); a given date must come after the previous version's start."""
    rows = stored_versions(session, doc.id)
    if same_text(doc.text, text):  # the current text is the newest version's (or will be, see below)
        return None
    if not rows:
        rows = [implied_version(session, doc)]
        rows[0].actor = actor
    latest = rows[-1]
    if latest.text != doc.text:  # corrected in place since it was stored: the version keeps the correction
        latest.text, latest.articles = doc.text, current_articles(session, doc.id)
    if in_force_from is None:
        start = start_for_file(latest.in_force_from, effective, today)
    else:
        start = in_force_from
        if latest.in_force_from is not None and start <= latest.in_force_from:
            raise InvalidInput(
                f"新版本的施行日期须晚于第 {latest.version_no} 版的施行日期 {latest.in_force_from.isoformat()} "
                f"(a new version must take effect after version {latest.version_no}, in force from "
                f"{latest.in_force_from.isoformat()})",
                details={"in_force_from": start.isoformat(), "previous_from": latest.in_force_from.isoformat()})
    latest.in_force_to = start - timedelta(days=1)
    session.add(latest)
    new = TextVersion(document_id=doc.id, version_no=latest.version_no + 1, text=text, articles=articles,
                      in_force_from=start, origin=origin, source=source, amended_by=amended_by, note=note,
                      actor=actor, recorded_at=utcnow())
    session.add(new)
    session.flush()
    notices.publish(session, "version_added", doc.id,
                    {"version": new.version_no, "in_force_from": start.isoformat(), "origin": origin,
                     "previous": latest.version_no, "amended_by": amended_by})
    return new


def articles_as_rows(text: str) -> list[dict[str, Any]]:
    return [{"ordinal": a.ordinal, "number": a.number[:40], "chapter": a.chapter, "heading": a.heading,
             "text": a.text} for a in split_articles(text)]


def apply_text(session: Session, *, doc: Document, data: TextVersionCreate, actor: str, today: date) -> TextVersion:
    """Staff add a text (an amendment applied, a consolidation, a correction): it becomes the next version
    and the document's current text and articles, with a ``note`` event on its record. Commits."""
    if data.amended_by is not None and session.get(Document, data.amended_by) is None:
        raise InvalidInput(f"没有 id 为 {data.amended_by!r} 的修改文件 (no amending document with that id)",
                           details={"amended_by": data.amended_by})
    articles = articles_as_rows(data.text)
    new = add_version(session, doc=doc, text=data.text, articles=articles, in_force_from=data.in_force_from,
                      origin=data.origin, today=today, actor=actor, source=data.source, amended_by=data.amended_by,
                      note=data.note)
    if new is None:
        raise InvalidInput("新文本与现行文本相同（格式差异不计） (the text is the same as the newest version, "
                           "formatting aside)", details={"document": doc.id})
    doc.text, doc.version, doc.updated_at = data.text, doc.version + 1, utcnow()
    session.add(doc)
    session.execute(delete(Article).where(col(Article.document_id) == doc.id))
    if articles:
        session.execute(insert(Article), [{**a, "document_id": doc.id} for a in articles])
    label = ORIGIN_LABELS[data.origin]["zh"]
    by = session.get(Document, data.amended_by) if data.amended_by else None
    # the note says it all in words; the payload keeps only keys the page never shows as codes
    append(session, document=doc, actor=actor, today=today, data=EventCreate(
        type="note", text=f"新增文本第 {new.version_no} 版（{label}{'：《' + by.title + '》' if by else ''}），"
                          f"自 {new.in_force_from} 起施行",
        payload={"action": "text_version", "version": new.version_no}))
    audit.record(session, actor=actor, action="document.text_version", target=doc.id,
                 details={"version": new.version_no, "origin": data.origin})
    outbox.queue(session, [doc.id])
    session.commit()
    return new


# --- reading ---------------------------------------------------------------------------------------------

def version_public(v: TextVersion, stored: bool) -> dict[str, Any]:
    return {"version": v.version_no, "in_force_from": v.in_force_from, "in_force_to": v.in_force_to,
            "origin": v.origin, "source": v.source, "amended_by": v.amended_by, "note": v.note,
            "articles": len(v.articles), "recorded_at": v.recorded_at, "stored": stored}


def version_at(rows: list[TextVersion], at: date) -> TextVersion:
    """The version in force on ``at``; OutsideKnown before the first version took effect."""
    first = rows[0]
    if first.in_force_from is not None and at < first.in_force_from:
        raise OutsideKnown(
            f"{at.isoformat()} 早于已知最早版本的施行日期 {first.in_force_from.isoformat()}，无从得知当日文本 "
            f"({at.isoformat()} is before the earliest known text took effect, on {first.in_force_from.isoformat()})",
            details={"at": at.isoformat(), "known_from": first.in_force_from.isoformat()})
    for v in reversed(rows):
        if v.in_force_from is None or v.in_force_from <= at:
            return v
    return first  # unreachable: the first version starts on or before ``at`` here


def text_at(session: Session, doc: Document, at: date, status: dict[str, Any]) -> dict[str, Any]:
    """The text in force on ``at`` with its version, its period and the document's status that day."""
    rows, stored = versions_of(session, doc)
    v = version_at(rows, at)
    return {"document_id": doc.id, "title": doc.title, "at": at, **version_public(v, stored),
            "articles": [{"number": a["number"], "chapter": a.get("chapter"), "text": a["text"]} for a in v.articles],
            "text": v.text, "versions": len(rows), "status": status["status"],
            "label": Status.label_of(status["status"])}


def _units(v: TextVersion) -> list[Unit]:
    """The version's articles (split from its text when none were stored, e.g. a text typed in by staff)."""
    return [Unit(a["number"], body_of(a["text"], a["number"]), a.get("chapter"))
            for a in v.articles or articles_as_rows(v.text)]


def resolve_other(session: Session, doc: Document, with_ref: str) -> tuple[Document, int | None]:
    """What ``with`` names: a version number of ``doc`` (``2`` or ``v2``) or another document (any ref)."""
    ref = with_ref.strip()
    digits = ref[1:] if ref[:1] in ("v", "V") else ref
    if digits.isdigit() and len(digits) <= 6:
        return doc, int(digits)
    if not ref:
        raise InvalidInput("with 不能为空 (with must name a version number or a document)")
    return lookup.resolve(session, ref, published_only=True), None


def pick(rows: list[TextVersion], number: int | None, doc_id: str) -> TextVersion:
    if number is None:
        return rows[-1]
    for v in rows:
        if v.version_no == number:
            return v
    raise NotFound(f"该文件没有第 {number} 版 (document {doc_id} has no version {number})",
                   details={"version": number, "versions": [v.version_no for v in rows]})


def diff(session: Session, doc: Document, with_ref: str, from_version: int | None = None) -> dict[str, Any]:
    """Diff ``doc`` (its version ``from_version``, default the newest) against what ``with_ref`` names;
    two versions of one document always read older → newer."""
    other, number = resolve_other(session, doc, with_ref)
    rows, _ = versions_of(session, doc)
    left = pick(rows, from_version, doc.id)
    if other.id == doc.id:
        right = pick(rows, number, doc.id)
        if right.version_no < left.version_no:
            left, right = right, left
    else:
        right = pick(versions_of(session, other)[0], None, other.id)
    result: TextDiff
    old_units, new_units = _units(left), _units(right)
    if old_units and new_units:
        result = diff_units(old_units, new_units)
    else:
        result = diff_texts(left.text, right.text)
    side = {doc.id: doc, other.id: other}
    return {"old": _side(side[left.document_id], left), "new": _side(side[right.document_id], right),
            "summary": result.summary,
            "articles": [_article(a) for a in result.articles]}


def _side(d: Document, v: TextVersion) -> dict[str, Any]:
    return {"document_id": d.id, "title": d.title, "status": d.status, "label": Status.label_of(d.status),
            "version": v.version_no, "in_force_from": v.in_force_from, "in_force_to": v.in_force_to}


def _article(a: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"status": a.status, "old_number": a.old_number, "new_number": a.new_number,
                           "renumbered": a.renumbered, "similarity": a.similarity}
    if a.status == "changed":
        out["ops"] = [{"op": o.op, "old": o.old, "new": o.new} for o in a.ops]
    elif a.status == "deleted":
        out["text"] = a.old_text
    elif a.status in ("inserted", "moved"):
        out["text"] = a.new_text
    return out
