"""``/staff/reports``: the reports as pages people read, for signed-in staff.

The scorecard per office (报备率, 报备及时率, 解读率, 清理覆盖率 and the overdue counts) with a chart drawn
on the server, and the filing, expiry and interpretation reports; titles instead of ids, column names in
Chinese (English with ``?lang=en``), every scorecard number a link to the documents behind it, and a CSV
and an XLSX download beside each table with the same headers as the page.
"""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from registry.http.deps import RegistryDep
from registry.models.answers import Report
from registry.rules.status import Status
from registry.services.reports import MEASURES, RATES, REPORTS, SERIES, scorecard_svg, table_bytes
from registry.web.downloads import attachment
from registry.web.i18n import TEXTS, pick_lang, t
from registry.web.staff import StaffDep, render_staff

router = APIRouter(include_in_schema=False)
SCORECARD_COLUMNS = ("issuer", "documents", "filing_due", "filed", "filing_rate", "filed_on_time",
                     "on_time_filing_rate", "filing_overdue", "interpretation_due", "interpreted",
                     "interpretation_rate", "interpretation_overdue", "cleared", "clearing_coverage")
SHOWN_ROWS = 200
MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _label(column: str, lang: str, *, scorecard: bool = False) -> str:
    key = "rp_col_group" if scorecard and column == "issuer" else f"rp_col_{column}"
    return t(key, lang) if key in TEXTS else column


def _value(column: str, value: Any, lang: str) -> str:
    """A cell as a person reads it: rates in per cent, codes as words."""
    if value is None:
        return ""
    if column in RATES:
        return f"{float(value):.0%}"
    if column == "status":
        return Status.label_of(str(value), lang) or str(value)
    if column in ("state", "kind") and f"rp_{column}_{value}" in TEXTS:
        return t(f"rp_{column}_{value}", lang)
    return str(value)


def _columns(report: Report) -> list[str]:
    return list(SCORECARD_COLUMNS) if report.report == "scorecard" else [c for c in report.columns if c != "id"]


def _table(report: Report, lang: str) -> dict[str, Any]:
    """A report as header labels and rows of cells (text and, where there is one, the link)."""
    suffix = "?lang=en" if lang == "en" else ""
    columns = _columns(report)
    rows = []
    for row in report.rows[:SHOWN_ROWS]:
        cells = []
        for c in columns:
            href = None
            if report.report == "scorecard" and (c in MEASURES or c in RATES):
                href = f"/staff/reports/scorecard/{quote(row['group'])}/{c}{suffix}" if row.get(c) is not None else None
            elif c == "title" and row.get("id"):
                href = f"/documents/{quote(str(row['id']))}{suffix}"
            cells.append({"text": _value(c, row.get(c), lang), "href": href, "num": c in MEASURES or c in RATES})
        rows.append(cells)
    return {"name": report.report, "title": t(f"rp_report_{report.report}", lang),
            "columns": [_label(c, lang, scorecard=report.report == "scorecard") for c in columns], "rows": rows,
            "total": len(report.rows)}


@router.get("/staff/reports")
def staff_reports(request: Request, actor: StaffDep, registry: RegistryDep) -> Response:
    lang = pick_lang(request.query_params.get("lang"))
    today = registry.today()
    built = [registry.report(name, at=today) for name in REPORTS]
    card = next(r for r in built if r.report == "scorecard")
    names = {key: _label(key, lang) for key, _, _ in SERIES}
    chart = Markup(scorecard_svg(card.rows, labels=names))  # built server-side, every text escaped
    tables = [_table(r, lang) for r in sorted(built, key=lambda r: r.report != "scorecard")]
    return render_staff(request, "staff_reports.html", lang, actor, tables=tables, chart=chart,
                        as_of=today.isoformat(), shown=SHOWN_ROWS)


@router.get("/staff/reports/scorecard/{group}/{measure}")
def scorecard_list(group: str, measure: str, request: Request, actor: StaffDep, registry: RegistryDep) -> Response:
    """The documents behind one number of the scorecard (exactly those it counts)."""
    lang = pick_lang(request.query_params.get("lang"))
    found = registry.scorecard_list(group, measure)
    return render_staff(request, "staff_reports_list.html", lang, actor, found=found,
                        measure_label=_label(measure, lang), counted_label=_label(found.counted, lang),
                        value=_value(measure, found.value, lang))


@router.get("/staff/reports/{report}.{fmt}")
def report_download(report: str, fmt: Literal["csv", "xlsx"], request: Request, actor: StaffDep,
                    registry: RegistryDep) -> Response:
    """A report as CSV or XLSX with the page's column names (Chinese, or English with ``?lang=en``)."""
    lang = pick_lang(request.query_params.get("lang"))
    data = registry.report(report)
    columns = _columns(data)
    rows = [{c: _value(c, row.get(c), lang) for c in columns} for row in data.rows]
    body = table_bytes([(c, _label(c, lang, scorecard=report == "scorecard")) for c in columns], rows, fmt)
    filename = f"{t('rp_report_' + report, lang)}-{data.as_of}.{fmt}"
    return Response(body, media_type=MEDIA[fmt], headers={"Content-Disposition": attachment(filename, f"{report}.{fmt}")})
