"""Clearing campaigns (清理): import an office's list, match it, let staff resolve, apply, undo, export.

Guarantees:
- importing matches every row but changes no document; only ``apply`` does;
- ``apply`` records one ``cleared`` event per matched row in one transaction (all rows or none), with the
  campaign and its decision date as evidence, so the change feed and the search outbox see every change;
- applying twice changes nothing: a row remembers the event that applied it;
- ``undo`` appends a compensating ``revoked`` event, never deletes one;
- after applying, any row whose document does not answer the status its result implies (a catalog says it
  was repealed, say) is reported as a conflict rather than left silent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from registry.errors import Conflict, Forbidden, InvalidInput, NotFound
from registry.models import ClearingCampaign, ClearingRow, Document, EventCreate
from registry.models._types import utcnow
from registry.models.clearing import (
    CampaignApplied,
    CampaignExported,
    CampaignListed,
    CampaignPublic,
    CampaignSummary,
    ClearingMatch,
    ClearingRowPublic,
    ClearingRowUndone,
)
from registry.rules.status import ClearingResult, EventType, Status
from registry.services.clearing.lists import group, read_list, write_lists
from registry.services.clearing.matching import Matcher, candidate
from registry.services.events import append
from registry.services.lookup import resolve
from registry.services.validity import answer_for
from registry.storage import audit

EXPECTED: dict[str, Status] = {
    ClearingResult.CONTINUE: Status.IN_FORCE,
    ClearingResult.AMEND: Status.IN_FORCE,
    ClearingResult.REPEAL: Status.REPEALED,
    ClearingResult.DECLARE_INVALID: Status.INVALID,
    ClearingResult.INVALID: Status.INVALID,
}
MATCHED_STATES = ("auto", "confirmed")


def get_campaign(session: Session, name: str) -> ClearingCampaign:
    campaign = session.exec(select(ClearingCampaign).where(ClearingCampaign.name == name.strip())).first()
    if campaign is None:
        raise NotFound(f"no clearing campaign named {name!r}")
    return campaign


def _rows(session: Session, campaign: ClearingCampaign) -> list[ClearingRow]:
    return list(session.exec(select(ClearingRow).where(ClearingRow.campaign_id == campaign.id)
                             .order_by(col(ClearingRow.row_no))))


def _row(session: Session, campaign: ClearingCampaign, row_no: int) -> ClearingRow:
    row = session.exec(select(ClearingRow).where(ClearingRow.campaign_id == campaign.id,
                                                 ClearingRow.row_no == row_no)).first()
    if row is None:
        raise NotFound(f"campaign {campaign.name!r} has no row {row_no}")
    return row


def row_view(session: Session, row: ClearingRow) -> ClearingRowPublic:
    """One row as the CLI and the API show it."""
    doc = session.get(Document, row.document_id) if row.document_id else None
    return ClearingRowPublic(
        row=row.row_no, serial=row.serial, title=row.title, doc_number=row.doc_number, issuer=row.issuer,
        result=row.result, note=row.note,
        match=ClearingMatch(id=doc.id, title=doc.title, score=row.score) if doc else None,
        needs_review=row.match_state == "review", state=row.match_state, candidates=row.candidates,
        applied=row.event_id is not None and row.undo_event_id is None, event_id=row.event_id,
        undone=row.undo_event_id is not None,
    )


def campaign_view(session: Session, campaign: ClearingCampaign) -> CampaignPublic:
    rows = [row_view(session, r) for r in _rows(session, campaign)]
    return CampaignPublic(
        campaign=campaign.name, decided_on=campaign.decided_on.isoformat(), source=campaign.source,
        applied_at=campaign.applied_at.isoformat() if campaign.applied_at else None,
        summary=CampaignSummary(rows=len(rows), matched=sum(r.match is not None for r in rows),
                                needs_review=sum(r.needs_review for r in rows), applied=sum(r.applied for r in rows)),
        rows=rows,
    )


def show_campaign(session: Session, name: str) -> CampaignPublic:
    return campaign_view(session, get_campaign(session, name))


def list_campaigns(session: Session) -> list[CampaignListed]:
    return [CampaignListed(campaign=c.name, decided_on=c.decided_on.isoformat(),
                           applied_at=c.applied_at.isoformat() if c.applied_at else None)
            for c in session.exec(select(ClearingCampaign).order_by(col(ClearingCampaign.decided_on).desc()))]


def import_campaign(
    session: Session, *, path: Path, name: str, decided_on: date, actor: str, source_name: str | None = None
) -> CampaignPublic:
    """Read the list at ``path``, match every row and store the campaign (documents are not touched)."""
    name = name.strip()
    if not name:
        raise InvalidInput("a campaign needs a name")
    if session.exec(select(ClearingCampaign).where(ClearingCampaign.name == name)).first() is not None:
        raise Conflict(f"a clearing campaign named {name!r} already exists")
    entries = read_list(path)
    matcher = Matcher.from_session(session)
    campaign = ClearingCampaign(name=name, decided_on=decided_on, source=source_name or str(path), actor=actor)
    session.add(campaign)
    try:
        session.flush()
        rows: list[ClearingRow] = []
        for e in entries:
            m = matcher.match(e.title, e.doc_number, e.issuer)
            rows.append(ClearingRow(
                campaign_id=campaign.id or 0, row_no=e.row, serial=e.serial, title=e.title[:500],
                doc_number=e.doc_number, issuer=e.issuer, result=e.result.value, note=e.note,
                document_id=m.match.id if m.match else None, score=round(m.score, 1) if m.score is not None else None,
                match_state="review" if m.needs_review else "auto", candidates=m.candidates))
        _demote_duplicates(rows)
        session.add_all(rows)
        session.flush()
        view = campaign_view(session, campaign)
        audit.record(session, actor=actor, action="clearing.import", target=name,
                     details={"source": campaign.source, "decided_on": decided_on.isoformat(),
                              **view.summary.model_dump()})
        session.commit()  # last: no transaction is left open for the caller (SQLite write lock)
    except Exception:
        session.rollback()
        raise
    return view


def _demote_duplicates(rows: list[ClearingRow]) -> None:
    """Two rows matched to one document cannot both be right: both wait for staff."""
    seen: dict[str, list[ClearingRow]] = {}
    for r in rows:
        if r.document_id and r.match_state == "auto":
            seen.setdefault(r.document_id, []).append(r)
    for same in seen.values():
        if len(same) > 1:
            for r in same:
                r.match_state = "review"
                r.document_id = None
                r.score = None


def resolve_row(
    session: Session, *, name: str, row_no: int, ref: str | None, actor: str
) -> ClearingRowPublic:
    """Staff confirm or correct a row's document (``ref``), or say it names nothing (``ref=None``)."""
    campaign = get_campaign(session, name)
    row = _row(session, campaign, row_no)
    if row.event_id is not None and row.undo_event_id is None:
        raise Conflict(f"row {row_no} is already applied; undo it first", details={"event_id": row.event_id})
    if ref is None:
        row.document_id, row.score, row.match_state = None, None, "none"
    else:
        doc = resolve(session, ref)
        taken = session.exec(select(ClearingRow).where(ClearingRow.campaign_id == campaign.id,
                                                       ClearingRow.document_id == doc.id,
                                                       ClearingRow.row_no != row_no)).first()
        if taken is not None:
            raise Conflict(f"row {taken.row_no} of this campaign is already matched to {doc.id}")
        row.document_id, row.match_state = doc.id, "confirmed"
        row.score = next((c["score"] for c in row.candidates if c["id"] == doc.id), None)
        if not any(c["id"] == doc.id for c in row.candidates):
            row.candidates = [*row.candidates, {**candidate_of(doc), "chosen_by": actor}]
    row.event_id, row.undo_event_id = None, None  # an undone row becomes applicable again
    session.add(row)
    session.flush()
    view = row_view(session, row)
    audit.record(session, actor=actor, action="clearing.resolve", target=campaign.name,
                 details={"row": row_no, "document_id": row.document_id, "state": row.match_state})
    session.commit()
    return view


