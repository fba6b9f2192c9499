"""The basis watch in the pages: the public page's 依据 / 被依据 and its one under-review line, the inbox
section, and the staff task page where a reviewer records the decision (no JavaScript needed). One chromium
page load checks the public page with axe and leaves a screenshot in test-artifacts/web/."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from registry.http.app import create_app
from registry.models import Document
from tests.conftest import make_settings
from tests.registry.web.conftest import Watched
from tests.support import staff
from tests.support.axe import blocking, describe, run_axe
from tests.support.basis import AD_LAW_2021, PENALTY_2021, build_watched
from tests.support.live_server import serve

UNDER_REVIEW = "本文件的制定依据《中华人民共和国广告法》已发生变化，本文件正在审查中。"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("basis_web")
    settings = make_settings(tmp, rate_limit_per_minute=0, index_inline=False)
    data = build_watched(tmp, settings)
    reg = data["reg"]
    reviewer = staff.user(reg, "basis-reviewer", role="reviewer")
    clerk = staff.user(reg, "basis-clerk", role="clerk")
    office = next(o["id"] for o in reg.list_offices() if o["name"] == staff.JUSTICE[0])
    with reg.session() as s:  # the measures are this office's own document
        s.execute(update(Document).where(Document.id == data["measures"]).values(office_id=office))  # type: ignore[arg-type]
        s.commit()
    reg.close()
    app = create_app(settings)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield {**data, "app": app, "client": client, "reviewer": reviewer, "clerk": clerk}


def test_public_page_says_in_one_line_that_the_basis_changed_and_links_both_ways(site: dict[str, Any]) -> None:
    client = site["client"]
    html = client.get(f"/documents/{site['measures']}").text
    assert html.count(UNDER_REVIEW) == 1
    assert f'href="/documents/{AD_LAW_2021}"' in html and f'href="/documents/{PENALTY_2021}"' in html
    assert f'href="/documents/{AD_LAW_2021}#%E7%AC%AC%E5%8D%81%E4%BA%8C%E6%9D%A1"' in html  # 第十二条
    law = client.get(f"/documents/{PENALTY_2021}").text
    assert f'href="/documents/{site["measures"]}"' in law and f'href="/documents/{site["other"]}"' in law
    assert "under review" in client.get(f"/documents/{site['measures']}?lang=en").text
    assert UNDER_REVIEW not in client.get(f"/documents/{site['other']}").text


def test_public_page_passes_axe_in_chromium(site: dict[str, Any], page: Watched) -> None:
    with serve(site["app"]) as url:
        page.page.goto(f"{url}/documents/{site['measures']}")
        assert page.page.get_by_role("note").inner_text().strip() == UNDER_REVIEW
        violations = blocking(run_axe(page.page))
        page.shot("basis-document")
    assert violations == [], describe(violations)


def test_reviewer_resolves_the_task_from_the_inbox(site: dict[str, Any]) -> None:
    with TestClient(site["app"], raise_server_exceptions=False) as client:
        assert staff.sign_in(client, site["clerk"]).status_code == 303
        task_link = _task_link(client.get("/staff/inbox").text)
        clerk_view = client.get(task_link).text
        assert "审查结论须由审核人员作出" in clerk_view and 'name="decision"' not in clerk_view
    with TestClient(site["app"], raise_server_exceptions=False) as client:
        assert staff.sign_in(client, site["reviewer"]).status_code == 303
        form = client.get(task_link)
        assert '<label for="note">' in form.text and "《中华人民共和国广告法》" in form.text
        csrf = staff.form_csrf(form.text)
        bad = client.post(task_link, data={"csrf": csrf, "decision": "=HYPERLINK(1)"}, follow_redirects=False)
        assert bad.status_code == 422 and "审查结论须为" in bad.text
        done = client.post(task_link, data={"csrf": csrf, "decision": "继续有效", "note": "依据变化不影响本办法"},
                           follow_redirects=False)
        assert done.status_code == 303
        page = client.get(done.headers["location"]).text
        assert "已记录审查结论：继续有效" in page and "#event-" in page
        assert 'id="sec-basis"' in client.get("/staff/inbox").text
        assert task_link not in client.get("/staff/inbox").text
    assert UNDER_REVIEW not in site["client"].get(f"/documents/{site['measures']}").text


def _task_link(inbox: str) -> str:
    start = inbox.index('id="sec-basis"')
    at = inbox.index('href="/staff/tasks/', start) + len('href="')
    return inbox[at:inbox.index('"', at)]
