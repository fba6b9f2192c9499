"""Rendering helpers for the pages: the Jinja environment, safe snippets and the validity banner.

Templates autoescape everything. The one piece of markup that comes from data is the search snippet,
which the backend returns HTML-escaped with ``<mark>`` around matches; :func:`snippet_html` does not trust
that: it splits on the mark tags, unescapes and re-escapes every text part, and re-inserts balanced marks,
so whatever a document contains, only ``<mark>`` can reach the page.
"""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from registry.web.i18n import EVENT_TYPES, RELATION_KINDS, RELATION_KINDS_IN, fmt_date, pick_lang, t

TEMPLATES = Path(__file__).parent / "templates"
_MARK = re.compile(r"(</?mark>)")


def snippet_html(snippet: str | None) -> Markup:
    """Escaped text with only ``<mark>`` elements kept (and always closed)."""
    if not snippet:
        return Markup("")
    out: list[str] = []
    open_mark = False
    for part in _MARK.split(snippet):
        if part == "<mark>":
            if not open_mark:
                out.append("<mark>")
                open_mark = True
        elif part == "</mark>":
            if open_mark:
                out.append("</mark>")
                open_mark = False
        elif part:
            out.append(str(escape(html.unescape(part))))
    if open_mark:
        out.append("</mark>")
    return Markup("".join(out))


def article_body(text: str, number: str) -> str:
    """The article's text without its leading number, which the page shows as the anchor link."""
    body = text.lstrip()
    return body[len(number):].lstrip(" \u3000") if number and body.startswith(number) else text


def banner(answer: dict[str, Any], lang: str) -> str:
    """The validity of a document in one sentence, e.g. 现行有效 / 已于2022年3月1日失效 / 已被《…》废止."""
    status = answer["status"]
    evidence = answer.get("evidence") or []
    successor = answer.get("successor")
    en = lang == "en"
    if status == "in_force":
        eff = next((e.get("effective_date") for e in evidence if e.get("type") == "effective_date"), None)
        if en:
            return f"In force (since {eff})." if eff else "In force."
        return f"现行有效（自{fmt_date(eff, lang)}起施行）。" if eff else "现行有效。"
    if status == "invalid":
        period = next((e.get("expiry_date") for e in evidence if e.get("type") == "validity_period"), None)
        if period:
            ended = date.fromisoformat(period) + timedelta(days=1)
            if en:
                return f"Invalid since {ended.isoformat()} (its validity period ended on {period})."
            return f"已于{fmt_date(ended, lang)}失效（有效期至{fmt_date(period, lang)}届满）。"
    if status in ("repealed", "amended") and successor:
        when = next((e.get("date") for e in evidence if e.get("date")), None)
        title = successor["title"]
        if en:
            verb = "Repealed" if status == "repealed" else "Amended"
            return f"{verb} by “{title}”" + (f" on {when}." if when else ".")
        verb = "废止" if status == "repealed" else "修改"
        return f"已被《{title}》{verb}" + (f"（{fmt_date(when, lang)}）。" if when else "。")
    return str(answer["reason_en"] if en else answer["reason"])


def page_url(path: str, params: dict[str, Any], **changes: Any) -> str:
    """``path`` with ``params`` updated by ``changes`` (None removes a key); lists become repeated keys."""
    merged = {**params, **changes}
    pairs: list[tuple[str, str]] = []
    for key, value in merged.items():
        if value is None or value == "" or value == []:
            continue
        for v in value if isinstance(value, list) else [value]:
            pairs.append((key, str(v)))
    return path + ("?" + urlencode(pairs) if pairs else "")


def make_env() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "xml"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(t=t, fmt_date=fmt_date, page_url=page_url, EVENT_TYPES=EVENT_TYPES,
                       RELATION_KINDS=RELATION_KINDS, RELATION_KINDS_IN=RELATION_KINDS_IN)
    env.filters["snippet"] = snippet_html
    env.filters["article_body"] = article_body
    return env


env = make_env()


def render(request: Request, name: str, lang: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    params = dict(request.query_params.multi_items())
    switch_params = {k: v for k, v in params.items() if k != "lang"}
    if lang == "zh":
        switch_params["lang"] = "en"
    # "//evil.example/x" is a path to us but a protocol-relative link in a page: never echo it as one
    path = "/" + request.url.path.lstrip("/")
    ctx.update(request=request, lang=lang, path=path, lang_switch=switch_params)
    page = env.get_template(name).render(**ctx)
    return HTMLResponse(page, status_code=status_code)


def render_error_page(request: Request, status: int, error: dict[str, Any], headers: dict[str, str] | None) -> Response:
    lang = pick_lang(request.query_params.get("lang"))
    resp = render(request, "error.html", lang, status_code=status, error=error, status=status)
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp
