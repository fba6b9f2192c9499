"""Absurd dates on every date parameter of the HTTP API: impossible ones (year 0, 9999-99-99, 2025-02-30)
are refused with 422, and the extremes a date type allows (0001-01-01, 9999-12-31) never cause a 500 —
date arithmetic on them (deadlines, reminder windows, periods) must not overflow into a server error."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.registry.api.conftest import add_document, bearer

IMPOSSIBLE = ["0000-01-01", "9999-99-99", "2025-02-30", "-001-01-01", "99999-01-01", "２０２５-01-01"]
EXTREMES = ["0001-01-01", "9999-12-31"]
REPORTS = ["overdue-filings", "expiries", "missing-interpretations", "scorecard"]


def _query_urls(day: str, doc_id: str) -> list[str]:
    return [f"/api/v1/validity?ref={doc_id}&at={day}", f"/api/v1/search?q=管理&date_from={day}",
            f"/api/v1/search?q=管理&date_to={day}", f"/api/v1/changes?since={day}",
            *[f"/api/v1/reports/{n}?at={day}" for n in REPORTS]]


def _bodies(day: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        ("events", {"type": "filed", "date": day, "payload": {"with": "市司法局"}}),
        ("filings", {"filed_on": day, "filed_with": "市司法局"}),
        ("legality-reviews", {"reviewed_on": day, "reviewer": "法制科"}),
        ("filing-reviews", {"reviewed_on": day, "outcome": "通过"}),
        ("renewals", {"new_expiry": day, "renewed_on": "2026-01-01"}),
        ("renewals", {"new_expiry": "2030-01-01", "renewed_on": day}),
    ]


@pytest.fixture
def doc_id(client: TestClient) -> str:
    from datetime import date

    return add_document(client, title="示例市停车场管理办法", doc_number="示政发〔2019〕3号",
                        publication_date=date(2019, 3, 1), effective_date=date(2019, 4, 1),
                        expiry_date=date(2024, 3, 31))


@pytest.mark.parametrize("day", IMPOSSIBLE)
def test_impossible_dates_are_refused_with_422(client: TestClient, tokens: dict[str, str], doc_id: str,
                                               day: str) -> None:
    for url in _query_urls(day, doc_id):
        r = client.get(url)
        assert r.status_code == 422, (url, r.status_code, r.text[:300])
    page = client.get(f"/documents/{doc_id}?at={day}")  # a page answers in words instead of a JSON error
    assert page.status_code < 500
    auth = bearer(tokens["reviewer"])
    for path, body in _bodies(day):
        r = client.post(f"/api/v1/documents/{doc_id}/{path}", json=body, headers=auth)
        assert r.status_code == 422, (path, r.status_code, r.text[:300])
    r = client.post("/api/v1/documents", json={"title": "某办法", "publication_date": day}, headers=auth)
    assert r.status_code == 422, r.text[:300]
    r = client.post("/api/v1/clearing/campaigns", data={"name": "x", "decided_on": day}, headers=auth,
                    files={"file": ("list.csv", "文件名称,清理结果\n某办法,继续有效\n".encode(), "text/csv")})
    assert r.status_code == 422, r.text[:300]


@pytest.mark.parametrize("day", EXTREMES)
def test_extreme_dates_never_cause_a_server_error(client: TestClient, tokens: dict[str, str], doc_id: str,
                                                  day: str) -> None:
    for url in [*_query_urls(day, doc_id), f"/documents/{doc_id}?at={day}"]:
        r = client.get(url)
        assert r.status_code < 500, (url, r.status_code, r.text[:300])
    auth = bearer(tokens["reviewer"])
    for path, body in _bodies(day):
        r = client.post(f"/api/v1/documents/{doc_id}/{path}", json=body, headers=auth)
        assert r.status_code < 500, (path, r.status_code, r.text[:300])
    r = client.patch(f"/api/v1/documents/{doc_id}", json={"expiry_date": day}, headers={**auth, "If-Match": "*"})
    assert r.status_code < 500, r.text[:300]
    r = client.post("/api/v1/clearing/campaigns", data={"name": f"c{day}", "decided_on": day}, headers=auth,
                    files={"file": ("list.csv", "文件名称,清理结果\n示例市停车场管理办法,继续有效\n".encode(), "text/csv")})
    assert r.status_code < 500, r.text[:300]
    if r.status_code == 201:
        r = client.post(f"/api/v1/clearing/campaigns/c{day}/apply", headers=auth)
        assert r.status_code < 500, r.text[:300]
    r = client.post("/api/v1/sweep", headers=auth)
    assert r.status_code < 500, r.text[:300]
