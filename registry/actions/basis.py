"""The basis watch: what each document is based on (上位法), and the review tasks opened when a basis changes."""

from __future__ import annotations

from datetime import date

from registry.actions.scope import ActorLike, ScopedRuntime, require_decision, require_reach
from registry.errors import InvalidInput, NotFound
from registry.models import Document
from registry.models.basis import BasisPublic, BasisTarget, ReviewTask, ReviewTaskPublic
from registry.rules.status import EventType
from registry.services import basis, tasks


def _public(task: ReviewTask) -> ReviewTaskPublic:
    return ReviewTaskPublic.model_validate(task.model_dump())


class BasisActions(ScopedRuntime):
    """The basis watch actions of :class:`registry.facade.Registry`."""

    def basis(self, document_id: str) -> BasisPublic:
        """What a published document is based on (依据, with articles and the resolved law) and what is
        based on it (被依据). NotFound for an unknown or unpublished document."""
        with self.read_session() as s:
            doc = s.get(Document, document_id)
            if doc is None or doc.published_at is None:
                raise NotFound(f"没有编号为 {document_id!r} 的文件 (no document with id {document_id!r})")
            return BasisPublic(items=basis.basis_of(s, doc.id), cited_by=basis.based_on_it(s, doc.id))

    def basis_under_review(self, document_id: str) -> list[BasisTarget]:
        """The changed bases of ``document_id`` whose review is still open (for the public page's one line)."""
        with self.read_session() as s:
            out = []
            for task in tasks.list_tasks(s, document_id=document_id, state="open"):
                law = s.get(Document, task.basis_id) if task.basis_id else None
                out.append(BasisTarget(id=law.id if law else "", title=law.title if law else task.basis_title,
                                       status=task.new_status))
            return out

    def list_tasks(self, *, document_id: str | None = None, state: str | None = None,
                   actor: ActorLike = None) -> list[ReviewTaskPublic]:
        """Review tasks within ``actor``'s reach, oldest due first (``state``: open or resolved)."""
        if state is not None and state not in ("open", "resolved"):
            raise InvalidInput("state 须为 open 或 resolved (state must be open or resolved)", details={"state": state})
        who = self._who(actor)
        with self.read_session() as s:
            rows = tasks.list_tasks(s, document_id=document_id, state=state, reach=who.reach)
            return [_public(t) for t in rows]

    def get_task(self, task_id: int, *, actor: ActorLike = None) -> ReviewTaskPublic:
        """One review task, when its document is within ``actor``'s reach."""
        with self.read_session() as s:
            task = tasks.get_task(s, task_id)
            doc = s.get(Document, task.document_id)
            if doc is not None:
                require_reach(self._who(actor), doc)
            return _public(task)

    def resolve_task(self, task_id: int, *, decision: str, decided_on: date | None = None, note: str | None = None,
                     actor: ActorLike = None) -> ReviewTaskPublic:
        """A reviewer's decision on a review task (继续有效 / 修改 / 废止 / 宣布失效), recorded as an event on the
        document whose evidence is the task; the task is closed with it, in one transaction."""
        who = self._who(actor)
        require_decision(who, EventType.CLEARED.value)
        with self.session() as s:
            task = tasks.get_task(s, task_id)
            self._editable(s, who, task.document_id)
            try:
                tasks.resolve_task(s, task, decision=decision, actor=who.name, today=self.today(),
                                   decided_on=decided_on, note=note)
                s.commit()
            except Exception:
                s.rollback()
                raise
            return _public(task)
