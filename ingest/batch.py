"""Batches: many files, one result per file, as soon as each is done.

With ``jobs > 1`` files are read in long-lived worker processes (started once per batch, never per
file, so thousands of small Markdown files cost milliseconds each). A file that runs past
``limits.timeout_seconds`` has its worker killed and replaced, and a worker that dies (a crash in a
parser library) is reported as that file's :class:`WorkerCrashed` error: one bad file never stops
the batch. With ``jobs <= 1`` files are read in this process, where the time limit is enforced by
``SIGALRM`` between Python bytecodes (main thread on POSIX only); use ``jobs >= 2`` for untrusted
files that may hang inside a C library. Either way a reader that finds pages to OCR asks for more
time through :mod:`ingest.budget`, and the file's deadline moves by what it asked for.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from types import FrameType

import ingest.budget as budget
from ingest.errors import IngestError, Timeout, TooLarge, WorkerCrashed
from ingest.limits import Limits
from ingest.model import ExtractedDocument
from ingest.pipeline import extract
from ingest.tools import tool_env

Result = tuple[Path, ExtractedDocument | IngestError]
#: How long a new worker may take to start (import pdfium, lxml) before it is given files anyway.
STARTUP_SECONDS = 30.0


def extract_many(paths: Sequence[Path], jobs: int = 1, limits: Limits | None = None) -> Iterator[Result]:
    """``(path, document or error)`` for every path, in completion order when ``jobs > 1``."""
    limits = limits or Limits()
    todo = [Path(p) for p in paths]
    if not todo:
        return
    if jobs <= 1 or (len(todo) == 1 and jobs <= 1):
        for path in todo:
            yield path, _extract_here(path, limits)
        return
    yield from _Pool(min(jobs, len(todo)), limits).run(todo)


def extract_safely(path: Path, limits: Limits) -> ExtractedDocument | IngestError:
    try:
        return extract(path, limits)
    except IngestError as exc:
        return exc
    except RecursionError:
        return IngestError("the file is nested too deeply to be read")
    except MemoryError:
        return TooLarge(f"reading this file needs more memory than a reader may use "
                        f"({limits.worker_memory_bytes // (1024 * 1024)} MB)")
    except Exception as exc:  # a bug must cost one file, not the batch
        return IngestError(f"unexpected error while reading: {type(exc).__name__}: {exc}")


def _extract_here(path: Path, limits: Limits) -> ExtractedDocument | IngestError:
    """In-process extraction with a best-effort alarm for the time limit."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or limits.timeout_seconds <= 0:
        return extract_safely(path, limits)

    message = f"reading took longer than {limits.timeout_seconds:g} s"
    fired = False
    granted = 0.0

    def extend(seconds: float) -> None:
        nonlocal granted
        granted += seconds
        remaining, _interval = signal.getitimer(signal.ITIMER_REAL)
        if remaining > 0:
            signal.setitimer(signal.ITIMER_REAL, remaining + seconds)

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        nonlocal fired
        fired = True
        raise Timeout(message)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    previous_listener = budget.set_listener(extend)
    signal.setitimer(signal.ITIMER_REAL, limits.timeout_seconds)
    try:
        result = extract_safely(path, limits)
    except Timeout as exc:
        return exc
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        budget.set_listener(previous_listener)
    # The exception raised by the alarm can land inside a library's broad ``except`` and be swallowed;
    # the flag still says the limit was passed, so the answer does not depend on where the signal fell.
    if fired:
        return Timeout(f"reading took longer than {limits.timeout_seconds + granted:g} s" if granted else message)
    return result


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the worker and everything it started (LibreOffice, Tesseract): they share its group."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError):
            process.kill()


@dataclass(slots=True)
class _Worker:
    process: subprocess.Popen[bytes]
    send: Connection
    conn: Connection
    path: Path | None = None
    deadline: float = 0.0
    granted: float = 0.0


