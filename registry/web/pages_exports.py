"""The export job page: where a browser following a link to a large export lands (issue 18).

It says the export is being prepared, shows its progress (updated by a small script, or by the page's
refresh link without one), then a download link; once the file expired it says so. The job's id in the
address is its only key, as in the API.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from registry.http.deps import RegistryDep
from registry.http.ratelimit import rate_limit
from registry.web.i18n import pick_lang
from registry.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/exports/{job_id}", response_class=HTMLResponse, dependencies=[Depends(rate_limit)])
def export_job_page(request: Request, job_id: str, registry: RegistryDep,
                    lang: Annotated[str | None, Query(max_length=5)] = None) -> HTMLResponse:
    """导出任务: progress while the export is prepared, then the download link."""
    job = registry.export_job(job_id)
    return render(request, "export_job.html", pick_lang(lang), job=job)
