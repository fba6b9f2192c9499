"""Staff reports: overdue filings, coming expiries, missing interpretations, and a per-issuer scorecard.

Every report has one tabular shape — :class:`registry.models.answers.Report` — so the same data
goes out as JSON, as CSV and onto the staff page; the scorecard also draws itself as an SVG bar chart on
the server (no JavaScript on the page).
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from registry.errors import InvalidInput, NotFound
from registry.models import Document, Office
from registry.models.answers import Report, ScorecardDocument, ScorecardList
from registry.rules.status import EventType
from registry.rules.workdays import CalendarUnknown, add_workdays
from registry.services.events import live_events
from registry.services.exports import spreadsheet_safe
from registry.services.filing import NORMATIVE, filing_report, filing_state
from registry.services.interpretations import interpretation_map, missing_interpretations
from registry.services.periods import period_watch
from registry.settings import Settings

REPORTS: dict[str, str] = {
    "overdue-filings": "Normative documents not filed within the deadline, or filed late (备案超期)",
    "expiries": "Validity periods ending within the reminder windows; 暂行/试行 documents over the limit",
    "missing-interpretations": "Normative documents without a policy interpretation after the deadline",
    "scorecard": "Per office (or issuer): filing rate, on-time filing rate, interpretation rate, clearing coverage",
}


def build_report(session: Session, name: str, *, today: date, settings: Settings) -> Report:
    """The report called ``name`` as of ``today``; InvalidInput for an unknown name."""
    if name not in REPORTS:
        raise InvalidInput(f"unknown report {name!r}", details={"reports": sorted(REPORTS)})
    return Report(report=name, title=REPORTS[name], as_of=today.isoformat(), **_report_body(session, name,
                                                                                        today=today, settings=settings))


def _report_body(session: Session, name: str, *, today: date, settings: Settings) -> dict[str, Any]:
    """The columns, rows and report-specific fields of ``name``."""
    if name == "overdue-filings":
        rows = filing_report(session, today=today, days=settings.filing_deadline_days)
        cols = ["id", "title", "doc_number", "issuer", "publication_date", "deadline", "filed_on", "state",
                "days_late"]
        return {"deadline_days": settings.filing_deadline_days, "columns": cols, "rows": rows}
    if name == "expiries":
        watch = period_watch(session, today=today, reminder_months=settings.reminder_months,
                             max_provisional_years=settings.max_provisional_years)
        rows = [{**r, "kind": f"ends_within_{m}_months"} for m, items in watch["ending_within_months"].items()
                for r in items]
        rows += [{**r, "kind": "provisional_over_limit", "days_left": None} for r in watch["provisional_over_limit"]]
        cols = ["kind", "id", "title", "doc_number", "issuer", "expiry_date", "days_left"]
        return {"columns": cols, "rows": [{c: r.get(c) for c in cols} for r in rows]}
    if name == "missing-interpretations":
        found = missing_interpretations(session, today=today, working_days=settings.interpretation_working_days)
        cols = ["id", "title", "doc_number", "issuer", "publication_date", "deadline", "days_overdue"]
        return {"working_days": settings.interpretation_working_days, "columns": cols,
                "rows": found["missing"], "calendar_unknown": found["calendar_unknown"]}
    rows = scorecard(session, today=today, settings=settings)
    cols = ["issuer", "documents", "filing_due", "filed", "filing_rate", "filed_on_time", "on_time_filing_rate",
            "filing_overdue", "interpretation_due", "interpreted", "interpretation_rate", "interpretation_overdue",
            "cleared", "clearing_coverage"]
    return {"columns": cols, "rows": rows}


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


# The counts of the scorecard; each is a set of documents, so every number can link to its own list.
MEASURES: tuple[str, ...] = ("documents", "filing_due", "filed", "filed_on_time", "filing_overdue",
                             "interpretation_due", "interpreted", "interpretation_overdue", "cleared")
RATES: dict[str, tuple[str, str]] = {  # rate -> (the count it is made of, the count it is out of)
    "filing_rate": ("filed", "filing_due"),
    "on_time_filing_rate": ("filed_on_time", "filing_due"),
    "interpretation_rate": ("interpreted", "interpretation_due"),
    "clearing_coverage": ("cleared", "documents"),
}
UNRECORDED = "（未记载）"


def _group_of(doc: Document, offices: dict[int, str]) -> tuple[str, str]:
    """(key, label): the registering office where the document has one, its issuer otherwise."""
    if doc.office_id is not None and doc.office_id in offices:
        return f"office-{doc.office_id}", offices[doc.office_id]
    issuer = doc.issuer or UNRECORDED
    return "issuer-" + hashlib.sha1(issuer.encode("utf-8")).hexdigest()[:12], issuer


def scorecard_groups(session: Session, *, today: date, settings: Settings) -> list[dict[str, Any]]:
    """Per office (or issuer, for documents no office registered), over its normative documents published
    by ``today``: for every measure in :data:`MEASURES` the ids of the documents it counts, plus the rates.

    - filing rate: filed / documents whose filing deadline has passed or that were filed; on-time filing
      rate: filed by the deadline / the same; overdue: deadline passed and not filed;
    - interpretation rate: with an interpretation / documents whose interpretation deadline has passed or
      that have one (a deadline in an unknown calendar year counts only once an interpretation exists);
      overdue: deadline passed and none;
    - clearing coverage: documents with a standing clearing result / documents.
    """
    docs = [d for d in session.exec(select(Document).where(Document.category == NORMATIVE))
            if d.publication_date is None or d.publication_date <= today]
    offices = {o.id: o.name for o in session.exec(select(Office)) if o.id is not None}
    filed = live_events(session, None, {EventType.FILED})
    cleared = live_events(session, None, {EventType.CLEARED})
    interpreted = interpretation_map(session)
    per: dict[str, dict[str, Any]] = {}
    for doc in sorted(docs, key=lambda d: (d.publication_date or date.min, d.id), reverse=True):
        key, label = _group_of(doc, offices)
        g = per.setdefault(key, {"group": key, "issuer": label, "kind": key.split("-")[0],
                                 "ids": {m: [] for m in MEASURES}})
        ids = g["ids"]
        ids["documents"].append(doc.id)
        state = filing_state(doc, filed.get(doc.id, []), today=today, days=settings.filing_deadline_days)
        if state.state in ("on_time", "late", "missing"):
            ids["filing_due"].append(doc.id)
            ids[{"on_time": "filed_on_time", "late": "filed", "missing": "filing_overdue"}[state.state]].append(doc.id)
            if state.state == "on_time":
                ids["filed"].append(doc.id)
        has = doc.id in interpreted
        due = has
        if not has and doc.publication_date is not None:
            try:
                due = today > add_workdays(doc.publication_date, settings.interpretation_working_days)
            except CalendarUnknown:
                due = False
        if due:
            ids["interpretation_due"].append(doc.id)
            ids["interpreted" if has else "interpretation_overdue"].append(doc.id)
        if doc.id in cleared:
            ids["cleared"].append(doc.id)
    out = []
    for g in sorted(per.values(), key=lambda x: (-len(x["ids"]["documents"]), x["issuer"])):
        g.update({m: len(g["ids"][m]) for m in MEASURES})
        g.update({r: _rate(g[part], g[whole]) for r, (part, whole) in RATES.items()})
        out.append(g)
    return out


def scorecard(session: Session, *, today: date, settings: Settings) -> list[dict[str, Any]]:
    """The scorecard rows without the document ids (the JSON and CSV report)."""
    return [{k: v for k, v in g.items() if k != "ids"} for g in scorecard_groups(session, today=today,
                                                                                   settings=settings)]


def scorecard_list(session: Session, *, group: str, measure: str, today: date, settings: Settings
                   ) -> ScorecardList:
    """The documents behind one number of the scorecard: ``measure`` (a count or a rate, which lists its
    count's documents) of ``group``; NotFound for a group or measure the scorecard does not have."""
    counted = RATES[measure][0] if measure in RATES else measure
    if counted not in MEASURES:
        raise NotFound(f"the scorecard has no measure {measure!r}", details={"measures": [*MEASURES, *RATES]})
    found = next((g for g in scorecard_groups(session, today=today, settings=settings) if g["group"] == group), None)
    if found is None:
        raise NotFound(f"the scorecard has no office or issuer {group!r}")
    wanted = found["ids"][counted]
    docs = {d.id: d for d in session.exec(select(Document).where(col(Document.id).in_(wanted)))} if wanted else {}
    return ScorecardList(
        group=group, label=found["issuer"], measure=measure, counted=counted, value=found[measure],
        as_of=today.isoformat(),
        documents=[ScorecardDocument(id=d.id, title=d.title, doc_number=d.doc_number, issuer=d.issuer,
                                     publication_date=d.publication_date.isoformat() if d.publication_date else None,
                                     status=d.status) for i in wanted if (d := docs.get(i)) is not None])


def to_csv(report: Report) -> str:
    """The report's rows as CSV with its columns as the header (UTF-8; the caller adds a BOM for Excel)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=report.columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in report.rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return buf.getvalue()


def table_bytes(columns: list[tuple[str, str]], rows: list[dict[str, Any]], fmt: str) -> bytes:
    """``rows`` as CSV (with a BOM, for Excel) or XLSX under the headers ``columns`` gives as (key, header);
    cells a spreadsheet would run as a formula are neutralised as the document exports do."""
    headers = [label for _, label in columns]
    values = [[spreadsheet_safe("" if r.get(k) is None else r.get(k)) for k, _ in columns] for r in rows]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows(values)
        return ("\ufeff" + buf.getvalue()).encode("utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("report")
        ws.append(headers)
        for row in values:
            ws.append(row)
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
    raise InvalidInput("format must be csv or xlsx", details={"format": fmt})


SERIES = (("filing_rate", "报备率", "#6f42c1"), ("on_time_filing_rate", "报备及时率", "#2f6fb0"),
          ("interpretation_rate", "解读率", "#b35900"), ("clearing_coverage", "清理覆盖率", "#2a7a47"))


def scorecard_svg(rows: list[dict[str, Any]], *, width: int = 400, labels: dict[str, str] | None = None) -> str:
    """A grouped horizontal bar chart of the rates per office or issuer, as escaped inline SVG that scales
    to its container (``viewBox``): each name on its own line above its bars, so the chart stays readable
    at 390 px; ``labels`` renames the series (English pages)."""
    names = {key: (labels or {}).get(key, label) for key, label, _ in SERIES}
    bar_h, name_h, gap, legend_h = 15, 20, 14, 48
    group_h = name_h + bar_h * len(SERIES) + gap
    height = legend_h + group_h * max(len(rows), 1)
    scale = width - 50
    title = "、".join(names.values())
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
             f'role="img" aria-label="{html.escape(title)}" font-size="14" class="scorecard-chart">'
             f"<title>{html.escape(title)}</title>"]
    for i, (key, _, color) in enumerate(SERIES):
        x, y = 2 + (i % 2) * (width // 2), 6 + (i // 2) * 20
        parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{color}"/>'
                     f'<text x="{x + 18}" y="{y + 11}">{html.escape(names[key])}</text>')
    for n, row in enumerate(rows):
        top = legend_h + n * group_h
        name = str(row["issuer"])
        parts.append(f'<text x="0" y="{top + 14}" font-weight="600">'
                     f'{html.escape(name if len(name) <= 26 else name[:25] + "…")}</text>')
        for i, (key, _, color) in enumerate(SERIES):
            value = row.get(key)
            y = top + name_h + i * bar_h
            if value is None:
                parts.append(f'<text x="2" y="{y + bar_h - 3}" fill="#57606a" font-size="12">'
                             f'{html.escape(names[key])}：—</text>')
                continue
            w = max(1, round(float(value) * scale))
            parts.append(f'<rect x="0" y="{y}" width="{w}" height="{bar_h - 3}" fill="{color}">'
                         f'<title>{html.escape(name)} {html.escape(names[key])} {value:.0%}</title></rect>'
                         f'<text x="{w + 4}" y="{y + bar_h - 3}" font-size="12">{value:.0%}</text>')
    parts.append("</svg>")
    return "".join(parts)
