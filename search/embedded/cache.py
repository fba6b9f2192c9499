"""A short-lived cache of rankings: the same query within seconds costs a page, not a full evaluation.

Broad queries (a term in most documents, a citizen's question of many terms) must visit every match
for the exact total and the four facets, and the ranking reads the candidates' articles: most of a
first-time query's cost (docs/benchmarks.md), however it is done. People repeat queries (a widget's popular
searches, paging through results, the same question typed by many), so a ranking is kept for a short
while together with the index snapshot (searcher) it was computed on: document addresses stay valid
for that snapshot, and results are never older than ``ttl`` seconds. Every write (index, delete,
clear) empties the cache, so a search right after a write sees it.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class RankingCache(Generic[V]):
    """LRU with expiry; thread-safe. ``ttl`` 0 disables it."""

    def __init__(self, ttl: float = 30.0, size: int = 256) -> None:
        self.ttl = ttl
        self.size = size
        self._items: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        if self.ttl <= 0:
            return None
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            if item[0] < time.monotonic():
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return item[1]

    def put(self, key: Hashable, value: V) -> None:
        if self.ttl <= 0:
            return
        with self._lock:
            self._items[key] = (time.monotonic() + self.ttl, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
