"""Walk every route in /openapi.json: each is summarised and typed, and every error it gives has the one shape."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from tests.registry.api.conftest import bearer

METHODS = ("get", "post", "patch", "put", "delete")


def _shape_ok(body: Any) -> bool:
    return (isinstance(body, dict) and set(body) == {"error"} and isinstance(body["error"], dict)
            and set(body["error"]) == {"code", "message", "details"} and isinstance(body["error"]["code"], str)
            and isinstance(body["error"]["message"], str) and "Traceback" not in body["error"]["message"])


def _operations(client: TestClient) -> list[tuple[str, str, dict[str, Any]]]:
    spec = client.get("/openapi.json").json()
    return [(path, m, op) for path, item in spec["paths"].items() for m, op in item.items() if m in METHODS]


def test_every_operation_is_summarised_and_typed(client: TestClient) -> None:
    ops = _operations(client)
    assert len(ops) >= 17
    for path, method, op in ops:
        assert op.get("summary"), (method, path)
        ok = op["responses"].get("200") or op["responses"].get("201")
        assert ok and ok.get("content"), (method, path)


def test_every_route_answers_errors_in_one_shape(client: TestClient, tokens: dict[str, str]) -> None:
    seen_errors = 0
    attempts: list[tuple[dict[str, str], Any]] = [
        ({}, {"bogus": 1}),
        (bearer("nr_wrong"), {"bogus": 1}),
        (bearer(tokens["clerk"]), {"bogus": 1}),
        (bearer(tokens["admin"]), {"title": 5, "type": [], "name": "", "role": "king"}),
        (bearer(tokens["admin"]), None),
    ]
    for path, method, _op in _operations(client):
        url = re.sub(r"\{[^}]+\}", "no-such-id", path)
        queries = [{}, {"page": "0", "per_page": "-1", "at": "2022-13-45", "since": "x", "format": "pdf",
                        "sort": "random", "status": "alive", "q": "x" * 600, "ref": ""}]
        for params in queries:
            for headers, body in attempts:
                kwargs: dict[str, Any] = {"params": params, "headers": {**headers, "If-Match": "nonsense"}}
                if method in ("post", "patch", "put") and body is not None:
                    kwargs["json"] = body
                r = client.request(method.upper(), url, **kwargs)
                assert r.status_code != 500, (method, url, params, r.text)
                if r.status_code >= 400:
                    seen_errors += 1
                    assert _shape_ok(r.json()), (method, url, r.status_code, r.text)
    assert seen_errors > 40
    for method, url in (("GET", "/api/v1/nothing-here"), ("DELETE", "/api/v1/search"), ("PUT", "/healthz")):
        r = client.request(method, url, headers=bearer(tokens["clerk"]))
        assert r.status_code in (404, 405) and _shape_ok(r.json())
    r = client.request("DELETE", "/api/v1/search")  # no token: refused before anything else is looked at
    assert r.status_code == 401 and _shape_ok(r.json())
