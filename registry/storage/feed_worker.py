"""The other end of :mod:`registry.storage.feed_process`: the process that feeds a bulk import's index.

It is a module of its own because it needs a :class:`~registry.storage.runtime.Runtime` (the engine and
the search backend of the registry it feeds), while the runtime needs the importer's side; one module
holding both ends would import itself in a circle. What it guarantees is written in ``feed_process``.
"""

from __future__ import annotations

import json
import logging
import signal
import sys
import threading

from registry.settings import Settings
from registry.storage.indexing import drain_outbox
from registry.storage.runtime import Runtime

log = logging.getLogger(__name__)

GATHER = 4.0  # seconds of commits gathered before a drain: each index commit (and its merges) costs CPU


def main() -> int:
    """The feed process: drain the outbox after each gathered wake-up, once more when the input closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C is the importer's: it closes the pipe, then we finish
    logging.basicConfig(level=logging.WARNING, format="normreg feed: %(message)s")
    stdin = sys.stdin.buffer
    first = stdin.readline()
    if not first:
        return 0
    runtime = Runtime(Settings(**json.loads(first)))
    woken, closed = threading.Event(), threading.Event()

    def listen() -> None:
        for _line in stdin:
            woken.set()
        closed.set()
        woken.set()

    threading.Thread(target=listen, name="normreg-feed-listen", daemon=True).start()
    try:
        while not closed.is_set():
            woken.wait()
            closed.wait(GATHER)
            woken.clear()
            drain_outbox(runtime.engine, runtime.backend, merge=False)
        drain_outbox(runtime.engine, runtime.backend, merge=False)
        runtime.backend.optimize()  # merges once, at the end of the import
    except Exception:
        log.exception("feeding the search index failed; the outbox keeps the entries for the next feed")
        return 1
    finally:
        if "backend" in runtime.__dict__:
            runtime.backend.close()
        runtime.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
