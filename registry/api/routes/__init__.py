"""HTTP routes, one module per URL prefix; :func:`include_all` mounts them in a fixed order."""

from __future__ import annotations

from fastapi import FastAPI

from registry.api.routes import (
    changes,
    clearing,
    document_records,
    documents,
    files,
    health,
    intake,
    reports,
    search,
    sweep,
    tokens,
    validity,
)

MODULES = (health, documents, document_records, files, validity, search, changes, clearing, reports, sweep, tokens,
           intake)


def include_all(app: FastAPI) -> None:
    for module in MODULES:
        app.include_router(module.router)
