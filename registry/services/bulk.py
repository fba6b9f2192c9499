"""Helpers that keep a bulk import's main thread for storing: cheap path resolution and read-ahead.

A 100,000-file import runs on a machine whose main process is the bottleneck, so work that is the same
for every file is paid once per folder (:class:`Resolver`), files are read by the extraction
workers while the main thread stores what they read before (:func:`ahead`); see also
:mod:`registry.services.store_copies`.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


class Resolver:
    """``Path.resolve()`` (non-strict), with each folder resolved once.

    ``realpath(folder/name)`` equals ``realpath(realpath(folder)/name)``, and when ``name`` is not itself
    a symbolic link the latter is just the join: one ``lstat`` per file instead of one per path
    component and the pure-Python walk of ``os.path.realpath``. A file that is a link takes the full way,
    so the answer is always the one ``Path.resolve()`` gives.
    """

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}

    def __call__(self, path: Path) -> Path:
        folder, name = os.path.split(os.fspath(path))
        if name in ("", ".", ".."):
            return path.resolve()
        real = self._folders.get(folder)
        if real is None:
            real = self._folders[folder] = os.path.realpath(folder or os.curdir)
        full = os.path.join(real, name)
        return Path(os.path.realpath(full)) if os.path.islink(full) else Path(full)


_DONE = object()


def ahead(items: Iterator[T], size: int) -> Iterator[T]:
    """Yield what ``items`` yields, produced by a thread of its own up to ``size`` items ahead.

    For the extraction pool: its loop hands the next file to a worker as soon as one is free, also
    while the consumer is busy storing a chunk (the workers used to wait for it). Order is kept; an
    exception in ``items`` is raised here, where the consumer is. When the consumer stops early (an
    error, or it stops iterating), the thread stops after its current item and closes ``items``, so
    the pool's ``finally`` (stopping its workers) runs.
    """
    out: queue.Queue[object] = queue.Queue(maxsize=max(1, size))
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        out.put(item, timeout=0.2)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    break
        except BaseException as exc:  # handed to the consumer, raised there
            out.put(_Failed(exc))
            return
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()
        out.put(_DONE)

    thread = threading.Thread(target=produce, name="normreg-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item = out.get()
            if item is _DONE:
                return
            if isinstance(item, _Failed):
                raise item.exc
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        while thread.is_alive():  # unblock a producer waiting for room, then let it finish
            with contextlib.suppress(queue.Empty):
                out.get(timeout=0.1)
        thread.join()


class _Failed:
    __slots__ = ("exc",)

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


__all__ = ["Resolver", "ahead"]
