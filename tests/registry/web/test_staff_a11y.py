"""Accessibility and narrow screens: every GET page the app defines under ``/staff``, for a clerk, a
reviewer and an admin, and the public pages, at 1280 and 390 px wide, in Debian's chromium with axe-core.

The pages are read off ``app.routes`` and their path parameters filled from real data, so a page added
later is checked without touching this file (a parameter this file cannot fill fails the test with its
name). A page passes with no serious or critical axe violation and, at 390 px, no sideways scrolling.
Each page is kept as a full-page screenshot under ``test-artifacts/web/staff/{page}-{width}.png`` and the
axe figures per page go to ``test-artifacts/web/staff/axe-figures.txt``.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from registry.http.app import create_app
from registry.models import DocumentCreate, EventCreate, Relation
from registry.services.documents import create_document
from registry.services.events import record_event
from registry.settings import Settings
from tests.registry.web.conftest import ARTIFACTS
from tests.support import staff
from tests.support.axe import (
    axe_source,
    blocking,
    describe,
    horizontal_overflow,
    overflowing_elements,
    run_axe,
)
from tests.support.live_server import serve

SHOTS = ARTIFACTS / "staff"
WIDTHS = (1280, 390)
CAMPAIGN = "2025年规范性文件清理"
USERS = {"clerk": ("a11y.clerk", staff.JUSTICE[0]), "reviewer": ("a11y.reviewer", staff.CITY[0]),
         "admin": ("a11y.admin", staff.CITY[0])}
LIST = """序号,文件名称,文号,制定机关,清理结果,备注
1,示例市公共租赁住房管理办法,示政发〔2023〕4号,示例市人民政府,继续有效,
2,示例市户外广告设置管理办法,示政发〔2017〕21号,示例市人民政府,修改,部分条款与上位法不一致
3,示例市城市地下管网管理暂行规定,,示例市人民政府,宣布失效,阶段性政策已到期
4,示例市不存在的办法,示政发〔2010〕99号,示例市人民政府,废止,
"""
PUBLIC_QUERIES = ("/?q=示例市", "/?q=住房&status=in_force", "/check?ref=示政发〔2023〕4号", "/?lang=en")


@dataclass
class Bench:
    url: str
    app: FastAPI
    params: dict[str, str]


def all_routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, set[str], Any]]:
    """(path, methods, endpoint) of every route, through included routers however FastAPI nests them."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = getattr(route, "include_context", None)
            yield from all_routes(list(inner.routes), prefix + (getattr(context, "prefix", "") or ""))
        elif hasattr(route, "routes") and not hasattr(route, "methods"):
            yield from all_routes(list(route.routes), prefix + getattr(route, "path", ""))
        elif getattr(route, "methods", None):
            yield prefix + route.path, set(route.methods), getattr(route, "endpoint", None)


