"""The account and admin pages in Debian's chromium, driven by the accessible names a clerk sees, with
screenshots at 1280 and 390 px and axe-core (when ``npm install`` has put it in ``node_modules``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from registry.http.app import create_app
from registry.settings import Settings
from tests.registry.web.conftest import ARTIFACTS, Watched
from tests.support import staff
from tests.support.axe import blocking, describe, run_axe
from tests.support.live_server import serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def office_site(tmp_path: Path) -> Iterator[str]:
    """A fresh registry with the office tree, an admin at the city and a clerk at the justice bureau."""
    app = create_app(Settings(data_dir=tmp_path / "data", rate_limit_per_minute=0))  # type: ignore[call-arg]
    reg = app.state.registry
    reg.init()
    staff.user(reg, "root", role="admin", office=staff.CITY[0], display_name="管理员")
    staff.user(reg, "li.ming", role="clerk", display_name="李明")
    with serve(app) as url:
        yield url


def _check(page: Watched, name: str) -> None:
    """Screenshots at 1280 and 390 px, nothing wider than the phone, and no serious axe violation."""
    pg = page.page
    for width in (1280, 390):
        pg.set_viewport_size({"width": width, "height": 900})
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{name} scrolls sideways at 390 px by {overflow}px"
    pg.set_viewport_size({"width": 1280, "height": 900})
    bad = blocking(run_axe(pg))
    assert bad == [], f"{name}:\n{describe(bad)}"


def test_a_clerk_changes_the_password_makes_a_token_and_signs_out(office_site: str, page: Watched) -> None:
    pg = page.page
    staff.sign_in_page(pg, office_site, "li.ming")
    pg.get_by_role("link", name=re.compile("李明")).click()
    pg.wait_for_url(re.compile(r"/staff/account$"))
    assert pg.get_by_role("heading", name="我的账号").is_visible()
    assert pg.get_by_text("当前浏览器").is_visible()
    _check(page, "staff-account")
    pg.get_by_label("当前密码").fill(staff.PASSWORD)
    pg.get_by_label("新密码", exact=True).fill("another-horse-43")
    pg.get_by_label("再次输入新密码").fill("another-horse-43")
    pg.get_by_role("button", name="修改密码").click()
    assert pg.get_by_role("status").inner_text().startswith("密码已修改")
    pg.get_by_label("令牌名称").fill("nightly")
    pg.get_by_role("button", name="创建令牌").click()
    assert re.search(r"nr_[A-Za-z0-9_-]{20,}", pg.locator("code.secret").inner_text())
    _check(page, "staff-account-token")
    pg.get_by_role("button", name="退出").click()
    pg.wait_for_url(re.compile(r"/staff/sign-in$"))
    staff.sign_in_page(pg, office_site, "li.ming", password="another-horse-43")
    assert page.errors == [] and page.csp_violations == []


def test_an_admin_adds_an_office_and_a_user_and_deactivates_the_clerk(office_site: str, page: Watched) -> None:
    pg = page.page
    staff.sign_in_page(pg, office_site, "root")
    pg.get_by_role("link", name="机关与用户").click()
    pg.wait_for_url(re.compile(r"/staff/admin$"))
    _check(page, "staff-admin")
    pg.get_by_label("机关名称").fill("示例市审计局")
    pg.get_by_label("简称代码").fill("SJ07")
    pg.get_by_label("上级机关").select_option(staff.CITY[0])
    pg.get_by_label("统一登记号格式").fill("{region}{code}-{year}-{seq:04}")
    pg.get_by_role("button", name="添加机关").click()
    assert pg.get_by_role("status").inner_text() == "机关已添加。"
    add_user = pg.get_by_role("form", name="添加用户")
    add_user.get_by_label("用户名").fill("wang.fang")
    add_user.get_by_label("姓名").fill("王芳")
    add_user.get_by_label("所在机关").select_option("示例市审计局")
    add_user.get_by_label("初始密码").fill("initial-pass-77")
    add_user.get_by_role("button", name="添加用户").click()
    assert pg.get_by_role("status").inner_text() == "用户已添加。"
    assert pg.get_by_role("cell", name="王芳").is_visible()
    pg.get_by_role("button", name=re.compile(r"^停用 li\.ming")).click()
    assert "撤销 0 个令牌" in pg.get_by_role("status").inner_text()
    _check(page, "staff-admin-after")
    assert page.errors == [] and page.csp_violations == []
