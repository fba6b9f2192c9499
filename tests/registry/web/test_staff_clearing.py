"""The clearing review page: staff see a campaign's rows, a reviewer resolves a row through the form (with
its CSRF token), and a clerk or a forged form cannot."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from registry.models import DocumentCreate
from registry.services.clearing import campaigns as clearing
from registry.services.documents import create_document
from tests.support import staff

LIST = """序号,文件名称,文号,制定机关,清理结果
1,示例市公共租赁住房管理办法,示政发[2023]4号,示例市人民政府,继续有效
2,示例市地下管线管理暂行规定,,示例市人民政府,宣布失效
"""


def _setup(client: TestClient, tmp_path: Path) -> tuple[str, str, str]:
    reg = client.app.state.registry  # type: ignore[attr-defined]
    with reg.session() as s:
        doc = create_document(s, data=DocumentCreate(
            title="示例市人民政府关于印发示例市公共租赁住房管理办法的通知", doc_number="示政发〔2023〕4号",
            issuer="示例市人民政府", publication_date=date(2023, 6, 6), effective_date=date(2023, 7, 1)),
            today=date.today())
        path = tmp_path / "list.csv"
        path.write_text(LIST, encoding="utf-8")
        clearing.import_campaign(s, path=path, name="2025清理", decided_on=date(2025, 6, 1), actor="t")
    reviewer = staff.user(reg, "reviewer.page", role="reviewer", office=staff.CITY[0])
    clerk = staff.user(reg, "clerk.page", role="clerk")
    return doc.id, reviewer, clerk


def test_reviewer_resolves_a_row_through_the_page(client: TestClient, tmp_path: Path) -> None:
    _, reviewer, _ = _setup(client, tmp_path)
    assert client.get("/staff/clearing", follow_redirects=False).status_code == 401
    assert staff.sign_in(client, reviewer).status_code == 303
    listing = client.get("/staff/clearing")
    assert listing.status_code == 200 and "2025清理" in listing.text
    page = client.get("/staff/clearing/2025清理")
    assert page.status_code == 200
    assert "示例市地下管线管理暂行规定" in page.text and 'class="needs-review"' in page.text
    forged = client.post("/staff/clearing/2025清理/rows/2", data={"csrf": "0" * 64, "choice": "none"},
                         follow_redirects=False)
    assert forged.status_code == 403
    done = client.post("/staff/clearing/2025清理/rows/2", data={"csrf": staff.form_csrf(page.text), "choice": "none"},
                       follow_redirects=False)
    assert done.status_code == 303
    rows = {r["row"]: r for r in client.get("/api/v1/clearing/campaigns/2025清理").json()["rows"]}
    assert rows[2]["state"] == "none" and not rows[2]["needs_review"]


def test_a_clerk_sees_the_rows_but_cannot_resolve(client: TestClient, tmp_path: Path) -> None:
    doc_id, _, clerk = _setup(client, tmp_path)
    assert staff.sign_in(client, clerk).status_code == 303
    page = client.get("/staff/clearing/2025清理")
    assert page.status_code == 200 and "<form method=\"post\" action=\"/staff/clearing" not in page.text
    r = client.post("/staff/clearing/2025清理/rows/2", data={"csrf": "0" * 64, "ref": doc_id}, follow_redirects=False)
    assert r.status_code == 403
