"""Worker process for :func:`ingest.extract_many`: ``python -m ingest.worker READ_FD WRITE_FD``.

It reads the :class:`Limits` and then paths from one pipe and writes ``(path, result)`` to the
other until it reads ``None``. A reader's request for more time (:mod:`ingest.budget`) is passed on as
``("extend", seconds)``. The parent kills it when a file runs over time; nothing here needs to
cooperate with that.
"""

from __future__ import annotations

import contextlib
import resource
import sys
from multiprocessing.connection import Connection
from pathlib import Path

import ingest.budget as budget
from ingest.batch import extract_safely


def main(read_fd: int, write_fd: int) -> None:
    """Serve extraction requests until the parent sends ``None`` or goes away."""
    inbox = Connection(read_fd, writable=False)
    outbox = Connection(write_fd, readable=False)
    limits = inbox.recv()
    if limits.worker_memory_bytes > 0:  # the heap; Tesseract and LibreOffice started from here inherit it
        resource.setrlimit(resource.RLIMIT_DATA, (limits.worker_memory_bytes, limits.worker_memory_bytes))
    outbox.send("ready")  # the parent starts a file's clock only once its worker can read it
    budget.set_listener(lambda seconds: outbox.send(("extend", float(seconds))))
    with contextlib.suppress(KeyboardInterrupt, EOFError, BrokenPipeError):
        while True:
            message = inbox.recv()
            if message is None:
                return
            outbox.send((message, extract_safely(Path(message), limits)))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
