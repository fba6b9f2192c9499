"""Staff reports: overdue filings, coming expiries, missing interpretations, and a per-issuer scorecard.

Every report has one tabular shape — ``{"report", "as_of", "columns", "rows", ...}`` — so the same data
goes out as JSON, as CSV and onto the staff page; the scorecard also draws itself as an SVG bar chart on
the server (no JavaScript on the page).
"""

from __future__ import annotations

import csv
import html
import io
from datetime import date
from typing import Any

from sqlmodel import Session, select

from registry.errors import InvalidInput
from registry.models import Document
from registry.rules.status import EventType
from registry.rules.workdays import CalendarUnknown, add_workdays
from registry.services.events import live_events
from registry.services.filing import NORMATIVE, filing_report, filing_state
from registry.services.interpretations import interpretation_map, missing_interpretations
from registry.services.periods import period_watch
from registry.settings import Settings

REPORTS: dict[str, str] = {
    "overdue-filings": "Normative documents not filed within the deadline, or filed late (备案超期)",
    "expiries": "Validity periods ending within the reminder windows; 暂行/试行 documents over the limit",
    "missing-interpretations": "Normative documents without a policy interpretation after the deadline",
    "scorecard": "Per issuer: on-time filing rate, interpretation rate, clearing coverage",
}


def build_report(session: Session, name: str, *, today: date, settings: Settings) -> dict[str, Any]:
    """The report called ``name`` as of ``today``; InvalidInput for an unknown name."""
    if name not in REPORTS:
        raise InvalidInput(f"unknown report {name!r}", details={"reports": sorted(REPORTS)})
    base: dict[str, Any] = {"report": name, "title": REPORTS[name], "as_of": today.isoformat()}
    if name == "overdue-filings":
        rows = filing_report(session, today=today, days=settings.filing_deadline_days)
        cols = ["id", "title", "doc_number", "issuer", "publication_date", "deadline", "filed_on", "state",
                "days_late"]
        return {**base, "deadline_days": settings.filing_deadline_days, "columns": cols, "rows": rows}
    if name == "expiries":
        watch = period_watch(session, today=today, reminder_months=settings.reminder_months,
                             max_provisional_years=settings.max_provisional_years)
        rows = [{**r, "kind": f"ends_within_{m}_months"} for m, items in watch["ending_within_months"].items()
                for r in items]
        rows += [{**r, "kind": "provisional_over_limit", "days_left": None} for r in watch["provisional_over_limit"]]
        cols = ["kind", "id", "title", "doc_number", "issuer", "expiry_date", "days_left"]
        return {**base, "columns": cols, "rows": [{c: r.get(c) for c in cols} for r in rows]}
    if name == "missing-interpretations":
        found = missing_interpretations(session, today=today, working_days=settings.interpretation_working_days)
        cols = ["id", "title", "doc_number", "issuer", "publication_date", "deadline", "days_overdue"]
        return {**base, "working_days": settings.interpretation_working_days, "columns": cols,
                "rows": found["missing"], "calendar_unknown": found["calendar_unknown"]}
    rows = scorecard(session, today=today, settings=settings)
    cols = ["issuer", "documents", "filing_due", "filed_on_time", "on_time_filing_rate", "interpretation_due",
            "interpreted", "interpretation_rate", "cleared", "clearing_coverage"]
    return {**base, "columns": cols, "rows": rows}


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def scorecard(session: Session, *, today: date, settings: Settings) -> list[dict[str, Any]]:
    """Per issuer, over its normative documents published by ``today``.

    - on-time filing rate: filed by the deadline / documents whose deadline has passed or that were filed;
    - interpretation rate: with an interpretation / documents whose interpretation deadline has passed or
      that have one (a deadline in an unknown calendar year counts only once an interpretation exists);
    - clearing coverage: documents with a standing clearing result / documents.
    """
    docs = [d for d in session.exec(select(Document).where(Document.category == NORMATIVE))
            if d.publication_date is None or d.publication_date <= today]
    filed = live_events(session, None, {EventType.FILED})
    cleared = live_events(session, None, {EventType.CLEARED})
    interpreted = interpretation_map(session)
    per: dict[str, dict[str, Any]] = {}
    for doc in docs:
        s = per.setdefault(doc.issuer or "（未记载）", {
            "issuer": doc.issuer or "（未记载）", "documents": 0, "filing_due": 0, "filed_on_time": 0,
            "interpretation_due": 0, "interpreted": 0, "cleared": 0})
        s["documents"] += 1
        state = filing_state(doc, filed.get(doc.id, []), today=today, days=settings.filing_deadline_days)
        if state.state in ("on_time", "late", "missing"):
            s["filing_due"] += 1
            s["filed_on_time"] += state.state == "on_time"
        has = doc.id in interpreted
        due = has
        if not has and doc.publication_date is not None:
            try:
                due = today > add_workdays(doc.publication_date, settings.interpretation_working_days)
            except CalendarUnknown:
                due = False
        s["interpretation_due"] += due
        s["interpreted"] += has
        s["cleared"] += doc.id in cleared
    out = []
    for s in sorted(per.values(), key=lambda x: (-x["documents"], x["issuer"])):
        s["on_time_filing_rate"] = _rate(s["filed_on_time"], s["filing_due"])
        s["interpretation_rate"] = _rate(s["interpreted"], s["interpretation_due"])
        s["clearing_coverage"] = _rate(s["cleared"], s["documents"])
        out.append(s)
    return out


def to_csv(report: dict[str, Any]) -> str:
    """The report's rows as CSV with its columns as the header (UTF-8; the caller adds a BOM for Excel)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=report["columns"], extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in report["rows"]:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return buf.getvalue()


SERIES = (("on_time_filing_rate", "按时备案率", "#2f6fb0"), ("interpretation_rate", "解读率", "#d08a1e"),
          ("clearing_coverage", "清理覆盖率", "#3c9a5f"))


def scorecard_svg(rows: list[dict[str, Any]], *, width: int = 640) -> str:
    """A grouped horizontal bar chart of the three rates per issuer, as escaped inline SVG."""
    label_w, bar_h, gap = 200, 12, 14
    group_h = bar_h * len(SERIES) + gap
    height = 40 + group_h * max(len(rows), 1)
    scale = width - label_w - 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="各机关按时备案率、解读率、清理覆盖率" font-size="12">']
    for i, (_, label, color) in enumerate(SERIES):
        x = label_w + i * 110
        parts.append(f'<rect x="{x}" y="6" width="10" height="10" fill="{color}"/>'
                     f'<text x="{x + 14}" y="15">{html.escape(label)}</text>')
    for n, row in enumerate(rows):
        top = 30 + n * group_h
        parts.append(f'<text x="{label_w - 6}" y="{top + bar_h * 2}" text-anchor="end">'
                     f'{html.escape(str(row["issuer"])[:60])}</text>')
        for i, (key, label, color) in enumerate(SERIES):
            value = row.get(key)
            y = top + i * bar_h
            if value is None:
                parts.append(f'<text x="{label_w + 2}" y="{y + bar_h - 2}" fill="#888">{html.escape(label)}：无数据</text>')
                continue
            w = max(1, round(float(value) * scale))
            parts.append(f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h - 2}" fill="{color}">'
                         f'<title>{html.escape(label)} {value:.0%}</title></rect>'
                         f'<text x="{label_w + w + 4}" y="{y + bar_h - 2}">{value:.0%}</text>')
    parts.append("</svg>")
    return "".join(parts)
