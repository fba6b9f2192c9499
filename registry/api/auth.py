"""Who is calling: bearer tokens for the API, and the role each write needs.

Routes ask for ``ClerkDep``, ``ReviewerDep`` or ``AdminDep`` and receive the :class:`Actor`, whose name
they pass on as the actor of the write. Other issues add routes with ``Depends(require_role("reviewer"))``.
The API accepts the ``Authorization: Bearer`` header only, never the staff pages' cookie, so a page on
another site cannot make a signed-in browser write (no CSRF through the API).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from registry.errors import Forbidden, Unauthorized
from registry.rules.actors import may_record
from registry.services.auth import ROLES, Actor, authenticate

BEARER = "bearer "


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header[: len(BEARER)].lower() != BEARER:
        return None
    return header[len(BEARER):].strip() or None


def current_actor(request: Request) -> Actor | None:
    """The actor behind the request's bearer token; None without one. A wrong token is 401, not anonymous."""
    token = bearer_token(request)
    if token is None:
        return None
    with request.app.state.registry.read_session() as session:
        actor = authenticate(session, token)
    if actor is None:
        raise Unauthorized("the bearer token is unknown or revoked")
    return actor


def require_role(role: str) -> Callable[[Request], Actor]:
    """A dependency that returns the actor when its role is ``role`` or above; 401 or 403 otherwise."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")

    def dependency(request: Request) -> Actor:
        actor = current_actor(request)
        if actor is None:
            raise Unauthorized(details={"required_role": role})
        if not actor.may(role):
            raise Forbidden(f"this needs the {role} role; your token is {actor.role}",
                            details={"required_role": role, "role": actor.role})
        return actor

    dependency.__name__ = f"require_{role}"
    return dependency


def require_event_role(actor: Actor, event_type: str) -> None:
    """403 when ``actor`` may not record an event of ``event_type`` (``rules.actors.DECISION_EVENT_TYPES``)."""
    if not may_record(actor, event_type):
        raise Forbidden(f"recording a {event_type} event needs the reviewer role; your token is {actor.role}",
                        details={"required_role": "reviewer", "role": actor.role})


ClerkDep = Annotated[Actor, Depends(require_role("clerk"))]
ReviewerDep = Annotated[Actor, Depends(require_role("reviewer"))]
AdminDep = Annotated[Actor, Depends(require_role("admin"))]
