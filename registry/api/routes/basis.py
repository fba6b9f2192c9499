"""The basis watch over HTTP: a document's basis (依据 / 被依据) and the review tasks a changed basis opens.

``GET /api/v1/documents/{id}/basis`` is public (published documents only); the tasks are staff work:
listing needs a clerk, resolving needs a reviewer (the decision changes a status).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from registry.api.auth import ClerkDep, ReviewerDep
from registry.api.schemas import ERRORS, WRITE_ERRORS
from registry.http.deps import RegistryDep
from registry.models.basis import BasisPublic, ReviewTaskPublic, ReviewTasksPublic, TaskResolve

router = APIRouter(tags=["basis"])
TaskId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the task's id")]


@router.get("/api/v1/documents/{document_id}/basis", summary="What the document is based on, and what is based on it",
            response_model=BasisPublic, responses=ERRORS)
def get_basis(document_id: str, registry: RegistryDep) -> BasisPublic:
    return registry.basis(document_id)


@router.get("/api/v1/tasks", summary="Review tasks within your reach (clerk), oldest due first",
            response_model=ReviewTasksPublic, responses=WRITE_ERRORS)
def list_tasks(
    actor: ClerkDep, registry: RegistryDep,
    document: Annotated[str | None, Query(max_length=64, description="only this document's tasks")] = None,
    state: Annotated[str | None, Query(max_length=20, description="open or resolved")] = None,
) -> ReviewTasksPublic:
    return ReviewTasksPublic(items=registry.list_tasks(document_id=document, state=state, actor=actor))


@router.get("/api/v1/tasks/{task_id}", summary="One review task (clerk)", response_model=ReviewTaskPublic,
            responses=WRITE_ERRORS)
def get_task(task_id: TaskId, actor: ClerkDep, registry: RegistryDep) -> ReviewTaskPublic:
    return registry.get_task(task_id, actor=actor)


@router.post("/api/v1/tasks/{task_id}/resolution",
             summary="Resolve a review task: 继续有效 / 修改 / 废止 / 宣布失效 (reviewer)",
             response_model=ReviewTaskPublic, responses=WRITE_ERRORS)
def resolve_task(task_id: TaskId, body: TaskResolve, actor: ReviewerDep, registry: RegistryDep) -> ReviewTaskPublic:
    return registry.resolve_task(task_id, decision=body.decision, decided_on=body.decided_on, note=body.note,
                                 actor=actor)