def candidate_of(doc: Document) -> dict[str, Any]:
    from registry.services.clearing.matching import DocRef

    ref = DocRef(doc.id, doc.title, doc.doc_number, doc.doc_number_key, doc.issuer, tuple(doc.co_issuers),
                 doc.status, doc.publication_date)
    out = candidate(ref, 0.0)
    out["score"] = None
    return out


Reach = Callable[[Document], bool]


def _everyone(doc: Document) -> bool:
    return True


def apply_campaign(session: Session, *, name: str, actor: str, today: date, may_edit: Reach = _everyone
                   ) -> CampaignApplied:
    """Record the clearing event of every matched, not yet applied row, all in one transaction.

    ``may_edit`` says whether the deciding actor may change a document; when any pending row's document
    is outside that reach the whole campaign is refused (Forbidden, naming the rows) and nothing changes.
    """
    campaign = get_campaign(session, name)
    applied: list[dict[str, Any]] = []
    try:
        rows = _rows(session, campaign)
        pending = [r for r in rows if r.match_state in MATCHED_STATES and r.document_id and r.event_id is None]
        outside = [{"row": r.row_no, "document": d.id, "title": d.title} for r in pending
                   if (d := session.get(Document, r.document_id)) is not None and not may_edit(d)]
        if outside:
            raise Forbidden("清单中有文件不属于您所辖机关，不能应用清理结果 (some rows name documents of offices "
                            "outside your reach)", details={"rows": outside})
        for row in pending:
            doc = session.get(Document, row.document_id)
            if doc is None:  # deleted since import
                continue
            before = doc.status
            event = append(session, document=doc, actor=actor, today=today, data=EventCreate(
                type=EventType.CLEARED.value, date=campaign.decided_on, legal_basis=campaign.name,
                payload={"result": row.result, "campaign": campaign.name},
                evidence={"campaign": campaign.name, "decided_on": campaign.decided_on.isoformat(),
                          "row": row.row_no, "source": campaign.source, "title_as_listed": row.title}))
            row.event_id = event.id
            session.add(row)
            applied.append({"row": row.row_no, "id": doc.id, "title": doc.title, "result": row.result,
                            "event_id": event.id, "old_status": before, "new_status": doc.status})
        if applied or campaign.applied_at is None:
            campaign.applied_at = utcnow()
            session.add(campaign)
        session.flush()
        conflicts = _conflicts(session, rows, campaign.decided_on)
        audit.record(session, actor=actor, action="clearing.apply", target=campaign.name,
                     details={"rows": [a["row"] for a in applied], "event_ids": [a["event_id"] for a in applied]})
        session.commit()
    except Exception:
        session.rollback()
        raise
    return CampaignApplied(
        campaign=campaign.name, applied=len(applied), rows=applied,
        already_applied=sum(1 for r in rows if r.event_id is not None and r.undo_event_id is None) - len(applied),
        needs_review=sum(1 for r in rows if r.match_state == "review"),
        not_in_registry=sum(1 for r in rows if r.match_state == "none"),
        conflicts=conflicts,
    )


