"""Public clearing results (清理结果): the lists a campaign decided (继续有效 / 修改 / 废止 / 失效) as a page
anyone can read, and as XLSX or CSV with Chinese headers.

A campaign is public only once a reviewer has applied it: an imported list that is still being checked
is nobody's decision yet, so it answers 404 here. Downloads neutralise cells a spreadsheet would run as a
formula (the clearing lists' writer does it, as the document exports do).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from registry.errors import NotFound
from registry.http.deps import RegistryDep
from registry.http.ratelimit import rate_limit
from registry.models.clearing import PublishedLists
from registry.services.clearing.lists import COLUMNS
from registry.web.downloads import attachment
from registry.web.i18n import pick_lang, t
from registry.web.render import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(rate_limit)])
LangQ = Annotated[str | None, Query(max_length=5)]
MEDIA = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "csv": "text/csv; charset=utf-8"}
COLUMN_KEYS = {"序号": "cl_col_serial", "文件名称": "cl_col_title", "文号": "cl_col_doc_number",
               "制定机关": "cl_col_issuer", "清理结果": "cl_col_result", "备注": "cl_col_note"}


def results_title(name: str, lang: str) -> str:
    """The page's heading: 2025年规范性文件清理 → 2025年规范性文件清理结果 (not …清理清理结果)."""
    if lang == "en":
        return t("cl_results_title", lang, name=name)
    return name + ("结果" if name.endswith("清理") else "清理结果")


def _published(registry: RegistryDep, name: str) -> PublishedLists:
    data = registry.clearing_lists(name)
    if not data.applied:
        raise NotFound(f"清理活动“{name}”的结果尚未公布 (the results of {name!r} are not published yet)")
    return data


@router.get("/clearing", response_class=HTMLResponse)
def published_campaigns(request: Request, registry: RegistryDep, lang: LangQ = None) -> Response:
    lg = pick_lang(lang)
    campaigns = [{**c.model_dump(), "heading": results_title(c.campaign, lg)} for c in registry.list_campaigns()
                 if c.applied_at]
    return render(request, "clearing_public.html", lg, campaigns=campaigns, result=None)


@router.get("/clearing/{name}", response_class=HTMLResponse)
def clearing_results(name: str, request: Request, registry: RegistryDep, lang: LangQ = None) -> Response:
    lg = pick_lang(lang)
    return render(request, "clearing_public.html", lg, campaigns=None, result=_published(registry, name),
                  columns=[(c, COLUMN_KEYS[c]) for c in COLUMNS], quoted=quote(name, safe=""),
                  heading=results_title(name, lg))


@router.get("/clearing/{name}/lists.{fmt}")
def clearing_download(name: str, fmt: Literal["xlsx", "csv"], registry: RegistryDep) -> Response:
    _published(registry, name)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"lists.{fmt}"
        registry.export_campaign(name, fmt=fmt, out=out)
        body = out.read_bytes()
    return Response(body, media_type=MEDIA[fmt],
                    headers={"Content-Disposition": attachment(f"{name}清理结果.{fmt}", f"clearing.{fmt}")})
