"""Browser sessions of staff: signing in, recognising a signed-in browser, signing out.

The cookie carries a random secret; the database keeps only its SHA-256, so a copy of the database
signs nobody in and a replayed cookie of an ended session is refused. A session ends when it expires
(``expires_at``, a working day by default), when it has been idle too long, when it is revoked (sign-out,
a password change, an admin) or when its user is deactivated. Wrong credentials all get the same answer,
whether the user exists or not, and take the same argon2 time.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select, update

from registry.errors import NotFound, Unauthorized
from registry.models import StaffSession, User
from registry.models._types import utcnow
from registry.rules.actors import Actor
from registry.services import accounts, auth, second_factor, throttle
from registry.storage import audit

TOUCH_EVERY = timedelta(minutes=1)  # last_seen_at is written at most this often (a write per page costs)
_DUMMY_HASH = accounts.hash_password("normreg-no-such-user")  # equal work for unknown usernames
BAD_CREDENTIALS = "用户名或密码不正确 (wrong username or password)"


def session_id(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def check_credentials(session: Session, *, username: str, password: str, totp: str | None = None) -> User:
    """The active user these credentials name; Unauthorized (one message for every failure) otherwise."""
    user = session.exec(select(User).where(User.username == username.strip().lower())).first()
    if user is None or not user.active:
        accounts.verify_password(_DUMMY_HASH, password)
        raise Unauthorized(BAD_CREDENTIALS)
    if not accounts.verify_password(user.password_hash, password):
        raise Unauthorized(BAD_CREDENTIALS)
    if user.totp_secret is not None and not second_factor.verify(user.totp_secret, totp):
        raise Unauthorized("动态验证码不正确 (the one-time code is wrong or missing)", details={"totp_required": True})
    if accounts.needs_rehash(user.password_hash):
        user.password_hash = accounts.hash_password(password)
        session.add(user)
    return user


def sign_in(session: Session, *, username: str, password: str, totp: str | None, client: str | None,
            user_agent: str | None, hours: float, limits: throttle.Limits) -> tuple[User, str]:
    """Check the throttle, then the credentials, then open a session; returns the user and the cookie secret.

    A failure is counted (and committed) before Unauthorized propagates, so the count survives the
    error; a locked username or client gets RateLimited without its password being checked.
    """
    now = utcnow()
    throttle.check(session, username=username, client=client, limits=limits, now=now)
    try:
        user = check_credentials(session, username=username, password=password, totp=totp)
    except Unauthorized:
        session.rollback()
        throttle.record_failure(session, username=username, client=client, limits=limits, now=now)
        session.commit()
        raise
    throttle.clear(session, username=username, client=client)
    _, secret = start_session(session, user, hours=hours, client=client, user_agent=user_agent)
    return user, secret


def start_session(session: Session, user: User, *, hours: float, client: str | None = None,
                  user_agent: str | None = None) -> tuple[StaffSession, str]:
    """A new session for ``user``; returns the row and the cookie secret (never stored)."""
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    row = StaffSession(id=session_id(secret), user_id=user.id,  # type: ignore[arg-type]
                       created_at=now, last_seen_at=now, expires_at=now + timedelta(hours=hours),
                       client=(client or "")[:100] or None, user_agent=(user_agent or "")[:300] or None)
    session.add(row)
    audit.record(session, actor=user.username, action="session.start", target=user.username,
                 details={"client": row.client})
    session.commit()
    return row, secret


def session_actor(session: Session, secret: str, *, idle_minutes: float) -> Actor | None:
    """The actor of a live session, or None (unknown, ended, expired, idle too long, user deactivated).

    Touches ``last_seen_at`` at most once a minute; the caller commits.
    """
    if not secret or len(secret) > 100:
        return None
    row = session.get(StaffSession, session_id(secret))
    if row is None or row.revoked_at is not None:
        return None
    now = utcnow()
    if _aware(row.expires_at) <= now or _aware(row.last_seen_at) + timedelta(minutes=idle_minutes) <= now:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    if now - _aware(row.last_seen_at) >= TOUCH_EVERY:
        row.last_seen_at = now
        session.add(row)
    return accounts.actor_for(session, user)


def end_session(session: Session, secret: str) -> bool:
    """Sign out: the session stops working at once. False when it had already ended."""
    row = session.get(StaffSession, session_id(secret)) if secret else None
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    session.add(row)
    user = session.get(User, row.user_id)
    audit.record(session, actor=user.username if user else "unknown", action="session.end",
                 target=user.username if user else None)
    session.commit()
    return True


def end_sessions_of(session: Session, user_id: int, *, keep: str | None = None) -> int:
    """Revoke every live session of a user (a password change, deactivation), except ``keep``'s."""
    stmt = (update(StaffSession).where(col(StaffSession.user_id) == user_id, col(StaffSession.revoked_at).is_(None))
            .values(revoked_at=utcnow()))
    if keep:
        stmt = stmt.where(col(StaffSession.id) != session_id(keep))
    return int(session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]


