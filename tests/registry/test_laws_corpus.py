"""Acceptance on the real laws corpus: everything imports, and the validity API agrees with the catalog.

The catalog is a snapshot (late 2025): a law it lists as 尚未生效 whose effective date has passed is in
force today, and the registry must say so.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from registry.facade import Registry
from registry.http.app import create_app
from tests.support.corpus import corpus_path

pytestmark = [pytest.mark.slow, pytest.mark.corpus]


def _catalog() -> list[dict]:
    with corpus_path("laws", "catalog.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _expected_today(row: dict) -> str:
    passed = bool(row["effective_date"]) and date.fromisoformat(row["effective_date"]) <= date.today()
    if row["status_code"] == "not_yet_effective" and passed:
        return "in_force"
    return str(row["status_code"])


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def laws(request: pytest.FixtureRequest) -> Registry:
    """The imported corpus on SQLite, then on PostgreSQL."""
    name = "laws_registry" if request.param == "sqlite" else "laws_registry_pg"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def laws_client(laws: Registry) -> TestClient:
    app = create_app(laws.settings)
    return TestClient(app)


def test_every_law_is_imported(laws: Registry) -> None:
    report = laws.laws_report  # type: ignore[attr-defined]
    assert report.added == 2124 and report.failed == []


def test_validity_agrees_with_the_catalog_for_99_percent(laws_client: TestClient) -> None:
    rows = _catalog()
    disagree: Counter[tuple[str, str]] = Counter()
    for row in rows:
        r = laws_client.get("/api/v1/validity", params={"ref": row["id"]})
        assert r.status_code == 200
        got = r.json()["status"]
        if got != _expected_today(row):
            disagree[(_expected_today(row), got)] += 1
    agreement = 1 - sum(disagree.values()) / len(rows)
    assert agreement >= 0.99, (agreement, disagree.most_common(5))


def test_day_before_effect_is_not_yet_effective(laws_client: TestClient) -> None:
    rows = [r for r in _catalog() if r["status_code"] == "in_force" and r["effective_date"]
            and r["publication_date"] and r["effective_date"] > r["publication_date"]]
    assert len(rows) > 500
    for row in rows[::5]:
        day = date.fromisoformat(row["effective_date"]) - timedelta(days=1)
        r = laws_client.get("/api/v1/validity", params={"ref": row["id"], "at": day.isoformat()})
        assert r.json()["status"] == "not_yet_effective", (row["id"], r.json()["reason"])


def test_documents_are_found_by_exact_title(laws_client: TestClient) -> None:
    rows = _catalog()
    titles = Counter(r["title"] for r in rows)
    unique = [r for r in rows if titles[r["title"]] == 1][::20]
    for row in unique:
        r = laws_client.get("/api/v1/validity", params={"ref": row["title"]})
        assert r.json()["document"]["id"] == row["id"]
        shown = laws_client.get(f"/api/v1/documents/{row['id']}").json()
        assert shown["title"] == row["title"]


def test_a_title_with_several_versions_resolves_to_the_current_one(laws_client: TestClient) -> None:
    r = laws_client.get("/api/v1/validity", params={"ref": "中华人民共和国公司法"})
    assert r.status_code == 200
    assert r.json()["status"] == "in_force"


def test_an_amended_version_names_its_successor(laws_client: TestClient) -> None:
    rows = [r for r in _catalog() if r["status_code"] == "amended"]
    named = 0
    for row in rows[:60]:
        body = laws_client.get("/api/v1/validity", params={"ref": row["id"]}).json()
        assert body["status"] == "amended"
        if body["successor"]:
            named += 1
            assert body["successor"]["title"] == row["title"]
    assert named >= 50


def test_documents_are_listed_in_pages(laws_client: TestClient) -> None:
    body = laws_client.get("/api/v1/documents", params={"per_page": 50, "page": 3}).json()
    assert body["total"] == 2124 and len(body["items"]) == 50
