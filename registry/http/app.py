"""The FastAPI application factory (``uvicorn --factory registry.http.app:create_app``)."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from registry.api.routes import include_all as include_api
from registry.facade import Registry
from registry.http.errors import install_error_handlers
from registry.http.middleware import (
    CredentialsFirstMiddleware,
    PathCORSMiddleware,
    SecurityHeadersMiddleware,
    UploadLimitMiddleware,
)
from registry.http.ratelimit import ExportGate, SlidingWindowLimiter
from registry.settings import Settings
from registry.web import mount_web
from search.question import start_warm_up

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
        # The question segmenter (jieba, about a second and a half of CPU) loads beside the start-up, so
        # the first question does not wait for it. Only here: importers, feeds and other commands open
        # the backend too but never ask a question, and paid for it on every run.
        start_warm_up()
        # Everything built so far (modules, app, index readers) lives as long as the process: keep it out
        # of the cyclic collector's scans, which otherwise cost about 5 % of a first-time search at 100k.
        gc.collect()
        gc.freeze()
        # one machine: webhooks and mail digests go out from here (NORMREG_DELIVER_INLINE; off with a worker)
        delivering = registry.start_delivering() if registry.settings.deliver_inline else None
        # large exports are prepared here too (NORMREG_EXPORT_JOBS_INLINE; off when a worker runs them)
        exporting = registry.start_exporting() if registry.settings.export_jobs_inline else None
        yield
        if exporting is not None:
            exporting.stop()
        if delivering is not None:
            delivering.stop()
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
    app.state.export_gate = ExportGate(registry.settings.export_rate_limit_per_minute,
                                       registry.settings.max_concurrent_exports)
    install_error_handlers(app)
    app.add_middleware(CredentialsFirstMiddleware, authenticate=registry.authenticate)
    app.add_middleware(UploadLimitMiddleware, max_bytes=registry.settings.max_upload_bytes)
    app.add_middleware(PathCORSMiddleware, origins=registry.settings.cors_origins)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(GZipMiddleware, minimum_size=1024)  # the widget goes over the wire in about 4 KB
    if registry.settings.trusted_proxies:
        # Outermost, so the rate limits, the logs and the Secure cookie flag all see the real client and
        # scheme; uvicorn's own proxy handling is off in `normreg serve` so this setting alone decides.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=registry.settings.trusted_proxies)
    include_api(app)
    mount_web(app)
    return app
