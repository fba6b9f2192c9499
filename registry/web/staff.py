"""Staff sign-in for the pages: a token in an httponly, SameSite=Strict cookie.

The cookie is accepted by pages only, never by the API (which wants a bearer header), so another site
cannot make a signed-in browser write through the API. Forms on staff pages carry :func:`csrf_token`
and their handlers call :func:`check_csrf`, since a form POST does send the cookie.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated

from fastapi import Depends, Request

from registry.errors import Forbidden, Unauthorized
from registry.services.auth import Actor, authenticate

COOKIE = "normreg_staff"
MAX_AGE = 8 * 3600  # a working day


def staff_actor(request: Request) -> Actor | None:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    with request.app.state.registry.read_session() as session:
        return authenticate(session, token)


def csrf_token(request: Request) -> str:
    """A per-token value for hidden form fields; a page on another site cannot read it."""
    token = request.cookies.get(COOKIE, "")
    return hmac.new(hashlib.sha256(token.encode()).digest(), b"normreg-csrf", hashlib.sha256).hexdigest()


def check_csrf(request: Request, value: str | None) -> None:
    if not value or not hmac.compare_digest(value, csrf_token(request)):
        raise Forbidden("the form is stale or came from another site; reload the page")


def require_staff(role: str = "clerk") -> object:
    """Page dependency: the signed-in actor with at least ``role`` (401/403 render as pages)."""

    def dependency(request: Request) -> Actor:
        actor = staff_actor(request)
        if actor is None:
            raise Unauthorized("sign in at /staff first")
        if not actor.may(role):
            raise Forbidden(f"this page needs the {role} role")
        return actor

    return Depends(dependency)


StaffDep = Annotated[Actor, require_staff("clerk")]
