"""Lifecycle over HTTP (roles, one error shape, downloads) and on the command line (one JSON document,
exit codes 0/1/2), on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from typer.testing import CliRunner

from registry.cli import app
from registry.models import DocumentCreate
from registry.services.auth import create_token
from registry.services.documents import create_document
from registry.settings import Settings
from tests.support import staff

LIST = "序号,文件名称,文号,制定机关,清理结果\n1,示例市停车场管理办法,示政发〔2020〕7号,示例市人民政府,废止\n"


def _setup(client: TestClient) -> tuple[str, dict[str, str], dict[str, str]]:
    reg = client.app.state.registry  # type: ignore[attr-defined]
    with reg.session() as s:
        doc = create_document(s, data=DocumentCreate(
            title="示例市人民政府关于印发示例市停车场管理办法的通知", doc_number="示政发〔2020〕7号", issuer="示例市人民政府",
            category="行政规范性文件", publication_date=date(2020, 3, 1), effective_date=date(2020, 4, 1)),
            today=date.today())
        _, clerk = create_token(s, name="clerk", role="clerk")
        _, reviewer = create_token(s, name="reviewer", role="reviewer")
    return doc.id, {"Authorization": f"Bearer {clerk}"}, {"Authorization": f"Bearer {reviewer}"}


def test_clearing_over_http_needs_the_right_role(client: TestClient) -> None:
    doc_id, clerk, reviewer = _setup(client)
    files = {"file": ("list.csv", LIST.encode("utf-8"), "text/csv")}
    r = client.post("/api/v1/clearing/campaigns", files=files, data={"name": "2026清理"})
    assert r.status_code == 401 and set(r.json()) == {"error"}
    r = client.post("/api/v1/clearing/campaigns", files=files, data={"name": "2026清理", "decided_on": "2026-01-15"},
                    headers=clerk)
    assert r.status_code == 201, r.text
    assert r.json()["rows"][0]["match"]["id"] == doc_id
    assert client.post("/api/v1/clearing/campaigns/2026清理/apply", headers=clerk).status_code == 403
    r = client.post("/api/v1/clearing/campaigns/2026清理/apply", headers=reviewer)
    assert r.status_code == 200 and r.json()["applied"] == 1
    v = client.get("/api/v1/validity", params={"ref": "示政发[2020]7号"}).json()
    assert v["status"] == "repealed" and v["evidence"][0]["campaign"] == "2026清理"
    r = client.get("/api/v1/clearing/campaigns/2026清理/export", params={"format": "xlsx"})
    assert r.status_code == 200
    assert load_workbook(io.BytesIO(r.content))["废止目录"]["C3"].value == "示政发〔2020〕7号"
    r = client.get("/api/v1/clearing/campaigns/2026清理/export", params={"format": "pdf"})
    assert r.status_code == 422
    assert client.get("/api/v1/clearing/campaigns/nope").status_code == 404
    r = client.post("/api/v1/clearing/campaigns/2026清理/rows/1/undo", headers=reviewer)
    assert r.status_code == 200 and r.json()["undone"]
    assert client.get("/api/v1/validity", params={"ref": doc_id}).json()["status"] == "in_force"


def test_filing_and_reports_over_http(client: TestClient) -> None:
    doc_id, clerk, reviewer = _setup(client)
    body = {"filed_on": "2020-03-20", "filed_with": "示例省人民政府"}
    assert client.post(f"/api/v1/documents/{doc_id}/filings", json=body).status_code == 401
    r = client.post(f"/api/v1/documents/{doc_id}/filings", json=body, headers=clerk)
    assert r.status_code == 201 and r.json()["state"] == "on_time"
    r = client.post(f"/api/v1/documents/{doc_id}/filing-reviews", json={"reviewed_on": "2020-05-01", "outcome": "通过"},
                    headers=clerk)
    assert r.status_code == 403
    r = client.post(f"/api/v1/documents/{doc_id}/filing-reviews", json={"reviewed_on": "2020-05-01", "outcome": "不知"},
                    headers=reviewer)
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_input"
    r = client.get("/api/v1/reports/scorecard")
    assert r.status_code == 200 and r.json()["rows"][0]["on_time_filing_rate"] == 1.0
    r = client.get("/api/v1/reports/missing-interpretations", params={"format": "csv"})
    assert r.status_code == 200 and r.text.lstrip("\ufeff").startswith("id,title,")
    assert client.get("/api/v1/reports/nope").status_code == 422


def test_each_report_answers_its_own_fields_and_the_schema_names_them(client: TestClient) -> None:
    """One Report model: fields a report does not have stay out of its JSON, and the OpenAPI says so."""
    overdue = client.get("/api/v1/reports/overdue-filings").json()
    assert overdue["deadline_days"] == 30 and "working_days" not in overdue
    missing = client.get("/api/v1/reports/missing-interpretations").json()
    assert missing["working_days"] == 3 and "deadline_days" not in missing and "calendar_unknown" in missing
    assert set(client.get("/api/v1/reports/scorecard").json()) == {"report", "title", "as_of", "columns", "rows"}
    spec = client.get("/openapi.json").json()
    ok = spec["paths"]["/api/v1/reports/{name}"]["get"]["responses"]["200"]["content"]
    assert ok["application/json"]["schema"] == {"$ref": "#/components/schemas/Report"}
    assert "text/csv" in ok


runner = CliRunner()


def _cli(settings: Settings, *args: str) -> tuple[int, str]:
    env = {"NORMREG_DATA_DIR": str(settings.data_dir)}
    if settings.database_url:
        env["NORMREG_DATABASE_URL"] = settings.database_url
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout


def test_cli_clearing_sweep_and_report(client: TestClient, settings: Settings, tmp_path: Path) -> None:
    _setup(client)
    path = tmp_path / "list.csv"
    path.write_text(LIST, encoding="utf-8")
    code, out = _cli(settings, "clearing", "import", str(path), "--campaign", "c1", "--decided-on", "2026-01-15",
                     "--json")
    assert code == 0 and json.loads(out)["rows"][0]["match"] is not None
    code, out = _cli(settings, "clearing", "import", str(path), "--campaign", "c1", "--json")
    assert code == 1 and json.loads(out)["error"]["code"] == "conflict"
    code, out = _cli(settings, "clearing", "apply", "c1", "--json")
    assert code == 0 and json.loads(out)["applied"] == 1
    code, out = _cli(settings, "clearing", "apply", "c1", "--json")
    assert code == 0 and json.loads(out)["applied"] == 0
    code, out = _cli(settings, "clearing", "resolve", "c1", "--row", "1", "--json")
    assert code == 2
    code, out = _cli(settings, "clearing", "export", "c1", "--format", "csv", "--out", str(tmp_path / "o.csv"), "--json")
    assert code == 0 and json.loads(out)["lists"]["废止目录"] == 1
    code, out = _cli(settings, "clearing", "export", "c1", "--format", "doc", "--out", str(tmp_path / "o.doc"))
    assert code == 2
    code, out = _cli(settings, "clearing", "show", "nope", "--json")
    assert code == 1 and json.loads(out)["error"]["code"] == "not_found"
    code, out = _cli(settings, "sweep", "--today", "2026-11-26", "--json")
    assert code == 0 and set(json.loads(out)) >= {"expired", "ending_within_months", "provisional_over_limit"}
    code, out = _cli(settings, "report", "overdue-filings", "--format", "csv", "--today", "2026-11-26")
    assert code == 0 and out.splitlines()[0].startswith("id,title,") and len(out.splitlines()) == 2
    code, out = _cli(settings, "report", "scorecard", "--json")
    assert code == 0 and json.loads(out)["report"] == "scorecard"
    code, _ = _cli(settings, "report", "nope")
    assert code == 2


def test_staff_reports_page_draws_the_scorecard_without_script(client: TestClient) -> None:
    _setup(client)
    r = client.get("/staff/reports", headers={"Accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 401 and 'href="/staff/sign-in' in r.text
    staff.user(client.app.state.registry, "clerk.reports", role="clerk")  # type: ignore[attr-defined]
    assert staff.sign_in(client, "clerk.reports").status_code == 303
    r = client.get("/staff/reports")
    assert r.status_code == 200, r.text
    assert "<svg" in r.text and "示例市人民政府" in r.text and "<script" not in r.text.split("<main", 1)[-1]
