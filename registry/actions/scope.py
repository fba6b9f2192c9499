"""Who a write is attributed to, and whether they may touch the document it is about.

Every write method of :class:`registry.facade.Registry` takes ``actor`` as an :class:`Actor` (the HTTP
adapters pass the signed-in user or the token's holder) or as a plain name (the command line, tests: an
operator trusted with every office). Scope is checked here, before the service runs, so a clerk of
another office gets :class:`registry.errors.Forbidden` from the page, the API and the library alike.
"""

from __future__ import annotations

from sqlmodel import Session

from registry.errors import Forbidden
from registry.models import Document
from registry.rules.actors import Actor, may_record, operator
from registry.services import lookup
from registry.storage.runtime import Runtime

ActorLike = Actor | str | None


class ScopedRuntime(Runtime):
    """The runtime plus the two questions every write asks: who is this, and may they edit that."""

    def _who(self, actor: ActorLike) -> Actor:
        if isinstance(actor, Actor):
            return actor
        return operator(actor or self.default_actor)

    def _editable(self, session: Session, actor: ActorLike, ref: str) -> Document:
        """The document ``ref`` names, when ``actor`` may edit it; Forbidden otherwise."""
        doc = lookup.resolve(session, ref)
        require_reach(self._who(actor), doc)
        return doc


def require_decision(actor: Actor, event_type: str) -> None:
    """Forbidden unless ``actor`` may record ``event_type`` (decisions are a reviewer's: four eyes)."""
    if not may_record(actor, event_type):
        raise Forbidden(f"{event_type} 是须由审核人员作出的决定 (a {event_type} is a reviewer's decision; a clerk "
                        "proposes it in the workspace)", details={"required_role": "reviewer", "role": actor.role})


def require_reach(actor: Actor, doc: Document) -> None:
    """Forbidden unless ``actor``'s office reach covers ``doc``'s office."""
    if not actor.may_edit(doc.office_id):
        raise Forbidden("该文件不属于您所在机关，不能修改 (this document belongs to another office; you may not change it)",
                        details={"document": doc.id, "office_id": doc.office_id})
