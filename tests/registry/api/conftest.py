"""Fixtures for the API tests: tokens for each role and a helper to build a client with other settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from registry.http.app import create_app
from registry.models import DocumentCreate
from registry.services.auth import create_token
from registry.services.documents import create_document
from registry.settings import Settings


@pytest.fixture
def tokens(client: TestClient) -> dict[str, str]:
    """One bearer token per role on the client's registry."""
    reg = client.app.state.registry  # type: ignore[attr-defined]
    out = {}
    with reg.session() as session:
        for role in ("clerk", "reviewer", "admin"):
            _, out[role] = create_token(session, name=f"{role}-zhang", role=role)
    return out


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def add_document(client: TestClient, **fields: Any) -> str:
    """A document created through the service (not the API under test)."""
    reg = client.app.state.registry  # type: ignore[attr-defined]
    fields.setdefault("title", "示例市测试管理办法")
    with reg.session() as session:
        doc = create_document(session, data=DocumentCreate(**fields), today=date.today())
    return doc.id


ClientFactory = Callable[..., Any]


@pytest.fixture
def client_with(settings: Settings) -> Iterator[ClientFactory]:
    """``with client_with(rate_limit_per_minute=3) as c:`` — a client on the same database with other settings."""

    @contextmanager
    def factory(**overrides: Any) -> Iterator[TestClient]:
        app = create_app(settings.model_copy(update=overrides))
        app.state.registry.init()
        with TestClient(app, raise_server_exceptions=False) as c:
            yield c

    yield factory
