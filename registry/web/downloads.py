"""Stored files sent to a browser: streamed from the file store, always as a sandboxed download.

Whatever the store (the local disk or the database), the answer streams its chunks as they are read, so a
large file never sits whole in the server's memory; ``Content-Length`` is the stored length, so a client
sees a truncated transfer as one. The ``Content-Disposition`` follows RFC 6266 (a UTF-8 ``filename*`` for
Chinese titles), and the sandboxing CSP means a stored HTML file can never run from our origin.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi.responses import StreamingResponse

from registry.storage.files import Opened

SANDBOX = {"Content-Security-Policy": "sandbox; default-src 'none'"}


def attachment(filename: str, fallback: str) -> str:
    """A ``Content-Disposition`` for a download named ``filename`` (Chinese kept, RFC 6266 ``filename*``),
    with the ASCII ``fallback`` for clients that do not read ``filename*``."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def download(opened: Opened, *, media_type: str, filename: str) -> StreamingResponse:
    """``opened`` as an attachment named ``filename``; text and HTML types are sent as octet streams."""
    if media_type.startswith("text/"):
        media_type = "application/octet-stream"  # never render stored HTML or text from our origin
    disposition = attachment(filename, f"document{opened.suffix}")
    return StreamingResponse(opened.chunks, media_type=media_type,
                             headers={"Content-Length": str(opened.size), "Content-Disposition": disposition,
                                      **SANDBOX})
