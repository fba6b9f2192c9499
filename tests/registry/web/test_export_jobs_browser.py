"""A large export from the search page in Debian's chromium: the CSV link lands on 导出文件准备中 with its
progress, the page updates itself once the job is done and offers the file, which downloads; axe-core on
each state; screenshots in test-artifacts/web/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from registry.facade import Registry
from registry.http.app import create_app
from registry.models import DocumentCreate
from registry.settings import Settings
from tests.registry.web.conftest import ARTIFACTS
from tests.support.axe import assert_accessible
from tests.support.live_server import serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Registry]]:
    data = tmp_path_factory.mktemp("exports_web") / "data"
    # jobs are left to "a worker" (the test) so the page is seen while the export is still queued
    app = create_app(Settings(data_dir=data, rate_limit_per_minute=0, export_stream_max_rows=3,  # type: ignore[call-arg]
                              export_jobs_inline=False, deliver_inline=False))
    reg = app.state.registry
    reg.init()
    for i in range(8):
        reg.create_document(DocumentCreate(title=f"示例市公园绿地管理办法{i}", publication_date=date(2026, 3, 1 + i)))
    with serve(app) as url:
        yield url, reg


@pytest.fixture(scope="module")
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True)
    context.set_default_timeout(60000)
    p = context.new_page()
    yield p
    context.close()


def _check(page: Any, name: str) -> None:
    assert_accessible(page, ARTIFACTS / f"{name}.png", name)


def test_a_large_export_link_shows_progress_then_the_download(page: Any, live: tuple[str, Registry]) -> None:
    url, reg = live
    page.goto(f"{url}/?q=绿地")
    page.get_by_role("link", name="CSV", exact=True).click()
    page.wait_for_url(re.compile(r"/exports/[A-Za-z0-9_-]{40,}$"))
    assert page.get_by_role("heading", level=1).inner_text() == "导出文件准备中"
    assert "排队中" in page.get_by_role("status").inner_text()
    assert page.get_by_label("进度").count() == 1
    _check(page, "export-job-queued")

    assert reg.run_export_jobs()["done"] == 1  # the worker's pass; the page notices by itself
    page.get_by_role("heading", name="导出文件已准备好").wait_for(timeout=20000)
    assert "已处理 8 / 8 件" in page.get_by_role("status").inner_text()
    _check(page, "export-job-done")
    with page.expect_download() as got:
        page.get_by_role("link", name="下载 CSV 文件").click()
    content = Path(got.value.path()).read_text(encoding="utf-8-sig")
    assert content.count("示例市公园绿地管理办法") == 8


def test_the_job_page_in_english(page: Any, live: tuple[str, Registry]) -> None:
    url, reg = live
    job = reg.request_export(fmt="json", q="绿地")
    page.goto(f"{url}{job.page_url}?lang=en")
    assert page.get_by_role("heading", level=1).inner_text() == "Preparing your export"
    assert page.get_by_role("link", name="Refresh progress").count() == 1
    _check(page, "export-job-queued-en")
