"""The FastAPI application factory (``uvicorn --factory registry.api.app:create_app``)."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware

from registry.api.errors import install_error_handlers
from registry.api.middleware import PathCORSMiddleware, SecurityHeadersMiddleware, UploadLimitMiddleware
from registry.api.ratelimit import SlidingWindowLimiter
from registry.api.routes_data import router as data_router
from registry.api.routes_documents import router as documents_router
from registry.api.routes_lifecycle import router as lifecycle_router
from registry.api.routes_public import router as public_router
from registry.api.routes_tokens import router as tokens_router
from registry.context import Registry
from registry.settings import Settings

DESCRIPTION = """Registry and effectiveness tracker for administrative normative documents (行政规范性文件).

Reading is public. Writing needs `Authorization: Bearer <token>` with a role: clerk (record events, edit),
reviewer (confirm review outcomes and clearing matches), admin (manage tokens). Edits need `If-Match` with
the ETag of the last read. Every error is `{"error": {"code", "message", "details"}}`."""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; tests pass their own settings (temporary data dir, chosen database)."""
    registry = Registry(settings or Settings())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        registry.backend  # noqa: B018 - open the index now, not on the first search
        # Everything built so far (modules, app, index readers) lives as long as the process: keep it out
        # of the cyclic collector's scans, which otherwise cost about 5 % of a first-time search at 100k.
        gc.collect()
        gc.freeze()
        yield
        registry.close()
        gc.unfreeze()  # an app started and stopped again (tests, reloads) leaves nothing pinned

    app = FastAPI(
        title="normreg",
        summary="Registry and effectiveness tracker for administrative normative documents (行政规范性文件)",
        description=DESCRIPTION,
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.registry = registry
    app.state.rate_limiter = SlidingWindowLimiter(registry.settings.rate_limit_per_minute)
    install_error_handlers(app)
    app.add_middleware(UploadLimitMiddleware, max_bytes=registry.settings.max_upload_bytes)
    app.add_middleware(PathCORSMiddleware, origins=registry.settings.cors_origins)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(GZipMiddleware, minimum_size=1024)  # the widget goes over the wire in about 4 KB
    # Order matters: fixed paths (/api/v1/documents/export) before /api/v1/documents/{document_id}.
    app.include_router(data_router)
    app.include_router(documents_router)
    app.include_router(tokens_router)
    app.include_router(lifecycle_router)
    app.include_router(public_router)
    from registry.web.routes import mount_web

    mount_web(app)
    return app
