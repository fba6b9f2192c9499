"""HTTP routes, one module per URL prefix; :func:`include_all` mounts them in a fixed order."""

from __future__ import annotations

from fastapi import FastAPI

from registry.api.routes import (
    articles,
    basis,
    changes,
    clearing,
    document_records,
    documents,
    exports,
    files,
    follows,
    health,
    intake,
    reports,
    search,
    sweep,
    tokens,
    trust,
    validity,
    versions,
)

MODULES = (health, documents, document_records, files, validity, search, changes, clearing, reports, sweep, tokens,
           intake, basis, versions, articles, follows, trust, exports)


def include_all(app: FastAPI) -> None:
    for module in MODULES:
        app.include_router(module.router)
