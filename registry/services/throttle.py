"""Sign-in throttling: too many failures for one username, or from one client, lock sign-in for a while.

Failures live in the ``sign_in_failures`` table, so the limit holds across API processes and restarts, on
SQLite and PostgreSQL alike. The username counted is the one typed, whether or not such an account exists,
and a locked username is refused before its password is looked at: a lock, its message and its timing
are the same for an account that exists and one that does not. A successful sign-in clears only the
failures of that username *from that client*, so signing in from the office does not wipe the count an
attacker elsewhere has built up. While locked, attempts are not counted (the lock does not extend itself).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, func, select

from registry.errors import RateLimited
from registry.models import SignInFailure

UNKNOWN_CLIENT = "unknown"


@dataclass(frozen=True, slots=True)
class Limits:
    """How many failures a username and a client may have within ``window``."""

    per_account: int
    per_client: int
    window: timedelta


def _key(username: str) -> str:
    return username.strip().lower()[:64]


def _client(client: str | None) -> str:
    return (client or UNKNOWN_CLIENT)[:100]


def _locked_until(session: Session, column: object, value: str, limit: int, since: datetime,
                  window: timedelta) -> datetime | None:
    """When the ``limit``-th most recent failure leaves the window, if there are that many in it."""
    if limit <= 0:
        return None
    times = session.exec(select(SignInFailure.failed_at).where(column == value, col(SignInFailure.failed_at) > since)
                         .order_by(col(SignInFailure.failed_at).desc()).limit(limit)).all()
    if len(times) < limit:
        return None
    return times[-1] + window


def check(session: Session, *, username: str, client: str | None, limits: Limits, now: datetime) -> None:
    """RateLimited (429, with ``retry_after`` seconds and the time to retry) when sign-in is locked."""
    since = now - limits.window
    until = [t for t in (
        _locked_until(session, col(SignInFailure.username), _key(username), limits.per_account, since, limits.window),
        _locked_until(session, col(SignInFailure.client), _client(client), limits.per_client, since, limits.window),
    ) if t is not None]
    if not until:
        return
    when = max(until)
    seconds = max(1, math.ceil((when - now).total_seconds()))
    minutes = max(1, math.ceil(seconds / 60))
    raise RateLimited(
        f"登录失败次数过多，请在 {minutes} 分钟后（{when:%H:%M} UTC 之后）再试 "
        f"(too many failed sign-ins; try again in {minutes} minutes, after {when:%H:%M} UTC)",
        details={"retry_after": seconds, "retry_at": when.isoformat(), "minutes": minutes},
    )


def record_failure(session: Session, *, username: str, client: str | None, limits: Limits, now: datetime) -> None:
    """Count one failure and forget those older than the window; the caller commits."""
    session.execute(delete(SignInFailure).where(col(SignInFailure.failed_at) <= now - limits.window))
    session.add(SignInFailure(username=_key(username), client=_client(client), failed_at=now))


def clear(session: Session, *, username: str, client: str | None) -> None:
    """After a successful sign-in: forget this username's failures from this client (no other's)."""
    session.execute(delete(SignInFailure).where(col(SignInFailure.username) == _key(username),
                                                col(SignInFailure.client) == _client(client)))


def failures(session: Session, *, username: str) -> int:
    """How many failures are kept for ``username`` (for tests and the admin page)."""
    return int(session.exec(select(func.count()).select_from(SignInFailure)
                            .where(col(SignInFailure.username) == _key(username))).one())
