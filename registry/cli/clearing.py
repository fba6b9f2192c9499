"""Lifecycle commands: ``normreg clearing …``, ``normreg sweep`` and ``normreg report``.

Same contract as the rest of the CLI: parse, call one Registry method, translate errors; ``--json`` prints
exactly one JSON document; exit 1 when what was asked failed, 2 on a usage error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from registry.cli.common import JsonOpt, _dump, _emit, _parse_day, _registry, err
from registry.models.clearing import CampaignApplied, CampaignPublic
from registry.models.records import SweepResult

clearing_app = typer.Typer(help="Clearing campaigns (清理): import an office's list, review, apply, export.",
                           no_args_is_help=True)


def _print_rows(d: CampaignPublic) -> None:
    s = d.summary
    err.print(f"{d.campaign}: {s.rows} rows, {s.matched} matched, {s.needs_review} to review, {s.applied} applied",
              highlight=False)
    for r in d.rows:
        mark = "review" if r.needs_review else ("none" if r.match is None else "ok")
        target = r.match.title if r.match else "—"
        err.print(f"  {r.row:>4} [{mark:>6}] {r.result:<4} {r.title}  →  {target}", highlight=False)
        if r.needs_review:
            for c in r.candidates[:3]:
                err.print(f"         ? {c['id']}  {c['title']}  ({c['score']})", highlight=False)


@clearing_app.command("import")
def clearing_import(
    file: Annotated[Path, typer.Argument(help="The office's list (.xlsx or .csv) with 文件名称/文号/清理结果 columns.")],
    campaign: Annotated[str, typer.Option(help="Campaign name, e.g. 2025年规范性文件清理.")],
    decided_on: Annotated[str | None, typer.Option("--decided-on", help="Date of the clearing decision "
                                                   "(YYYY-MM-DD); default today.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Import a clearing list and match every row to the registry (no document changes yet)."""
    day = _parse_day(decided_on, "--decided-on")
    if not file.is_file():
        raise typer.BadParameter(f"{file} does not exist", param_hint="FILE")
    with _registry(as_json) as reg:
        reg.init()
        data = reg.import_campaign(file, name=campaign, decided_on=day, source_name=str(file.resolve()))
        _emit(data, as_json, _print_rows)


@clearing_app.command("show")
def clearing_show(name: Annotated[str, typer.Argument(help="Campaign name.")], as_json: JsonOpt = False) -> None:
    """Show a campaign's rows, their matches and what waits for review."""
    with _registry(as_json) as reg:
        _emit(reg.show_campaign(name), as_json, _print_rows)


@clearing_app.command("resolve")
def clearing_resolve(
    name: Annotated[str, typer.Argument(help="Campaign name.")],
    row: Annotated[int, typer.Option(min=1, help="Row number (as `clearing show` lists it).")],
    doc_id: Annotated[str | None, typer.Option("--id", help="The document the row means (id, 文号 or title).")] = None,
    none: Annotated[bool, typer.Option("--none", help="The row names no document in the registry.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Confirm or correct the document of one row (or say it names none)."""
    if (doc_id is None) == (not none):
        raise typer.BadParameter("give exactly one of --id or --none", param_hint="--id/--none")
    with _registry(as_json) as reg:
        data = reg.resolve_clearing_row(name, row, ref=None if none else doc_id)
        _emit(data, as_json, lambda d: err.print(
            f"row {d.row}: {d.match.title if d.match else 'not in the registry'}", highlight=False))


@clearing_app.command("apply")
def clearing_apply(name: Annotated[str, typer.Argument(help="Campaign name.")], as_json: JsonOpt = False) -> None:
    """Record the clearing result of every matched row, in one transaction (twice changes nothing)."""
    with _registry(as_json) as reg:
        data = reg.apply_campaign(name)

        def human(d: CampaignApplied) -> None:
            err.print(f"applied {d.applied} rows ({d.already_applied} already applied, "
                      f"{d.needs_review} wait for review, {d.not_in_registry} not in the registry)")
            for c in d.conflicts:
                err.print(f"  [yellow]conflict[/yellow] row {c['row']} {c['title']}: {c['result']} but "
                          f"{c['status']} — {c['reason']}", highlight=False)

        _emit(data, as_json, human)


@clearing_app.command("undo")
def clearing_undo(
    name: Annotated[str, typer.Argument(help="Campaign name.")],
    row: Annotated[int, typer.Option(min=1, help="Row number to undo.")],
    reason: Annotated[str | None, typer.Option(help="Why (kept with the compensating event).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Undo one applied row with a compensating event."""
    with _registry(as_json) as reg:
        data = reg.undo_clearing_row(name, row, reason=reason)
        _emit(data, as_json, lambda d: err.print(f"row {d.row} undone (event {d.undo_event_id})"))


@clearing_app.command("export")
def clearing_export(
    name: Annotated[str, typer.Argument(help="Campaign name.")],
    out: Annotated[Path, typer.Option(help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", help="csv, xlsx, json or html.")] = "xlsx",
    as_json: JsonOpt = False,
) -> None:
    """Write the published lists: 继续有效目录, 修改目录, 废止目录, 失效目录."""
    from registry.services.clearing.lists import FORMATS

    if fmt not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
    with _registry(as_json) as reg:
        data = reg.export_campaign(name, fmt=fmt, out=out)
        _emit(data, as_json, lambda d: err.print(
            f"wrote {d.path}: " + ", ".join(f"{k} {v}" for k, v in d.lists.items()), highlight=False))


def sweep(
    today: Annotated[str | None, typer.Option(help="Run as of this date (YYYY-MM-DD); default today.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Record ended validity periods and list periods ending within 6, 2 and 1 months."""
    day = _parse_day(today, "--today")
    with _registry(as_json) as reg:
        data = reg.sweep(at=day)

        def human(d: SweepResult) -> None:
            err.print(f"{len(d.expired)} expired, {len(d.refreshed)} other statuses brought up to date")
            for r in d.expired:
                err.print(f"  expired {r['expiry_date']}: {r['title']}", highlight=False)
            for months, items in d.ending_within_months.items():
                for r in items:
                    err.print(f"  ends within {months} months ({r['expiry_date']}): {r['title']}", highlight=False)
            for r in d.provisional_over_limit:
                err.print(f"  暂行/试行 over the limit: {r['title']}", highlight=False)

        _emit(data, as_json, human)


def report(
    name: Annotated[str, typer.Argument(help="overdue-filings, expiries, missing-interpretations or scorecard.")],
    fmt: Annotated[str, typer.Option("--format", help="json or csv.")] = "json",
    today: Annotated[str | None, typer.Option(help="As of this date (YYYY-MM-DD); default today.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Print a staff report as JSON or CSV on standard output."""
    from registry.services.reports import REPORTS, to_csv

    if name not in REPORTS:
        raise typer.BadParameter(f"use one of {', '.join(REPORTS)}", param_hint="NAME")
    if fmt not in ("json", "csv"):
        raise typer.BadParameter("use json or csv", param_hint="--format")
    if as_json and fmt == "csv":
        raise typer.BadParameter("--json prints JSON; drop --format csv", param_hint="--format")
    day = _parse_day(today, "--today")
    with _registry(as_json) as reg:
        data = reg.report(name, at=day)
        if fmt == "csv":
            sys.stdout.write(to_csv(data))
        else:
            print(_dump(data))
