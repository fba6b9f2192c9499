"""A bulk import's source files copied into the store beside the main thread, not by it.

A copy is mostly the file system's work, done outside the GIL, so in threads of its own it overlaps
the main thread's building and writing of rows instead of following it.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from registry.services.ingest_rows import store_file
from registry.storage.files import FileStore


class StoreCopies:
    """Source files copied into ``store`` by a few threads, each started as soon as its file is read.

    Guaranteed: :meth:`wait` returns only once
    the files are stored (and raises what a copy raised), so a chunk that waits for its files before
    it commits never commits a row whose file is not stored.
    """

    def __init__(self, store: FileStore, threads: int = 2) -> None:
        self._store = store
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="normreg-store-copy")
        self._copies: dict[tuple[Path, str], Future[str]] = {}

    def start(self, path: Path, sha: str) -> None:
        """Begin copying ``path`` (whose bytes hash to ``sha``) unless its copy is already under way."""
        if (path, sha) not in self._copies:
            self._copies[path, sha] = self._pool.submit(store_file, path, sha, self._store)

    def wait(self, files: Iterable[tuple[Path, str]]) -> None:
        """Return once each ``(path, sha)`` is stored; raise what a copy raised (the first failed)."""
        for path, sha in files:
            self.start(path, sha)
            self._copies[path, sha].result()

    def forget(self, keys: Iterable[tuple[Path, str]]) -> None:
        """Drop finished copies (their rows are committed, or their failure reported)."""
        for key in keys:
            self._copies.pop(key, None)

    def close(self) -> None:
        """Wait for copies under way (their files are complete or absent, never half-written) and stop."""
        self._pool.shutdown(wait=True)


__all__ = ["StoreCopies"]
