"""The FastAPI application factory (``uvicorn --factory registry.api.app:create_app``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from registry.api.errors import install_error_handlers
from registry.api.routes_public import router as public_router
from registry.context import Registry
from registry.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; tests pass their own settings (temporary data dir, chosen database)."""
    registry = Registry(settings or Settings())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        registry.close()

    app = FastAPI(
        title="normreg",
        summary="Registry and effectiveness tracker for administrative normative documents (行政规范性文件)",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.registry = registry
    install_error_handlers(app)
    app.add_middleware(
        CORSMiddleware, allow_origins=registry.settings.cors_origins, allow_methods=["GET"],
        allow_headers=["*"], max_age=3600,
    )
    app.include_router(public_router)
    return app