class _Pool:
    """Worker processes fed one path at a time; killed and replaced on timeout or crash."""

    def __init__(self, size: int, limits: Limits) -> None:
        self.size = size
        self.limits = limits

    def _start(self) -> _Worker:
        """A fresh ``python -m ingest.worker`` talking over two pipes.

        A plain subprocess rather than multiprocessing's spawn: spawn re-imports the caller's
        ``__main__``, which breaks any script without an ``if __name__ == "__main__"`` guard."""
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        package_root = str(Path(__file__).resolve().parents[1])
        env = tool_env(PYTHONPATH=os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])))
        process = subprocess.Popen(  # its own session: killing the group takes its converters along
            [sys.executable, "-m", "ingest.worker", str(to_child_r), str(from_child_w)],
            pass_fds=(to_child_r, from_child_w), env=env, stdin=subprocess.DEVNULL, close_fds=True,
            start_new_session=True,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        send = Connection(to_child_w, readable=False)
        send.send(self.limits)
        return _Worker(process=process, send=send, conn=Connection(from_child_r, writable=False))

    def _ready(self, worker: _Worker) -> _Worker:
        """Wait for the worker's greeting, so interpreter start-up never counts against a file."""
        if worker.conn.poll(STARTUP_SECONDS):
            with contextlib.suppress(EOFError, OSError):
                worker.conn.recv()
        return worker

    def _stop(self, worker: _Worker, *, kill: bool) -> None:
        if kill:
            _kill_group(worker.process)
        else:
            with contextlib.suppress(OSError):
                worker.send.send(None)
        try:
            worker.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            _kill_group(worker.process)
            worker.process.wait(timeout=5)
        worker.send.close()
        worker.conn.close()

    def run(self, paths: list[Path]) -> Iterator[Result]:
        pending = deque(paths)
        workers = [self._ready(w) for w in [self._start() for _ in range(self.size)]]
        timeout = self.limits.timeout_seconds if self.limits.timeout_seconds > 0 else None
        try:
            while True:
                for i, w in enumerate(workers):
                    if w.path is None and pending:
                        if w.process.poll() is not None:
                            # Died while idle (killed from outside): replace it before it is given a
                            # file, so no file is blamed for a death it did not cause.
                            self._stop(w, kill=True)
                            w = workers[i] = self._ready(self._start())
                        w.path = pending.popleft()
                        w.granted = 0.0
                        w.deadline = time.monotonic() + timeout if timeout else float("inf")
                        # A dead worker is reported below, when its pipe reads as closed.
                        with contextlib.suppress(OSError):
                            w.send.send(str(w.path))
                busy = [w for w in workers if w.path is not None]
                if not busy:
                    return
                wait_for = max(0.0, min(w.deadline for w in busy) - time.monotonic())
                ready = wait([w.conn for w in busy], timeout=min(wait_for, 3600.0))
                for i, w in enumerate(workers):
                    if w.path is None:
                        continue
                    if w.conn in ready:
                        path = w.path
                        try:
                            message = w.conn.recv()
                        except (EOFError, OSError):
                            code = None
                            with contextlib.suppress(subprocess.TimeoutExpired):
                                code = w.process.wait(timeout=5)
                            result = WorkerCrashed(f"the reading process crashed on this file (exit code {code})")
                            self._stop(w, kill=True)
                            workers[i] = self._ready(self._start())
                        else:
                            if message == "ready":
                                continue  # a late greeting from a slow start, not a result
                            if message[0] == "extend" and isinstance(message[1], float):
                                # The reader found pages to OCR: their time is added to this file's.
                                w.deadline += float(message[1])
                                w.granted += float(message[1])
                                continue
                            _sent, result = message
                            w.path = None
                        yield path, result
                    elif time.monotonic() >= w.deadline:
                        path, allowed = w.path, self.limits.timeout_seconds + w.granted
                        self._stop(w, kill=True)
                        workers[i] = self._ready(self._start())
                        yield path, Timeout(f"reading took longer than {allowed:g} s; the file was abandoned")
        finally:
            for w in workers:
                self._stop(w, kill=w.path is not None)
