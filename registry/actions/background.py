"""The server's background passes (webhook deliveries, export jobs): one daemon thread per kind of work.

A pass runs at once when the thread starts, then every ``interval`` seconds, or sooner when something is
queued in this process (:meth:`PassThread.wake`). A pass that raises is logged and the loop goes on: the work
waits in the database for the next pass. :meth:`PassThread.stop` ends the loop between passes; work a pass
held when the process ended is taken up again by its lease.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable


class PassThread(threading.Thread):
    """Runs ``run_pass(stop_event)`` in a loop until stopped."""

    def __init__(self, name: str, run_pass: Callable[[threading.Event], object], interval: float) -> None:
        super().__init__(name=name, daemon=True)
        self.run_pass, self.interval = run_pass, interval
        self._wake = threading.Event()
        self._stop_event = threading.Event()

    def run(self) -> None:
        log = logging.getLogger(__name__)
        while not self._stop_event.is_set():
            try:
                self.run_pass(self._stop_event)
            except Exception:  # a bad pass must not end the loop; the work waits in the database
                log.exception("%s pass failed", self.name)
            self._wake.wait(self.interval)
            self._wake.clear()

    def wake(self) -> None:
        """Run the next pass now rather than at the end of the interval."""
        self._wake.set()

    def stop(self, timeout: float = 15.0) -> None:
        self._stop_event.set()
        self._wake.set()
        self.join(timeout)
