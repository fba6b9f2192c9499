"""A bulk import's index feed in a process of its own, so it runs beside the import instead of taking turns.

Why: the feed's work (reading the documents back, tantivy's ``from_dict``/``add_document``) is Python
under the importing process's GIL, where it took turns with storing the next chunk. In a process of its
own it has its own interpreter and uses the second core.

The importer starts ``python -m registry.storage.feed_worker`` (:mod:`registry.storage.feed_worker`), writes the settings as one JSON line to
its standard input, then one line per commit that queued documents (:func:`feeding` yields that
"wake" call). The process lets a few commits gather, drains the outbox and waits for the next line; when
its input closes it drains once more, merges the index's segments and exits.

Guarantees: the same as the inline feed, because it is the same :func:`registry.storage.indexing.drain_outbox`
over the same outbox. Entries are committed by the import before the process can see them, and marked
processed only after the index committed them, so a kill -9 of the feed process, of the importer or of
both at any moment leaves every unmarked entry pending; the next feed applies it again, and indexing
by id replaces, so each document is in the index exactly once. The importer never waits for the feed
while it imports; on leaving it waits for the process to finish and the caller then feeds inline what
the process could not (it died or never started). An importer that dies closes the pipe by dying: the
process feeds what was committed and exits.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from registry.settings import Settings

log = logging.getLogger(__name__)

@contextmanager
def feeding(settings: Settings) -> Iterator[Callable[[], None]]:
    """Start the feed process for ``settings``' registry; yields the call that tells it a commit queued
    documents. On leaving, the process drains what is left and the block waits for it to exit."""
    package_root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
    try:
        process = subprocess.Popen([sys.executable, "-m", "registry.storage.feed_worker"], stdin=subprocess.PIPE,
                                   stdout=subprocess.DEVNULL, env=env, close_fds=True)
    except OSError as exc:  # the caller's final inline feed does the work
        log.warning("could not start the index feed process (%s); the index is fed at the end", exc)
        yield lambda: None
        return
    pipe: IO[bytes] = process.stdin  # type: ignore[assignment]
    alive = _send(pipe, settings.model_dump_json().encode() + b"\n")

    def wake() -> None:
        nonlocal alive
        if alive:
            alive = _send(pipe, b"\n")
            if not alive:
                log.warning("the index feed process has gone; what it left is fed at the end of the import")

    try:
        yield wake
    finally:
        with suppress(OSError):
            pipe.close()
        if process.wait() != 0:
            log.warning("the index feed process ended with status %s; the outbox keeps what it did not feed",
                        process.returncode)


def _send(pipe: IO[bytes], line: bytes) -> bool:
    try:
        pipe.write(line)
        pipe.flush()
    except OSError:  # the process died: broken pipe
        return False
    return True
