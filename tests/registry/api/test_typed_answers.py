"""Every JSON answer of the API is a model defined once: the OpenAPI description names its schema.

A route that returns a bare ``dict`` shows up in the description as an untyped object; clients generated
from it (and readers of /docs) would not know the fields. Files and feeds (CSV, XLSX, Atom) are the only
answers without a JSON schema, and they are listed here by name so a new one is a decision, not a slip.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from registry.http.app import create_app
from tests.conftest import make_settings

NOT_JSON = {
    ("get", "/api/v1/documents/export"),  # CSV, XLSX or JSON lines, streamed
    ("get", "/api/v1/exports/{job_id}/file"),  # an export job's finished file, in its format
    ("get", "/feeds/changes.atom"),  # Atom
    ("get", "/feeds/follows/{follow_id}.atom"),  # Atom, one follow
    ("get", "/feeds/search.atom"),  # Atom, a saved search
    ("get", "/api/v1/clearing/campaigns/{name}/export"),  # a file in the chosen format
}


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The OpenAPI description (the same on every database; read once)."""
    app = create_app(make_settings(Path(tmp_path_factory.mktemp("spec"))))
    return app.openapi()


def _schema_of(op: dict[str, Any]) -> object:
    ok = next((v for k, v in op["responses"].items() if k.startswith("2")), {})
    return ok.get("content", {}).get("application/json", {}).get("schema")


def _named(schema: object) -> bool:
    """A $ref to a component, or an array of them."""
    if not isinstance(schema, dict):
        return False
    return "$ref" in schema or _named(schema.get("items"))


def test_every_json_operation_declares_a_named_response_model(spec: dict[str, Any]) -> None:
    untyped = [(method, path) for path, ops in spec["paths"].items() for method, op in ops.items()
               if (method, path) not in NOT_JSON and not _named(_schema_of(op))]
    assert untyped == []


def test_the_exemptions_are_still_routes(spec: dict[str, Any]) -> None:
    """An exemption for a route that no longer exists would hide the next untyped one."""
    assert all(path in spec["paths"] and method in spec["paths"][path] for method, path in NOT_JSON)
