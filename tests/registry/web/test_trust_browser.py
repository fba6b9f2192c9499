"""In chromium: the ``<normreg-status>`` badge on a page of another origin shows the live status and follows a
change without a reload, and a verification's result passes axe (the GET pages are walked by test_staff_a11y)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date
from functools import partial
from http.server import ThreadingHTTPServer
from typing import Any

import pytest

from registry.http.app import create_app
from registry.models import DocumentCreate, EventCreate
from tests.conftest import make_settings
from tests.registry.web.conftest import Watched, _QuietHandler
from tests.support.axe import blocking, describe, run_axe
from tests.support.live_server import serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def trust_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A live registry with a document and its successor, and a government site on another origin that
    embeds the badge (script element and image) the documented way."""
    app = create_app(make_settings(tmp_path_factory.mktemp("trust-browser"), rate_limit_per_minute=0))
    reg = app.state.registry
    reg.init()
    old = reg.create_document(DocumentCreate(title="示例市养犬管理暂行规定", doc_number="示政发〔2018〕4号",
                                             issuer="示例市人民政府", publication_date=date(2018, 4, 1),
                                             effective_date=date(2018, 5, 1)))
    new = reg.create_document(DocumentCreate(title="示例市养犬管理规定", doc_number="示政发〔2024〕9号",
                                             issuer="示例市人民政府", publication_date=date(2024, 6, 1),
                                             effective_date=date(2024, 7, 1)))
    with serve(app) as url:
        root = tmp_path_factory.mktemp("copy-site")
        (root / "index.html").write_text(f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>示例区政务网 · 政策转载</title></head><body><h1>转载：示例市养犬管理暂行规定</h1>
<script src="{url}/badge.js" defer></script>
<p>本文现行状态：<normreg-status id="live" ref="示政发〔2018〕4号" refresh="2"></normreg-status></p>
<p>图片徽章：<img id="img" src="{url}/badge/{old['id']}.svg" alt="时效性"></p>
<p>正文……</p></body></html>""", encoding="utf-8")
        other = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(root)))
        threading.Thread(target=other.serve_forever, daemon=True).start()
        try:
            yield {"url": url, "other": f"http://localhost:{other.server_address[1]}", "reg": reg,
                   "old": old["id"], "new": new["id"]}
        finally:
            other.shutdown()
    reg.close()


def test_the_badge_on_another_origin_shows_the_live_status_and_follows_a_repeal(
        trust_site: dict[str, Any], page: Watched) -> None:
    pg = page.page
    pg.goto(f"{trust_site['other']}/index.html")
    badge = pg.locator("#live a")
    badge.wait_for()
    assert badge.get_attribute("data-status") == "in_force"
    assert badge.inner_text().strip() == "有效"
    assert badge.get_attribute("href") == f"{trust_site['url']}/documents/{trust_site['old']}"
    assert pg.evaluate("document.getElementById('img').naturalWidth") > 0
    page.shot("trust-badge-before")

    trust_site["reg"].record_event(trust_site["old"], EventCreate(
        type="repealed", date=date.today(), payload={"successor": trust_site["new"]}))
    pg.locator('#live a[data-status="repealed"]').wait_for(timeout=15000)  # refresh="2": no reload
    text = pg.locator("#live a").inner_text()
    assert "已废止" in text and "见《示例市养犬管理规定》" in text
    page.shot("trust-badge-after")
    assert page.errors == [] and page.csp_violations == []


def test_the_verification_result_passes_axe(trust_site: dict[str, Any], page: Watched) -> None:
    """Every GET page (statement, verify form, 审查建议 form, document and check pages, the staff reply page) is
    walked by tests/registry/web/test_staff_a11y.py at two widths; the result of a verification is a POST's
    answer, so it is checked here."""
    pg, url, reg = page.page, trust_site["url"], trust_site["reg"]
    stmt = reg.issue_statement(trust_site["new"])
    pg.goto(f"{url}/statements/verify")
    pg.get_by_label("粘贴凭证（JSON）").fill(json.dumps(stmt, ensure_ascii=False))
    pg.get_by_role("button", name="核验").click()
    pg.get_by_text("真实：由本库签发，内容未被改动").wait_for()
    bad = blocking(run_axe(pg))
    page.shot("trust-verify")
    assert not bad, describe(bad)
    assert page.errors == [] and page.csp_violations == []
