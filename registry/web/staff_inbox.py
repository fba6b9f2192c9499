"""Staff pages: the inbox — one page per user listing what is due and overdue within the user's reach,
each row linking to the form on the document's workspace (or the clearing row) that deals with it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from registry.http.deps import RegistryDep
from registry.web.i18n import pick_lang
from registry.web.staff import StaffDep, render_staff

router = APIRouter(include_in_schema=False)


@router.get("/staff/inbox", response_class=HTMLResponse)
def inbox_page(request: Request, actor: StaffDep, registry: RegistryDep) -> Response:
    box = registry.inbox(actor)
    return render_staff(request, "staff_inbox.html", pick_lang(request.query_params.get("lang")), actor, box=box,
                        counts={"/staff/inbox": box["total"]})
