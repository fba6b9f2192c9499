"""Pages for law over time: the text in force on a date, and the diff of two texts.

Both are plain GET pages (a date picker and a version chooser are ordinary forms), rendered from the same
registry methods as ``/api/v1/documents/{id}/text`` and ``/diff``. The document page's own part (the
timeline of versions and the date picker) is ``_doc_versions.html``, fed by :func:`document_context`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from registry.errors import InvalidInput
from registry.facade import Registry
from registry.http.deps import RegistryDep
from registry.models.versions import ORIGIN_LABELS
from registry.rules.dates import parse_date
from registry.rules.status import Status
from registry.services.versions import OutsideKnown
from registry.web.i18n import pick_lang, t
from registry.web.render import render

router = APIRouter(include_in_schema=False)
LangQ = Annotated[str | None, Query(max_length=5)]


def origin_label(code: str, lang: str) -> str:
    return ORIGIN_LABELS.get(code, {}).get(lang, code)


def document_context(registry: Registry, document_id: str) -> dict[str, Any]:
    """What ``_doc_versions.html`` needs on the document page."""
    return {"text_versions": registry.text_versions(document_id)["items"], "origin_label": origin_label}


def blocks(articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The diff's articles with each run of unchanged ones folded into one line (first, last, count)."""
    out: list[dict[str, Any]] = []
    for a in articles:
        if a["status"] == "unchanged":
            if out and out[-1]["status"] == "unchanged_run":
                out[-1].update(last=a["new_number"], n=out[-1]["n"] + 1)
            else:
                out.append({"status": "unchanged_run", "first": a["new_number"], "last": a["new_number"], "n": 1})
        else:
            out.append(a)
    return out


@router.get("/documents/{document_id}/text", response_class=HTMLResponse)
def text_page(request: Request, document_id: str, registry: RegistryDep, lang: LangQ = None,
              at: Annotated[str, Query(max_length=10)] = "") -> HTMLResponse:
    lg = pick_lang(lang)
    doc = registry.get_document(document_id, with_text=False)
    ctx: dict[str, Any] = {"doc": doc, "at": at, "found": None, "problem": None, "known_from": None,
                           "origin_label": origin_label}
    try:
        ctx["found"] = registry.text_at(document_id, parse_date(at, "at"))
        ctx["status_label"] = Status.label_of(ctx["found"]["status"], lg)
    except OutsideKnown as exc:
        ctx["problem"], ctx["known_from"] = t("ver_outside", lg), (exc.details or {}).get("known_from")
    except InvalidInput:
        ctx["problem"] = t("ver_bad_date", lg)
    return render(request, "versions_text.html", lg, status_code=200 if ctx["found"] else 404, **ctx)


@router.get("/documents/{document_id}/diff", response_class=HTMLResponse)
def diff_page(request: Request, document_id: str, registry: RegistryDep, lang: LangQ = None,
              with_: Annotated[str, Query(alias="with", min_length=1, max_length=500)] = "1",
              from_: Annotated[int | None, Query(alias="from", ge=1, le=100000)] = None) -> HTMLResponse:
    lg = pick_lang(lang)
    result = registry.diff(document_id, with_, from_version=from_)
    versions = registry.text_versions(document_id)["items"]
    same_doc = result["old"]["document_id"] == result["new"]["document_id"]
    return render(request, "versions_diff.html", lg, result=result, blocks=blocks(result["articles"]),
                  versions=versions, same_doc=same_doc, document_id=document_id)
