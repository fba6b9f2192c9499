"""One error shape for every error: ``{"error": {"code", "message", "details"}}``; no traceback ever
reaches a client.

Pages for people (anything outside ``/api``, ``/feeds`` and ``/openapi.json``, asked for by a browser)
get the same error as a small HTML page instead, rendered by the web module.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from registry.errors import NormregError

log = logging.getLogger("normreg.api")
MACHINE_PREFIXES = ("/api/", "/feeds/", "/openapi.json", "/docs", "/redoc", "/healthz", "/widget.js", "/static/")


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


def _wants_page(request: Request) -> bool:
    path = request.url.path
    return not path.startswith(MACHINE_PREFIXES) and "text/html" in request.headers.get("accept", "")


def _respond(request: Request, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    render = getattr(request.app.state, "render_error_page", None)
    if render is not None and _wants_page(request):
        return render(request, status, body["error"], headers)  # type: ignore[no-any-return]
    return JSONResponse(body, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NormregError)
    async def _normreg(request: Request, exc: NormregError) -> Response:
        headers: dict[str, str] | None = None
        if exc.status_code == 429:
            retry = exc.details.get("retry_after", 60) if isinstance(exc.details, dict) else 60
            headers = {"Retry-After": str(retry)}
        elif exc.status_code == 401:
            headers = {"WWW-Authenticate": "Bearer"}
        return _respond(request, exc.status_code, exc.to_dict(), headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        details = [{"loc": list(e.get("loc", [])), "msg": e.get("msg", ""), "type": e.get("type", "")}
                   for e in exc.errors()]
        return _respond(request, 422, error_body("invalid_input", "the request is not valid", details))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized", 403: "forbidden",
                413: "payload_too_large", 400: "bad_request"}.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        return _respond(request, exc.status_code, error_body(code, message), getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(error_body("internal_error", "an internal error occurred; it has been logged"),
                            status_code=500)
