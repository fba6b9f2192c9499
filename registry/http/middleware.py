"""ASGI middleware: the upload size limit, security headers, and CORS only where it is meant to be.

Pure ASGI (not ``BaseHTTPMiddleware``) so streaming bodies pass through untouched and the limit on an
upload is enforced while it arrives, before anything is parsed or spooled to disk.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

BODYLESS = ("GET", "HEAD", "OPTIONS")
# API writes anyone may make without a token (each is rate-limited by its route): statements are issued
# and verified for citizens and courts; following needs no account (issue 16); export jobs are asked for
# as the public exports are (issue 18, no body).
PUBLIC_WRITES = ("/api/v1/statements", "/api/v1/follows", "/api/v1/subscriptions/", "/api/v1/exports")
MULTIPART_OVERHEAD = 64 * 1024
CORS_PATHS = ("/api/v1/search", "/api/v1/suggest", "/api/v1/validity")
# FastAPI's interactive API docs load Swagger UI / ReDoc from a CDN with an inline bootstrap script;
# they show no registry data, so they keep nosniff and frame options but not the strict page CSP.
DOCS_PATHS = ("/docs", "/docs/oauth2-redirect", "/redoc")

PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'")
API_CSP = "default-src 'none'; frame-ancestors 'none'"


def _error(code: str, message: str, details: Any = None) -> bytes:
    return json.dumps({"error": {"code": code, "message": message, "details": details}}).encode()


# Routes that take files (uploads, clearing lists, intake): they get the upload limit; every other body
# (JSON, a form) is held to BODY_LIMIT, which a document's full text fits in many times over.
UPLOAD_PATHS = ("/api/v1/files", "/api/v1/clearing/campaigns", "/api/v1/intake", "/staff/intake", "/staff/clearing")
BODY_LIMIT = 5 * 1024 * 1024


class UploadLimitMiddleware:
    """413 for any request body larger than its route's limit, declared or streamed: ``max_bytes`` (plus
    multipart overhead) on the routes that take files, :data:`BODY_LIMIT` on every other one."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in BODYLESS:
            await self.app(scope, receive, send)
            return
        uploads = scope["path"].startswith(UPLOAD_PATHS)
        limit = self.max_bytes + MULTIPART_OVERHEAD if uploads else min(BODY_LIMIT, self.max_bytes + MULTIPART_OVERHEAD)
        shown = self.max_bytes if uploads else min(BODY_LIMIT, self.max_bytes)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._reject(send, shown)
            return
        seen = 0
        exceeded = False
        started = False

        async def counting_receive() -> Message:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    exceeded = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                if not started:
                    started = True
                    await self._reject(send, shown)
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not exceeded:
                raise
            if not started:
                await self._reject(send, shown)

    async def _reject(self, send: Send, max_bytes: int) -> None:
        body = _error("payload_too_large", f"the request body is larger than {max_bytes} bytes",
                      {"max_bytes": max_bytes})
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
            (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


class CredentialsFirstMiddleware:
    """401 for a write to the API without a valid bearer token, before a byte of its body is read.

    FastAPI reads and parses a request's body before it runs the route's dependencies, so without this
    anyone could make the server take in and parse a 50 MB body only to be told 401 at the end. Every
    write under ``/api/`` needs a token; ``authenticate`` (one indexed lookup) runs in the thread pool.
    """

    def __init__(self, app: ASGIApp, authenticate: Callable[[str], object | None]) -> None:
        self.app = app
        self.authenticate = authenticate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] == "http" and scope["method"] not in BODYLESS and scope["path"].startswith("/api/")
                and not scope["path"].startswith(PUBLIC_WRITES)):
            header = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
            token = header[7:].strip() if header[:7].lower() == "bearer " else ""
            if not token or await run_in_threadpool(self.authenticate, token) is None:
                body = _error("unauthorized", "a write needs `Authorization: Bearer <token>` with a valid token",
                              {"hint": "create one with `normreg token create` or on /staff/account"})
                await send({"type": "http.response.start", "status": 401, "headers": [
                    (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                    (b"www-authenticate", b"Bearer"), (b"connection", b"close")]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


class SecurityHeadersMiddleware:
    """nosniff everywhere; on HTML a CSP without inline script and same-origin framing only.

    The widget embeds cross-origin as a script plus a custom element, not an iframe, so pages can refuse
    to be framed; ``/widget.js`` is marked as a resource other sites may load.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                ctype = dict(headers).get(b"content-type", b"")
                extra = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]
                if path == "/widget.js":
                    extra.append((b"cross-origin-resource-policy", b"cross-origin"))
                elif path in DOCS_PATHS:
                    extra.append((b"x-frame-options", b"SAMEORIGIN"))
                elif ctype.startswith(b"text/html"):
                    extra += [(b"content-security-policy", PAGE_CSP.encode()), (b"x-frame-options", b"SAMEORIGIN")]
                else:
                    extra.append((b"content-security-policy", API_CSP.encode()))
                headers += [(k, v) for k, v in extra if k not in names]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class PathCORSMiddleware:
    """CORS (GET only) for the public search, suggest and validity endpoints and nothing else."""

    def __init__(self, app: ASGIApp, origins: list[str]) -> None:
        self.app = app
        self.cors = CORSMiddleware(app, allow_origins=origins, allow_methods=["GET"], allow_headers=["*"],
                                   max_age=3600)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] in CORS_PATHS:
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