def fill(path: str, params: dict[str, str]) -> str:
    """``path`` with each ``{param}`` replaced from ``params``; a KeyError names one this file cannot fill."""
    def value(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[0]
        if name not in params:
            raise KeyError(f"no value for path parameter {name!r} of {path}: add one to the params in {__file__}")
        return params[name]
    return re.sub(r"\{([^}]+)\}", value, path)


def get_pages(app: FastAPI, *, staff_area: bool) -> list[str]:
    """The GET routes of the web pages (``registry.web``), under /staff or outside it, sorted."""
    found = set()
    for path, methods, endpoint in all_routes(list(app.routes)):
        if "GET" not in methods or not getattr(endpoint, "__module__", "").startswith("registry.web"):
            continue
        if path.startswith("/staff") == staff_area:
            found.add(path)
    return sorted(found)


def slug(path: str) -> str:
    return re.sub(r"[^\w.-]+", "_", path.replace("{", "").replace("}", "")).strip("_") or "home"


INTAKE_TEXT = ("示例市司法局关于印发示例市行政执法公示办法的通知\n示司发〔2026〕3号\n\n"
               "第一条 为了规范行政执法公示，制定本办法。\n第二条 本办法自2026年4月1日起施行。\n")


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bench]:
    data = tmp_path_factory.mktemp("a11y") / "data"
    app = create_app(Settings(data_dir=data, rate_limit_per_minute=0))  # type: ignore[call-arg]
    reg = app.state.registry
    reg.init()
    staff.offices(reg)
    for role, (username, office) in USERS.items():
        staff.user(reg, username, role=role, office=office, display_name={"clerk": "李明", "reviewer": "王芳",
                                                                             "admin": "张伟"}[role])
    offices = {o["name"]: o["id"] for o in reg.list_offices()}
    today = date.today()
    with reg.session() as s:
        ids = []
        for title, number, pub, office in (
                ("示例市人民政府关于印发示例市公共租赁住房管理办法的通知", "示政发〔2023〕4号", date(2023, 6, 6), staff.JUSTICE[0]),
                ("示例市人民政府关于印发示例市户外广告设置管理办法的通知", "示政发〔2017〕21号", date(2017, 11, 24),
                 staff.JUSTICE[0]),
                ("示例市地下管线管理暂行规定", "示政发〔2018〕7号", date(2018, 3, 1), staff.TRANSPORT[0]),
                ("示例市交通运输局关于网络预约出租汽车经营服务管理的实施细则", "示交规〔2025〕2号", date(2025, 9, 1),
                 staff.TRANSPORT[0])):
            doc = create_document(s, data=DocumentCreate(
                title=title, doc_number=number, issuer=office, publication_date=pub,
                effective_date=pub, category="行政规范性文件",
                text="第一条 为了规范管理，制定本办法。\n第二条 本办法自发布之日起施行。"), today=today,
                office_id=offices[office])
            ids.append(doc.id)
        record_event(s, document_id=ids[0], actor="a11y.clerk", today=today, data=EventCreate(
            type="filed", date=date(2023, 6, 20), payload={"with": "示例省人民政府"}))
    path = data.parent / "list.csv"
    path.write_text(LIST, encoding="utf-8")
    reg.import_campaign(path, name=CAMPAIGN, decided_on=date(2025, 3, 20), actor="a11y.clerk")
    reg.resolve_clearing_row(CAMPAIGN, 3, ref=ids[2], actor="a11y.reviewer")
    with reg.session() as s:  # the second document is based on the third: clearing the third opens a review task
        s.add(Relation(source_id=ids[1], target_id=ids[2], kind="based_on", state="confirmed",
                       target_title="示例市城市地下管网管理暂行规定", quote="根据《示例市城市地下管网管理暂行规定》第三条"))
        s.commit()
    reg.apply_campaign(CAMPAIGN, actor="a11y.reviewer")
    clerk, _ = reg.sign_in(USERS["clerk"][0], staff.PASSWORD)
    item = reg.upload_intake([("行政执法公示办法.txt", io.BytesIO(INTAKE_TEXT.encode()))], actor=clerk)[0]
    params = {"item_id": str(item["id"]), "page": "1", "name": CAMPAIGN, "campaign": CAMPAIGN, "document_id": ids[0], "id": ids[0], "doc_id": ids[0],
              "ref": ids[0], "row": "1", "username": USERS["clerk"][0], "user": USERS["clerk"][0],
              "office_id": str(offices[staff.JUSTICE[0]]), "office": str(offices[staff.JUSTICE[0]]),
              "report": "scorecard", "fmt": "xlsx", "format": "xlsx", "measure": "filing_overdue",
              "group": next(g["group"] for g in reg.scorecard_groups() if g["issuer"] == staff.JUSTICE[0])}
    params.update(_trust_params(reg, ids[0]))
    [task] = reg.list_tasks(document_id=ids[1])
    params.update(task_id=str(task.id), follow_id=str(reg.follow(document=ids[0])["id"]),
                  sub_id="0" * 32)  # the confirm and unsubscribe pages only show their one button
    params.update(job_id=reg.request_export(fmt="csv").id)  # the export job page (queued: the progress state)
    with serve(app) as url:
        yield Bench(url, app, params)


def _trust_params(reg: Any, doc_id: str) -> dict[str, str]:
    """A signed statement and a 审查建议 (its form token dated a minute back, past the minimum fill time)."""
    from registry.models import SuggestionCreate
    from registry.services import suggestions

    token = suggestions.form_token(suggestions.form_key(reg.signing_key), doc_id, time.time() - 60)
    receipt = reg.submit_suggestion(doc_id, SuggestionCreate(name="王芳", contact="wang@example.com",
                                                             text="第二条与上位法不一致，建议审查。"),
                                    token=token, client="192.0.2.10")
    return {"statement_id": reg.issue_statement(doc_id)["id"], "suggestion_id": str(receipt["id"])}


