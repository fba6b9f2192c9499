"""Time budgets that grow with the work a file turns out to need.

A file's clock starts with :attr:`Limits.timeout_seconds`. Only once a PDF is open does the reader
know how many pages must go through OCR, so it asks for more time here (:func:`request_time`) and
whoever enforces the limit — the batch pool for a worker process, the alarm for in-process
extraction — extends that file's deadline. Without a listener (a plain :func:`ingest.extract`
call) nothing enforces a limit and the request is a no-op.
"""

from __future__ import annotations

from collections.abc import Callable

_listener: Callable[[float], None] | None = None


def set_listener(listener: Callable[[float], None] | None) -> Callable[[float], None] | None:
    """Install ``listener`` (called with extra seconds); returns the previous one so it can be restored."""
    global _listener
    previous, _listener = _listener, listener
    return previous


def request_time(seconds: float) -> None:
    """Ask for ``seconds`` more for the file being read (OCR pages, a slow conversion)."""
    if _listener is not None and seconds > 0:
        _listener(seconds)
