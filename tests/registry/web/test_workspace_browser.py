"""The workspace and the inbox in Debian's chromium, by the names a clerk and a reviewer see: the clerk
records a filing (备案日期, 记录备案) and proposes a repeal, the reviewer confirms it from the inbox.
Screenshots at 1280 and 390 px go to ``test-artifacts/web/workspace/``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from registry.http.app import create_app
from registry.settings import Settings
from tests.registry.web.conftest import ARTIFACTS, Watched
from tests.support import staff
from tests.support.live_server import serve
from tests.support.workspace import actor, office_doc

SHOTS = ARTIFACTS / "workspace"


@dataclass
class Desk:
    url: str
    doc_id: str
    today_iso: str
    registry: Any


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("desk") / "data", rate_limit_per_minute=0))  # type: ignore[call-arg]
    reg = app.state.registry
    reg.init()
    clerk = actor(reg, "li.ming", role="clerk")
    actor(reg, "zhao.lei", role="reviewer", office=staff.CITY[0])
    today = reg.today()
    doc = office_doc(reg, clerk, "示例市行政执法公示办法", published=today - timedelta(days=35),
                     doc_number="示司发〔2026〕4号", expiry_date=today + timedelta(days=40))
    with serve(app) as url:
        yield Desk(url=url, doc_id=doc, today_iso=today.isoformat(), registry=reg)


def _shots(page: Watched, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.page.set_viewport_size({"width": width, "height": 900})
        page.page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.page.set_viewport_size({"width": 1280, "height": 900})


def _no_overflow(page: Watched) -> None:
    page.page.set_viewport_size({"width": 390, "height": 900})
    wide = page.page.evaluate("document.documentElement.scrollWidth")
    page.page.set_viewport_size({"width": 1280, "height": 900})
    assert wide <= 400, f"the page is {wide}px wide at 390px"


def test_a_clerk_files_and_proposes_a_reviewer_confirms(desk: Desk, page: Watched) -> None:
    pg = page.page
    staff.sign_in_page(pg, desk.url, "li.ming")
    pg.get_by_role("link", name=re.compile("待办")).first.click()
    pg.wait_for_url(re.compile(r"/staff/inbox"))
    assert pg.get_by_text("已逾期 5 天").count() >= 1
    _shots(page, "inbox-clerk")
    pg.get_by_role("link", name=re.compile("记录备案")).first.click()
    pg.wait_for_url(re.compile(rf"/staff/documents/{desk.doc_id}"))
    assert pg.get_by_text("统一登记号").count() >= 1
    pg.get_by_label("备案日期").fill(desk.today_iso)
    pg.get_by_label("备案机关").fill("示例市人民政府")
    pg.get_by_role("button", name="记录备案").click()
    pg.wait_for_url(re.compile(r"done=filing"))
    assert pg.locator("#timeline").get_by_text("备案机关：示例市人民政府").count() == 1
    pg.get_by_label("变更类型").select_option("repealed")
    pg.get_by_label("生效日期").fill(desk.today_iso)
    pg.get_by_label("说明（可选）").fill("已被新办法替代")
    pg.get_by_role("button", name="提交审核").click()
    pg.wait_for_url(re.compile(r"done=proposals"))
    assert pg.locator("#proposals").get_by_text("待审核").count() >= 1
    _no_overflow(page)
    _shots(page, "workspace-clerk")
    pg.get_by_role("button", name="退出").click()
    pg.wait_for_url(re.compile(r"/staff/sign-in"))

    staff.sign_in_page(pg, desk.url, "zhao.lei")
    pg.goto(f"{desk.url}/staff/inbox")
    _shots(page, "inbox-reviewer")
    pg.get_by_role("link", name=re.compile(r"^审核.*示例市行政执法公示办法")).click()
    pg.get_by_role("button", name="确认").click()
    pg.wait_for_url(re.compile(r"done=proposals"))
    assert pg.locator("#timeline").get_by_text("确认人：zhao.lei名").count() == 1
    _shots(page, "workspace-reviewer")
    pg.get_by_role("link", name=re.compile("审计记录")).click()
    assert pg.get_by_role("cell", name="确认提议").count() == 1
    _shots(page, "audit")
    page.assert_not_pwned()
    assert page.errors == []
    events = desk.registry.list_events(desk.doc_id)[1]
    filed = [e for e in events if e.type == "filed"]
    repealed = [e for e in events if e.type == "repealed"]
    assert [e.actor for e in filed] == ["li.ming"]
    assert [(e.actor, e.payload["proposed_by"]) for e in repealed] == [("zhao.lei", "li.ming")]
    assert desk.registry.check(desk.doc_id)["status"] == "repealed"


def test_the_list_and_english_pages_at_phone_width(desk: Desk, page: Watched) -> None:
    pg = page.page
    staff.sign_in_page(pg, desk.url, "li.ming")
    pg.goto(f"{desk.url}/staff/documents")
    pg.get_by_label("标题、文号或登记号").fill("执法公示")
    pg.get_by_role("button", name="筛选").click()
    assert pg.get_by_role("link", name="示例市行政执法公示办法").count() == 1
    _no_overflow(page)
    _shots(page, "documents")
    pg.goto(f"{desk.url}/staff/documents/{desk.doc_id}?lang=en")
    assert pg.get_by_role("button", name="Record filing").count() == 1
    _shots(page, "workspace-en")
    assert Path(SHOTS / "documents-390.png").is_file()
