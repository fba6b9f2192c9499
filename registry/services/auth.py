"""API tokens and roles: who may write.

Tokens are random secrets shown once, at creation; only their SHA-256 is stored, so a copy of the database
does not let anyone write. Roles are ordered (clerk < reviewer < admin): a reviewer may do what a clerk
may, an admin what a reviewer may, so one person needs one token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select, update

from registry.errors import Conflict, Forbidden, InvalidInput, NotFound
from registry.models import ApiToken, User
from registry.models._types import utcnow
from registry.rules.actors import ROLES, Actor
from registry.services import accounts
from registry.storage import audit

__all__ = ["ROLES", "Actor", "authenticate", "create_token", "list_tokens", "revoke_token", "token_public"]

TOKEN_PREFIX = "nr_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}; use clerk, reviewer or admin", details={"allowed": list(ROLES)})
    return role


def create_token(session: Session, *, name: str, role: str, actor: str | None = None,
                 user: User | None = None) -> tuple[ApiToken, str]:
    """Create a token; returns the row and the secret, which is never stored and cannot be shown again.
    ``actor`` (default: the command-line user) is who the audit log names as its creator.

    With ``user`` the token is the user's: it is named ``username/name`` (so users never compete for
    names), its role may not exceed the user's, and it acts within the user's reach while the user is
    active (:func:`authenticate`)."""
    name = name.strip()
    if not name or len(name) > (30 if user is not None else 100):
        raise InvalidInput("令牌名称过长或为空 (a token needs a name of 1 to 100 characters, 30 for your own)")
    _check_role(role)
    if user is not None:
        if ROLES.index(role) > ROLES.index(user.role):
            raise Forbidden(f"令牌的角色不能高于本人的角色 (a token's role cannot exceed your own, {user.role})",
                            details={"role": role, "user_role": user.role})
        name = f"{user.username}/{name}"
    if session.exec(select(ApiToken).where(ApiToken.name == name)).first() is not None:
        raise Conflict(f"a token named {name!r} already exists; revoke it or choose another name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(name=name, role=role, token_hash=hash_token(secret), user_id=user.id if user else None)
    session.add(row)
    audit.record(session, actor=actor or audit.cli_actor(), action="token.create", target=name,
                 details={"role": role})
    try:
        session.commit()
    except IntegrityError as exc:  # a concurrent create with the same name
        session.rollback()
        raise Conflict(f"a token named {name!r} already exists") from exc
    return row, secret


def list_tokens(session: Session, *, user_id: int | None = None) -> list[ApiToken]:
    """Every token, or with ``user_id`` only that user's."""
    stmt = select(ApiToken).order_by(col(ApiToken.id))
    if user_id is not None:
        stmt = stmt.where(col(ApiToken.user_id) == user_id)
    return list(session.exec(stmt))


def revoke_token(session: Session, *, name: str, actor: str | None = None, user_id: int | None = None) -> ApiToken:
    """Revoke by name; revoking twice is harmless (the first revocation time is kept). With ``user_id``
    only a token of that user (another's is NotFound, as if it did not exist)."""
    row = session.exec(select(ApiToken).where(ApiToken.name == name)).first()
    if row is None or (user_id is not None and row.user_id != user_id):
        raise NotFound(f"no token named {name!r}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        audit.record(session, actor=actor or audit.cli_actor(), action="token.revoke", target=name,
                     details={"role": row.role})
        session.commit()
    return row


def revoke_tokens_of(session: Session, user_id: int) -> int:
    """Revoke every live token of a user (deactivation); the caller audits and commits."""
    stmt = (update(ApiToken).where(col(ApiToken.user_id) == user_id, col(ApiToken.revoked_at).is_(None))
            .values(revoked_at=utcnow()))
    return int(session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]


def authenticate(session: Session, token: str) -> Actor | None:
    """The actor holding ``token``, or None for an unknown or revoked token.

    The lookup is by hash (an attacker who does not know a token learns nothing from how long a hash
    lookup takes); the stored hash is then compared with ``hmac.compare_digest`` so the final decision
    is constant time too.
    """
    if not token or len(token) > 200:
        return None
    digest = hash_token(token)
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == digest)).first()
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(row.token_hash.encode(), digest.encode()):
        return None
    if row.user_id is not None:  # a user's token acts within the user's reach, at most in the user's role
        user = session.get(User, row.user_id)
        if user is None or not user.active:
            return None
        return accounts.actor_for(session, user, role=row.role)
    return Actor(name=row.name, role=row.role)


def _utc(value: datetime) -> str:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()  # SQLite returns naive UTC


def token_public(row: ApiToken) -> dict[str, Any]:
    """What may be shown about a token: never its hash."""
    return {"id": row.id, "name": row.name, "role": row.role, "created_at": _utc(row.created_at),
            "revoked_at": _utc(row.revoked_at) if row.revoked_at else None}
