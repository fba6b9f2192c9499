"""Per-client limits for issuing and verifying statements (no token needed, so held apart from reads).

Issuing writes a row and signs; a client gets ``statement_rate_limit_per_minute`` of each per minute, in
process memory like the read limit (:mod:`registry.http.ratelimit`). The limiters live on ``app.state``,
made on first use, so the application factory needs no change for them.
"""

from __future__ import annotations

import math
import threading

from fastapi import Request

from registry.errors import RateLimited
from registry.http.ratelimit import SlidingWindowLimiter, client_key

_made = threading.Lock()


def _limiter(request: Request, name: str) -> SlidingWindowLimiter:
    state = request.app.state
    with _made:
        limiter = getattr(state, name, None)
        if limiter is None:
            limiter = SlidingWindowLimiter(state.registry.settings.statement_rate_limit_per_minute)
            setattr(state, name, limiter)
    return limiter


def _count(request: Request, name: str, what: str) -> None:
    limiter = _limiter(request, name)
    wait = limiter.hit(client_key(request))
    if wait is not None:
        retry = max(1, math.ceil(wait))
        raise RateLimited(f"{what}过于频繁，请 {retry} 秒后再试 / too many requests; try again in {retry} s",
                          details={"retry_after": retry, "limit_per_minute": limiter.per_minute})


async def issue_limit(request: Request) -> None:
    """Dependency: 429 when this client has had too many statements issued this minute."""
    _count(request, "statement_issue_limiter", "签发核验凭证")


async def verify_limit(request: Request) -> None:
    """Dependency: 429 when this client has verified too many statements this minute."""
    _count(request, "statement_verify_limiter", "核验")
