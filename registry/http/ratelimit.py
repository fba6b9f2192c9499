"""Per-client rate limit for the public, costly reads (search, suggest, validity and their pages).

A sliding window per client IP kept in process memory: exact for one API process, and per process when
there are several (the limit then scales with them, which is acceptable for abuse protection). A client
over the limit gets 429 with ``Retry-After`` saying when its oldest counted request leaves the window.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Iterator

from fastapi import Request

from registry.errors import RateLimited

WINDOW_SECONDS = 60.0


class SlidingWindowLimiter:
    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._last_sweep = time.monotonic()

    def hit(self, key: str) -> float | None:
        """Count one request for ``key``; None when allowed, else the seconds to wait."""
        if self.per_minute <= 0:
            return None
        now = time.monotonic()
        with self._lock:
            window = self._hits.setdefault(key, deque())
            while window and window[0] <= now - WINDOW_SECONDS:
                window.popleft()
            if len(window) >= self.per_minute:
                return max(0.0, window[0] + WINDOW_SECONDS - now)
            window.append(now)
            if now - self._last_sweep > WINDOW_SECONDS:  # forget idle clients so memory stays bounded
                self._hits = {k: v for k, v in self._hits.items() if v and v[-1] > now - WINDOW_SECONDS}
                self._last_sweep = now
        return None


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def rate_limit(request: Request) -> None:
    """Dependency for public read routes: 429 with Retry-After when the client is over its limit."""
    limiter: SlidingWindowLimiter = request.app.state.rate_limiter
    wait = limiter.hit(client_key(request))
    if wait is not None:
        retry = max(1, math.ceil(wait))
        raise RateLimited(f"too many requests; try again in {retry} s",
                          details={"retry_after": retry, "limit_per_minute": limiter.per_minute})


class ExportGate:
    """Whole-registry exports: a few per client per minute, and only a few streaming at once.

    An export reads every matching row (up to 100,000), so it is held apart from the read limit: a crawler
    following export links on every search page gets 429 long before it can keep the database busy, and
    searches keep their speed meanwhile. The concurrency slot is held while the body streams.
    """

    def __init__(self, per_minute: int, concurrent: int) -> None:
        self.limiter = SlidingWindowLimiter(per_minute)
        self.concurrent = max(1, concurrent)
        self._slots = threading.BoundedSemaphore(self.concurrent)

    def count(self, request: Request) -> None:
        """429 when this client has asked for too many exports this minute."""
        wait = self.limiter.hit(client_key(request))
        if wait is not None:
            retry = max(1, math.ceil(wait))
            raise RateLimited(f"too many exports; try again in {retry} s",
                              details={"retry_after": retry, "limit_per_minute": self.limiter.per_minute})

    def hold(self, body: Iterator[bytes]) -> Iterator[bytes]:
        """``body``, streamed while holding one of the slots; 429 now when every slot is taken."""
        if not self._slots.acquire(blocking=False):
            raise RateLimited(f"{self.concurrent} exports are running; try again in a minute",
                              details={"retry_after": 30, "concurrent": self.concurrent})

        def held() -> Iterator[bytes]:
            try:
                yield from body
            finally:
                self._slots.release()

        return held()


async def export_limit(request: Request) -> None:
    """Dependency for export routes: the per-client export limit."""
    gate: ExportGate = request.app.state.export_gate
    gate.count(request)
