"""A live normreg with real State Council pages and a hostile document, a second origin, and chromium.

Browser tests skip (with the reason) when Debian's chromium or the Playwright package is missing.
Screenshots go to ``test-artifacts/web/`` so a person can look at them.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from registry.http.app import create_app
from registry.models import DocumentCreate, EventCreate
from registry.services.documents import create_document
from registry.services.events import record_event
from registry.services.ingestion import ingest_paths
from registry.settings import Settings
from tests.registry.api.conftest import tokens  # noqa: F401 - the same role tokens for page tests
from tests.support import staff
from tests.support.corpus import corpus_path
from tests.support.live_server import serve

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "web"
EVIL = '<img src=x onerror="window.__pwned=1">'
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]


@dataclass
class Site:
    url: str
    other_origin: str
    evil_id: str
    truth: list[dict[str, Any]]
    staff_user: str
    ids_by_number: dict[str, str] = field(default_factory=dict)
    law_id: str = ""


def _host_page(api: str) -> str:
    """A government site on another origin that embeds the widget the documented way; the first widget
    has no ``api`` attribute, so it must call the origin its script came from."""
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>示例市人民政府门户网站</title>
<style>body{{font-family:sans-serif;margin:2rem;max-width:48rem}} header{{background:#c00;color:#fff;padding:1rem}}</style>
</head><body><header>示例市人民政府 · 政策文件库</header>
<p>在本站检索国务院及本市规范性文件：</p>
<script src="{api}/widget.js" defer></script>
<normreg-search id="w" query="国务院" placeholder="搜索规范性文件"></normreg-search>
<h2>注入测试</h2>
<normreg-search id="evil" api="{api}" query="onerror"></normreg-search>
</body></html>"""


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    govcn = corpus_path("govcn")
    truth = [json.loads(line) for line in (govcn / "truth.jsonl").read_text(encoding="utf-8").splitlines() if line]
    data = tmp_path_factory.mktemp("web") / "data"
    app = create_app(Settings(data_dir=data, rate_limit_per_minute=0))  # type: ignore[call-arg]
    reg = app.state.registry
    reg.init()
    law = corpus_path("laws", "docs", "189021012184442fa2ecd6b4c26dcba0.md")  # 法治宣传教育法, with articles
    files = [govcn / Path(t["file"]).name for t in truth[:12]] + [law]
    with reg.session() as session:
        report = ingest_paths(session, paths=files, catalog_path=None, store=reg.files,
                              as_of=date.today(), today=date.today(), jobs=1)
        evil = create_document(session, data=DocumentCreate(
            title=EVIL, doc_number="国发〔2099〕1号", issuer=f"国务院{EVIL}", publication_date=date(2020, 1, 1),
            effective_date=date(2020, 1, 1),
            text=f"第一条 国务院 onerror 测试 {EVIL} <script>window.__pwned=1</script>\n第二条 其他。"), today=date.today())
        record_event(session, document_id=evil.id, actor=f"clerk{EVIL}", today=date.today(), data=EventCreate(
            type="note", text=f"备注 {EVIL}", evidence={"link": "javascript:window.__pwned=1", "x": EVIL}))
        old = create_document(session, data=DocumentCreate(
            title="示例市规范性文件管理暂行办法", doc_number="示政发〔2019〕8号", issuer="示例市人民政府",
            publication_date=date(2019, 2, 1), effective_date=date(2019, 3, 1)), today=date.today())
        new = create_document(session, data=DocumentCreate(
            title="示例市规范性文件管理办法", doc_number="示政发〔2022〕2号", issuer="示例市人民政府",
            publication_date=date(2022, 2, 1), effective_date=date(2022, 3, 1)), today=date.today())
        record_event(session, document_id=old.id, actor="clerk-li", today=date.today(), data=EventCreate(
            type="repealed", date=date(2022, 3, 1), legal_basis="示政发〔2022〕2号第三十条",
            payload={"successor": new.id}))
    staff_user = staff.user(reg, "li.ming", role="clerk", display_name="李明")
    assert report.added >= 10, report.failed
    ids = {d["path"]: d["id"] for d in report.documents}
    by_number = {t["doc_number"]: ids[str(govcn / Path(t["file"]).name)] for t in truth[:12]
                 if t.get("doc_number") and str(govcn / Path(t["file"]).name) in ids}
    with serve(app) as url:
        page = _host_page(url).encode()
        root = tmp_path_factory.mktemp("gov-site")
        (root / "index.html").write_bytes(page)
        handler = partial(_QuietHandler, directory=str(root))
        other = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=other.serve_forever, daemon=True).start()
        try:
            # "localhost" vs "127.0.0.1" and another port: a different origin in every respect
            yield Site(url=url, other_origin=f"http://localhost:{other.server_address[1]}", evil_id=evil.id,
                       truth=truth[:12], staff_user=staff_user, ids_by_number=by_number, law_id=ids[str(law)])
        finally:
            other.shutdown()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: browser tests need Debian's chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright Python package is not installed (pip install -e '.[dev]')")
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_ARGS)
        yield b
        b.close()


@dataclass
class Watched:
    page: Any
    dialogs: list[str]
    csp_violations: list[str]
    errors: list[str]

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def assert_not_pwned(self) -> None:
        assert self.page.evaluate("typeof window.__pwned") == "undefined"
        assert self.dialogs == []


@pytest.fixture
def page(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    w = Watched(pg, [], [], [])
    pg.on("dialog", lambda d: (w.dialogs.append(d.message), d.dismiss()))
    pg.on("console", lambda m: w.csp_violations.append(m.text) if "Content Security Policy" in m.text else None)
    pg.on("pageerror", lambda e: w.errors.append(str(e)))
    yield w
    context.close()
