"""``/staff/reports``: the staff reports with the scorecard chart, for signed-in staff."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from registry.http.deps import RegistryDep
from registry.services.reports import REPORTS, scorecard_svg
from registry.web.i18n import pick_lang
from registry.web.staff import StaffDep, render_staff

router = APIRouter(include_in_schema=False)


@router.get("/staff/reports")
def staff_reports(request: Request, actor: StaffDep, registry: RegistryDep) -> Response:
    today = registry.today()
    built = [registry.report(name, at=today) for name in REPORTS]
    card = next(r for r in built if r["report"] == "scorecard")
    chart = Markup(scorecard_svg(card["rows"]))  # built server-side, every text escaped
    return render_staff(request, "staff_reports.html", pick_lang(request.query_params.get("lang")), actor, reports=built,
                  chart=chart, as_of=today.isoformat())
