"""The workbench journey of issue 13, in Debian's chromium, by the names a clerk and a reviewer see.

A clerk of 示例市司法局 signs in (用户名, 密码, 登录), uploads a file (文件, 上传), corrects the title on the
review screen (标题 … 有效期至, 登记), publishes (统一登记号, 发布), records the filing (备案日期, 记录备案),
imports the clearing list that repeals it (清理活动名称, 清理结果清单, 导入) and signs out (退出). A reviewer
of the same office signs in and applies the campaign (应用). The API then says: the corrected title is
stored, the 统一登记号 follows the office's pattern, the filing event names the clerk, and the clearing
result changed the status with the campaign in the evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from registry.http.app import create_app
from registry.settings import Settings
from tests.registry.web.conftest import ARTIFACTS
from tests.support import staff
from tests.support.axe import assert_accessible
from tests.support.live_server import serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# What an office's file looks like: the title wraps onto a second line, the date is in Chinese numerals.
NOTICE = ("示例市司法局关于印发《示例市行政调解工作\n规程》的通知\n示司发〔2026〕7号\n\n"
          "第一条 为了规范行政调解工作，制定本规程。\n第二条 本规程自二〇二六年四月一日起施行，有效期五年。\n\n"
          "示例市司法局\n二〇二六年三月二日\n")
TITLE = "示例市司法局关于印发《示例市行政调解工作规程》的通知"
CAMPAIGN = "2026年示例市司法局规范性文件清理"


@pytest.fixture
def live(tmp_path: Path) -> Iterator[str]:
    app = create_app(Settings(data_dir=tmp_path / "data", rate_limit_per_minute=0))  # type: ignore[call-arg]
    reg = app.state.registry
    reg.init()
    staff.user(reg, "li.ming", role="clerk", display_name="李明")
    staff.user(reg, "zhao.lei", role="reviewer", display_name="赵磊")  # the same office: 示例市司法局
    with serve(app) as url:
        yield url


def _checked(page: Any, name: str) -> None:
    assert_accessible(page, ARTIFACTS / f"journey-{name}.png", name)


def test_a_clerk_and_a_reviewer_go_from_a_file_to_a_cleared_document(browser: Any, live: str,
                                                                    tmp_path: Path) -> None:
    notice = tmp_path / "行政调解工作规程.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(60000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    # the clerk
    page.goto(f"{live}/staff/sign-in")
    page.get_by_label("用户名").fill("li.ming")
    page.get_by_label("密码", exact=True).fill(staff.PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/staff$"))
    clerk_cookie = next(c for c in context.cookies() if c["name"] == "normreg_staff")["value"]

    page.goto(f"{live}/staff/intake")
    page.get_by_label("文件", exact=True).set_input_files(str(notice))
    page.get_by_role("button", name="上传", exact=True).click()
    page.get_by_role("link", name=re.compile("^核对：")).click()
    page.get_by_label("标题", exact=True).wait_for()
    _checked(page, "review")
    for label in ("文号", "发文机关", "成文日期", "发布日期", "施行日期", "有效期至"):
        assert page.get_by_label(label, exact=True).count() == 1, label
    assert page.get_by_label("文号", exact=True).input_value() == "示司发〔2026〕7号"
    page.get_by_label("标题", exact=True).fill(TITLE)  # the correction
    page.get_by_label("发布日期", exact=True).fill("2026-03-05")
    page.get_by_role("button", name="登记", exact=True).click()

    page.get_by_role("button", name="发布", exact=True).wait_for()
    assert page.get_by_text("统一登记号", exact=True).count() >= 1
    number = page.locator(".regno").inner_text().strip()
    doc_id = page.url.rsplit("/", 1)[-1]
    assert httpx.get(f"{live}/api/v1/documents/{doc_id}").status_code == 404  # unpublished: not public yet
    page.get_by_role("button", name="发布", exact=True).click()
    page.wait_for_load_state()

    page.goto(f"{live}/staff/documents/{doc_id}")
    _checked(page, "workspace")
    filing = page.locator("form", has=page.get_by_role("button", name="记录备案"))
    filing.get_by_label("备案日期").fill("2026-03-20")
    filing.get_by_label("备案机关").fill("示例市人民政府")
    filing.get_by_role("button", name="记录备案").click()
    page.wait_for_load_state()

    clearing_list = tmp_path / "清理结果.csv"
    clearing_list.write_text(f"序号,文件名称,文号,清理结果\n1,{TITLE},示司发〔2026〕7号,废止\n", encoding="utf-8")
    page.goto(f"{live}/staff/clearing/new")
    _checked(page, "clearing-new")
    page.get_by_label("清理活动名称").fill(CAMPAIGN)
    page.get_by_label("清理结果清单").set_input_files(str(clearing_list))
    page.get_by_role("button", name="导入").click()
    page.wait_for_url(re.compile(r"/staff/clearing/.+"))
    assert page.get_by_role("button", name="应用").count() == 0  # applying is a reviewer's decision
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(re.compile(r"/staff/sign-in"))
    replay = httpx.get(f"{live}/staff/inbox", cookies={"normreg_staff": clerk_cookie},
                       headers={"Accept": "text/html"})
    assert replay.status_code == 401  # the signed-out session is dead, even replayed

    # the reviewer of the same office
    staff.sign_in_page(page, live, "zhao.lei")
    page.goto(f"{live}/staff/clearing")
    page.get_by_role("link", name=CAMPAIGN).click()
    _checked(page, "campaign")
    page.get_by_role("button", name="应用").click()
    page.wait_for_load_state()
    _checked(page, "campaign-applied")
    assert errors == []
    context.close()

    # what the registry now says, through the API
    doc = httpx.get(f"{live}/api/v1/documents/{doc_id}").json()
    assert doc["title"] == TITLE
    assert re.fullmatch(r"SLSD03-2026-\d{4}", doc["registration_number"]) and doc["registration_number"] == number
    assert doc["doc_number"] == "示司发〔2026〕7号"
    events = httpx.get(f"{live}/api/v1/documents/{doc_id}/events").json()["items"]
    filed = [e for e in events if e["type"] == "filed"]
    assert len(filed) == 1 and filed[0]["actor"] == "li.ming" and filed[0]["date"] == "2026-03-20"
    cleared = [e for e in events if e["type"] == "cleared"]
    assert len(cleared) == 1 and cleared[0]["actor"] == "zhao.lei"
    answer = httpx.get(f"{live}/api/v1/validity", params={"ref": doc_id}).json()
    assert answer["status"] == "repealed"
    assert CAMPAIGN in str(answer["evidence"])