def list_sessions(session: Session, user_id: int) -> list[StaffSession]:
    """A user's sessions, newest first (ended ones too, so a user can see where they signed in)."""
    return list(session.exec(select(StaffSession).where(StaffSession.user_id == user_id)
                             .order_by(col(StaffSession.created_at).desc()).limit(50)))


def change_password(session: Session, user: User, *, current: str, new: str, keep: str | None = None) -> int:
    """Replace a user's password after checking the current one; every other session of the user ends.
    Returns how many sessions were ended."""
    if not accounts.verify_password(user.password_hash, current):
        raise Unauthorized("当前密码不正确 (the current password is wrong)")
    accounts.check_password_rules(new, username=user.username)
    user.password_hash = accounts.hash_password(new)
    user.password_changed_at = utcnow()
    session.add(user)
    ended = end_sessions_of(session, user.id, keep=keep)  # type: ignore[arg-type]
    audit.record(session, actor=user.username, action="user.password", target=user.username,
                 details={"sessions_ended": ended})
    session.commit()
    return ended


def revoke_session(session: Session, *, sid: str, actor: str, user_id: int | None = None) -> StaffSession:
    """End the session whose id (the SHA-256 shown on the pages) is ``sid``; with ``user_id``, only one of
    that user's (anyone else's is NotFound, so a user cannot probe other sessions). Idempotent."""
    row = session.get(StaffSession, sid[:64]) if sid else None
    if row is None or (user_id is not None and row.user_id != user_id):
        raise NotFound("没有这个登录会话 (no such session)")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        owner = session.get(User, row.user_id)
        audit.record(session, actor=actor, action="session.revoke", target=owner.username if owner else None,
                     details={"client": row.client})
        session.commit()
    return row


def live_sessions(session: Session) -> list[tuple[StaffSession, User]]:
    """Every session that has not ended or expired, newest first, with its user (the admin page)."""
    rows = session.exec(select(StaffSession, User).join(User, col(User.id) == col(StaffSession.user_id))
                        .where(col(StaffSession.revoked_at).is_(None), col(StaffSession.expires_at) > utcnow())
                        .order_by(col(StaffSession.created_at).desc()).limit(500))
    return [(s, u) for s, u in rows]


def set_active(session: Session, *, username: str, active: bool, actor: str) -> dict[str, int]:
    """Deactivate (or reactivate) a user. Deactivation ends every session and revokes every token of the
    user in the same transaction, so nothing the user holds works from the next request on."""
    user = accounts.find_user(session, username)
    ended = revoked = 0
    if user.active != active:
        user.active = active
        session.add(user)
        if not active:
            ended = end_sessions_of(session, user.id)  # type: ignore[arg-type]
            revoked = auth.revoke_tokens_of(session, user.id)  # type: ignore[arg-type]
        audit.record(session, actor=actor, action="user.activate" if active else "user.deactivate",
                     target=user.username, details={"sessions_ended": ended, "tokens_revoked": revoked})
        session.commit()
    return {"sessions_ended": ended, "tokens_revoked": revoked}
