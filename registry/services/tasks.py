"""Review tasks: listing them, and closing one with a reviewer's decision.

:func:`resolve_task` records the decision (继续有效 / 修改 / 废止 / 宣布失效) as a ``cleared`` event whose
evidence is the task, and closes the task with that event, in the caller's transaction. Tasks are opened
by :mod:`registry.services.basis_watch`.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from registry.errors import Conflict, InvalidInput, NotFound
from registry.models import Document, EventCreate
from registry.models._types import utcnow
from registry.models.basis import ReviewTask
from registry.rules.refs import cite
from registry.rules.status import ClearingResult, EventType, Status
from registry.services.basis_watch import BASIS_CHANGED
from registry.services.events import append

DECISIONS = (ClearingResult.CONTINUE.value, ClearingResult.AMEND.value, ClearingResult.REPEAL.value,
             ClearingResult.DECLARE_INVALID.value)


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


__all__ = ["DECISIONS", "get_task", "list_tasks", "resolve_task"]