def _conflicts(session: Session, rows: list[ClearingRow], decided_on: date) -> list[dict[str, Any]]:
    """Applied rows whose document does not answer what the result implies, on the decision date."""
    out = []
    for row in rows:
        if row.event_id is None or row.undo_event_id is not None or not row.document_id:
            continue
        doc = session.get(Document, row.document_id)
        if doc is None:
            continue
        ans = answer_for(session, doc, decided_on)
        expected = EXPECTED[ClearingResult(row.result)]
        if ans.status is not expected:
            out.append({"row": row.row_no, "id": doc.id, "title": doc.title, "result": row.result,
                        "expected": expected.value, "status": ans.status.value, "reason": ans.reason})
    return out


def undo_row(session: Session, *, name: str, row_no: int, actor: str, today: date, reason: str | None = None,
             may_edit: Reach = _everyone) -> ClearingRowUndone:
    """Undo an applied row with a compensating ``revoked`` event (Forbidden outside ``may_edit``)."""
    campaign = get_campaign(session, name)
    row = _row(session, campaign, row_no)
    if row.event_id is None or row.undo_event_id is not None:
        raise Conflict(f"第 {row_no} 行尚未应用，无可撤销 (row {row_no} of {campaign.name!r} is not applied; "
                       "nothing to undo)")
    doc = session.get(Document, row.document_id) if row.document_id else None
    if doc is None:
        raise NotFound(f"the document of row {row_no} no longer exists")
    if not may_edit(doc):
        raise Forbidden("该文件不属于您所辖机关 (this document belongs to an office outside your reach)",
                        details={"row": row_no, "document": doc.id})
    try:
        event = append(session, document=doc, actor=actor, today=today, data=EventCreate(
            type=EventType.REVOKED.value, date=today, legal_basis=campaign.name,
            payload={"undoes": row.event_id},
            evidence={"campaign": campaign.name, "row": row_no}, text=reason or f"撤销{campaign.name}第{row_no}行的清理结果"))
        row.undo_event_id = event.id
        session.add(row)
        session.flush()
        assert event.id is not None
        view = ClearingRowUndone(**row_view(session, row).model_dump(), undo_event_id=event.id, status=doc.status)
        audit.record(session, actor=actor, action="clearing.undo", target=campaign.name,
                     details={"row": row_no, "event_id": event.id, "undoes": row.event_id})
        session.commit()
    except Exception:
        session.rollback()
        raise
    return view


def published_lists(session: Session, name: str) -> tuple[ClearingCampaign, dict[str, list[dict[str, Any]]]]:
    """The campaign and its four result lists (继续有效目录, 修改目录, 废止目录, 失效目录). Every row except
    undone ones is listed; a matched row under the registry's title and 文号 (the office's may carry typos)."""
    campaign = get_campaign(session, name)
    entries = []
    for row in _rows(session, campaign):
        if row.undo_event_id is not None:
            continue
        doc = session.get(Document, row.document_id) if row.document_id else None
        entries.append({"title": doc.title if doc else row.title,
                        "doc_number": (doc.doc_number if doc and doc.doc_number else row.doc_number),
                        "issuer": (doc.issuer if doc and doc.issuer else row.issuer),
                        "result": row.result, "note": row.note, "id": doc.id if doc else None})
    return campaign, group(entries)


def export_campaign(session: Session, *, name: str, fmt: str, out: Path) -> CampaignExported:
    """Write the published lists of a campaign (:func:`published_lists`) to ``out`` as ``fmt``."""
    campaign, lists = published_lists(session, name)
    write_lists(campaign.name, campaign.decided_on, lists, fmt, out)
    return CampaignExported(campaign=campaign.name, format=fmt, path=str(out),
                            lists={label: len(items) for label, items in lists.items()})
