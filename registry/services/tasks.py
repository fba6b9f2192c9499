"""Review tasks: the basis watch opens them, a reviewer's decision closes them.

:func:`open_for_changes` is called by :func:`registry.services.status_hooks.after_changes` with every
status change of a batch, inside the transaction that made them. When a document others are based on
moves from a known status to amended, repealed, invalid or partially invalid, each live document based on
it (not itself repealed or invalid) gets one open ``basis_changed`` task naming that basis and the
articles it cites, due ``basis_review_days`` after ``today``. A second change of the same basis while a
task is open adds nothing. The whole batch costs three statements (dependents, open tasks, insert).

:func:`resolve_task` records the reviewer's decision (继续有效 / 修改 / 废止 / 宣布失效) as a ``cleared``
event whose evidence is the task, and closes the task with that event, in one transaction.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from ingest.metadata.citations import cited_articles
from registry.errors import Conflict, InvalidInput, NotFound
from registry.models import Document, EventCreate
from registry.models.basis import ReviewTask
from registry.models._types import utcnow
from registry.rules.refs import cite
from registry.rules.status import ClearingResult, EventType, Status
from registry.services import notices
from registry.services.basis import dependents
from registry.services.events import append

BASIS_CHANGED = "basis_changed"
WATCHED = {Status.AMENDED.value, Status.REPEALED.value, Status.INVALID.value, Status.PARTIALLY_INVALID.value}
KNOWN = {s.value for s in Status} - {Status.UNKNOWN.value}
CLOSED = {Status.REPEALED.value, Status.INVALID.value}  # nothing left to review
DECISIONS = (ClearingResult.CONTINUE.value, ClearingResult.AMEND.value, ClearingResult.REPEAL.value,
             ClearingResult.DECLARE_INVALID.value)
DEFAULT_DAYS = 30


def _review_days(session: Session) -> int:
    settings = session.info.get("settings")
    return int(getattr(settings, "basis_review_days", DEFAULT_DAYS))


def open_for_changes(session: Session, changes: list[dict[str, Any]], today: date) -> list[int]:
    """Open the review tasks ``changes`` call for; returns their ids."""
    changed = {c["document_id"]: c for c in changes
               if c["new_status"] in WATCHED and c["old_status"] in KNOWN and c["old_status"] != c["new_status"]}
    rows = dependents(session, list(changed))
    if not rows:
        return []
    already = set(session.exec(select(ReviewTask.document_id, ReviewTask.basis_id)
                               .where(col(ReviewTask.basis_id).in_(list(changed)),
                                      ReviewTask.kind == BASIS_CHANGED, ReviewTask.state == "open")).all())
    due = today + timedelta(days=_review_days(session))
    now = utcnow()
    new: list[dict[str, Any]] = []
    for source_id, source_status, basis_id, cited, quote in rows:
        if source_id == basis_id or source_status in CLOSED or (source_id, basis_id) in already:
            continue
        already.add((source_id, basis_id))
        change = changed[basis_id]
        new.append({"kind": BASIS_CHANGED, "document_id": source_id, "basis_id": basis_id,
                    "basis_title": (cited or "")[:500], "articles": cited_articles(quote, cited) if cited else [],
                    "old_status": change["old_status"], "new_status": change["new_status"],
                    "reason": change["reason"], "due": due, "state": "open", "opened_at": now})
    if not new:
        return []
    ids = list(session.execute(insert(ReviewTask).returning(col(ReviewTask.id), sort_by_parameter_order=True),
                               new).scalars().all())
    notices.publish_many(session, "task_opened", [
        (row["document_id"], {"task": task_id, "kind": BASIS_CHANGED, "basis_id": row["basis_id"],
                              "new_status": row["new_status"], "due": row["due"].isoformat()})
        for task_id, row in zip(ids, new, strict=True)])
    return ids


def list_tasks(session: Session, *, document_id: str | None = None, state: str | None = None,
               reach: frozenset[int] | None = None, limit: int = 500) -> list[ReviewTask]:
    """Tasks, oldest due first; ``reach`` limits them to documents of those offices (None: all)."""
    query = select(ReviewTask).join(Document, col(Document.id) == col(ReviewTask.document_id))
    if document_id is not None:
        query = query.where(ReviewTask.document_id == document_id)
    if state is not None:
        query = query.where(ReviewTask.state == state)
    if reach is not None:
        query = query.where(col(Document.office_id).in_(reach))
    return list(session.exec(query.order_by(col(ReviewTask.due), col(ReviewTask.id)).limit(limit)))


def get_task(session: Session, task_id: int) -> ReviewTask:
    task = session.get(ReviewTask, task_id)
    if task is None:
        raise NotFound(f"没有编号为 {task_id} 的审查任务 (no review task {task_id})")
    return task


def resolve_task(session: Session, task: ReviewTask, *, decision: str, actor: str, today: date,
                 decided_on: date | None = None, note: str | None = None) -> ReviewTask:
    """Record ``decision`` on the task's document as an event with the task as evidence; close the task.

    Raises InvalidInput for a decision outside 继续有效 / 修改 / 废止 / 宣布失效 and Conflict for a task
    already closed, writing nothing. The caller commits."""
    if decision not in DECISIONS:
        raise InvalidInput("审查结论须为 继续有效、修改、废止 或 宣布失效 (the decision must be one of 继续有效, 修改, "
                           "废止, 宣布失效)", details={"decision": decision, "allowed": list(DECISIONS)})
    if task.state != "open":
        raise Conflict(f"审查任务 {task.id} 已经处理 (review task {task.id} is already resolved)",
                       details={"task": task.id, "decision": task.decision, "event_id": task.event_id})
    doc = session.get(Document, task.document_id)
    if doc is None:
        raise NotFound(f"no document with id {task.document_id!r}")
    basis = session.get(Document, task.basis_id) if task.basis_id else None
    label = Status.label_of(task.new_status) or task.new_status
    event = append(session, document=doc, actor=actor, today=today, data=EventCreate(
        type=EventType.CLEARED.value, date=decided_on or today,
        legal_basis=f"依据变化审查：{cite(basis.title if basis else task.basis_title)}{label}",
        payload={"result": decision, "review": BASIS_CHANGED},
        evidence={"task": task.id, "kind": task.kind, "basis_id": task.basis_id, "basis_status": task.new_status},
        text=note or None))
    task.state, task.decision, task.event_id = "resolved", decision, event.id
    task.resolved_at, task.resolved_by = utcnow(), actor[:200]
    session.add(task)
    return task


__all__ = ["BASIS_CHANGED", "DECISIONS", "get_task", "list_tasks", "open_for_changes", "resolve_task"]