def _check_pages(page: Any, base: str, paths: list[str], who: str) -> tuple[list[str], list[str]]:
    """Visit each page at each width; returns (failures, one line of axe figures per page and width)."""
    failures: list[str] = []
    figures: list[str] = []
    for path in paths:
        head = page.context.request.get(base + path, max_redirects=5)
        kind = head.headers.get("content-type", "")
        if not kind.startswith("text/html"):
            figures.append(f"{who:8} {path}: not a page ({kind or head.status}), skipped")
            continue
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(base + path)
            status = response.status if response else 0
            violations = run_axe(page)
            bad = blocking(violations)
            name = f"{slug(path.split('?')[0])}{'-' + slug(path.split('?')[1]) if '?' in path else ''}-{who}-{width}"
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
            by_impact: dict[str, int] = {}
            for v in violations:
                by_impact[str(v.get("impact"))] = by_impact.get(str(v.get("impact")), 0) + len(v.get("nodes", []))
            overflow = horizontal_overflow(page) if width < 1000 else 0
            figures.append(f"{who:8} {path} @{width}: HTTP {status}, axe violations {len(violations)} "
                           f"({', '.join(f'{k} {n}' for k, n in sorted(by_impact.items())) or 'none'}), "
                           f"serious/critical {len(bad)}, overflow {overflow}px")
            if status >= 500:
                failures.append(f"{who} {path} @{width}: HTTP {status}")
            if bad:
                failures.append(f"{who} {path} @{width}px: {len(bad)} serious/critical axe violations\n{describe(bad)}")
            if overflow:
                failures.append(f"{who} {path} @{width}px scrolls sideways by {overflow}px: "
                                + "; ".join(overflowing_elements(page)))
    return failures, figures


def _record(figures: list[str], who: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    out = SHOTS / f"axe-figures-{who}.txt"
    out.write_text("\n".join(figures) + "\n", encoding="utf-8")
    print("\n" + "\n".join(figures))


@pytest.fixture(scope="module")
def chromium(browser: Any) -> Any:
    axe_source()  # skip early, with the instruction, when axe-core is not installed
    return browser


def test_pages_are_read_off_the_app(bench: Bench) -> None:
    pages = get_pages(bench.app, staff_area=True)
    for expected in ("/staff", "/staff/clearing", "/staff/clearing/new", "/staff/clearing/{name}", "/staff/reports"):
        assert expected in pages
    public = get_pages(bench.app, staff_area=False)
    assert "/clearing/{name}" in public and "/" in public
    assert fill("/staff/clearing/{name}", bench.params) == f"/staff/clearing/{CAMPAIGN}"
    with pytest.raises(KeyError, match="no value for path parameter 'nonesuch'"):
        fill("/staff/x/{nonesuch}", bench.params)


@pytest.mark.parametrize("role", ["clerk", "reviewer", "admin"])
def test_every_staff_page_passes_axe_at_1280_and_390(chromium: Any, bench: Bench, role: str) -> None:
    paths = [fill(p, bench.params) for p in get_pages(bench.app, staff_area=True)]
    paths += [p + ("&" if "?" in p else "?") + "lang=en" for p in paths if p in ("/staff/clearing/new", "/staff/reports")]
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        page = context.new_page()
        page.set_default_timeout(20000)
        staff.sign_in_page(page, bench.url, USERS[role][0])
        failures, figures = _check_pages(page, bench.url, paths, role)
    finally:
        context.close()
    _record(figures, role)
    assert len([f for f in figures if "@1280" in f]) >= 5  # the pages were really visited
    assert not failures, "\n".join(failures)


def test_every_public_page_passes_axe_at_1280_and_390(chromium: Any, bench: Bench) -> None:
    paths = [fill(p, bench.params) for p in get_pages(bench.app, staff_area=False)] + list(PUBLIC_QUERIES)
    paths.append("/staff/sign-in")
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        page = context.new_page()
        page.set_default_timeout(20000)
        failures, figures = _check_pages(page, bench.url, paths, "public")
    finally:
        context.close()
    _record(figures, "public")
    assert any("/clearing/" in f and "@390" in f for f in figures)
    assert not failures, "\n".join(failures)


def test_an_inaccessible_page_would_fail(chromium: Any, tmp_path: Path) -> None:
    """The harness itself: a form field without a label and text with no contrast are caught."""
    context = chromium.new_context(viewport={"width": 390, "height": 600})
    try:
        page = context.new_page()
        page.set_content('<html lang="zh-CN"><head><title>x</title></head><body><main><input id="q">'
                         '<p style="color:#999;background:#aaa">看不清的文字</p>'
                         '<div style="width:900px">宽</div></main></body></html>')
        ids = {v["id"] for v in blocking(run_axe(page))}
        assert {"label", "color-contrast"} <= ids
        assert horizontal_overflow(page) > 0
    finally:
        context.close()
