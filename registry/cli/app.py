"""The ``normreg`` command. Each command parses its input, calls one Registry method and translates errors.

With ``--json`` a command prints exactly one JSON document on standard output; messages go to standard
error. Exit status: 0 success, 1 when what was asked failed, 2 on a usage error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from registry.cli.accounts import demo_accounts, offices_app, users_app
from registry.cli.clearing import clearing_app, report, sweep
from registry.cli.common import JsonOpt, _emit, _parse_day, _registry, err
from registry.cli.follows import deliver
from registry.cli.records import records_app
from registry.cli.tokens import tokens_app

app = typer.Typer(
    name="normreg",
    help="Registry and effectiveness tracker for administrative normative documents (行政规范性文件).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.command()
def init(as_json: JsonOpt = False) -> None:
    """Create or migrate the database (and the data directory)."""
    with _registry(as_json) as reg:
        rev = reg.init()
        data = {"ok": True, "revision": rev, "database": reg.engine.url.render_as_string(hide_password=True),
                "data_dir": str(reg.settings.data_dir.resolve())}
        _emit(data, as_json, lambda d: err.print(f"database ready at revision {d['revision']}: {d['database']}"))


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files and folders (searched recursively).")],
    catalog: Annotated[Path | None, typer.Option(help="CSV, XLSX or JSONL supplying or overriding metadata.")] = None,
    jobs: Annotated[int, typer.Option(min=0, max=64, help="Worker processes for extraction (default: the CPUs, 2 to 4; 1 reads in this process).")] = 0,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Date the catalog's statuses describe (default: today).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Ingest files and folders: .pdf .docx .doc .html .htm .txt .md."""
    claim_date = _parse_day(as_of, "--as-of")
    for p in paths:
        if not p.exists():
            raise typer.BadParameter(f"{p} does not exist", param_hint="PATHS")
    with _registry(as_json) as reg:
        reg.init()
        show_bar = not as_json and sys.stderr.isatty()
        with _progress(show_bar, unit="docs") as progress:
            report = reg.ingest(paths, catalog=catalog, as_of=claim_date, progress=progress,
                                jobs=jobs or max(2, min(4, os.cpu_count() or 1)))
        data = report.as_dict()

        def human(d: dict[str, Any]) -> None:
            err.print(f"added {d['added']}, updated {d['updated']}, unchanged {d['unchanged']}, "
                      f"failed {len(d['failed'])}, relations {d['relations']}")
            for f in d["failed"]:
                err.print(f"  [red]failed[/red] {f['path']}: {f['error']}", highlight=False)

        _emit(data, as_json, human)
        if report.failed and not (report.added or report.updated or report.unchanged):
            raise typer.Exit(1)


@contextmanager
def _progress(enabled: bool, label: str = "ingesting", unit: str | None = None,
              ) -> Iterator[Callable[[int, int, str], None] | None]:
    """A progress bar on standard error (only when it is a terminal and not ``--json``): done of total,
    time left and, given a ``unit``, the rate (documents per second)."""
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    rate = [TextColumn(f"{{task.fields[rate]}} {unit}/s")] if unit else []
    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), *rate, TimeRemainingColumn(),
                  TextColumn("{task.description}"), console=err, transient=True) as bar:
        task = bar.add_task("", total=None, rate="–")

        def update(done: int, total: int, path: str) -> None:
            speed = bar.tasks[task].speed
            bar.update(task, completed=done, total=total, description=Path(path).name[:40],
                       rate=f"{speed:,.0f}" if speed else "–")

        yield update


@app.command()
def show(ref: Annotated[str, typer.Argument(help="Id, 文号 (any brackets), registration number or exact title.")],
         as_json: JsonOpt = False) -> None:
    """Show one document."""
    with _registry(as_json) as reg:
        data = reg.show(ref)

        def human(d: dict[str, Any]) -> None:
            err.print(f"[bold]{d['title']}[/bold]  {d.get('doc_number') or ''}", highlight=False)
            for key in ("id", "issuer", "publication_date", "effective_date", "expiry_date", "label", "status_reason"):
                err.print(f"  {key}: {d.get(key)}", highlight=False)
            err.print(f"  articles: {len(d['articles'])}, relations: {len(d['relations'])}")

        _emit(data, as_json, human)


@app.command()
def check(ref: Annotated[str, typer.Argument(help="Id, 文号, registration number or exact title.")],
          at: Annotated[str | None, typer.Option(help="Date to ask about (YYYY-MM-DD); default today.")] = None,
          as_json: JsonOpt = False) -> None:
    """Is this document valid (还有效吗), today or on a given date?"""
    day = _parse_day(at, "--at")
    with _registry(as_json) as reg:
        data = reg.check(ref, day)
        _emit(data, as_json, lambda d: err.print(
            f"{d['document']['title']}：{d['label']}（{d['as_of']}）— {d['reason']}", highlight=False))


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Keywords or a question, in Chinese or English.")],
    status: Annotated[list[str] | None, typer.Option(help="Only these statuses (repeatable).")] = None,
    issuer: Annotated[str | None, typer.Option(help="Only this issuing authority.")] = None,
    category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
    year: Annotated[int | None, typer.Option(help="Only documents published this year.")] = None,
    sort: Annotated[str, typer.Option(help="relevance, newest or oldest.")] = "relevance",
    limit: Annotated[int, typer.Option(min=1, max=100, help="How many hits.")] = 10,
    as_json: JsonOpt = False,
) -> None:
    """Search documents (same result shape as GET /api/v1/search)."""
    from search.model import SearchQuery

    if sort not in ("relevance", "newest", "oldest"):
        raise typer.BadParameter("use relevance, newest or oldest", param_hint="--sort")
    params = SearchQuery(q=query, statuses=status or [], issuers=[issuer] if issuer else [],
                          categories=[category] if category else [], years=[year] if year else [],
                          sort=sort, per_page=limit)  # type: ignore[arg-type]  # checked above
    with _registry(as_json) as reg:
        data = reg.search(params)

        def human(d: dict[str, Any]) -> None:
            err.print(f"{d['total']} documents ({d['took_ms']} ms)")
            for h in d["hits"]:
                err.print(f"[{h['label']}] {h['title']} {h['doc_number'] or ''}  {h['id']}", highlight=False)

        _emit(data, as_json, human)


@app.command()
def reindex(as_json: JsonOpt = False) -> None:
    """Rebuild the search index from the registry."""
    with _registry(as_json) as reg, _progress(not as_json and sys.stderr.isatty(), "indexing") as progress:
        n = reg.reindex(progress)
        _emit({"indexed": n}, as_json, lambda d: err.print(f"indexed {d['indexed']} documents"))


@app.command()
def doctor(
    anchor: Annotated[list[str] | None, typer.Option(
        help="ID:HASH of an audit entry as published (Atom feed's nr:auditHead, a backup's manifest); repeatable."
    )] = None,
    as_json: JsonOpt = False,
) -> None:
    """Check that the registry, the search index, the stored files and the audit log agree."""
    anchors: list[tuple[int, str]] = []
    for value in anchor or []:
        entry, _, digest = value.partition(":")
        if not entry.isdigit() or len(digest) != 64:
            raise typer.BadParameter("use ID:HASH, e.g. 42:3f…(64 hex digits)", param_hint="--anchor")
        anchors.append((int(entry), digest.lower()))
    with _registry(as_json) as reg:
        data = reg.diagnose(anchors=anchors)

        def human(d: dict[str, Any]) -> None:
            err.print("ok" if d["ok"] else f"{len(d['problems'])} problems")
            for p in d["problems"][:50]:
                err.print(f"  {p}", highlight=False)

        _emit(data, as_json, human)
        if not data["ok"]:
            raise typer.Exit(1)


@app.command()
def worker(
    once: Annotated[bool, typer.Option(help="Drain the outbox once and exit.")] = False,
    interval: Annotated[float, typer.Option(help="Seconds between polls.")] = 1.0,
    deliver: Annotated[bool, typer.Option(help="Also deliver webhooks and mail digests (see `normreg deliver`).")
                       ] = True,
    exports: Annotated[bool, typer.Option(help="Also run queued export jobs (large exports).")] = True,
    as_json: JsonOpt = False,
) -> None:
    """Feed the search index from the outbox, deliver webhooks and mail, and run export jobs (production:
    several API processes with NORMREG_INDEX_INLINE, NORMREG_DELIVER_INLINE and NORMREG_EXPORT_JOBS_INLINE
    off, one worker)."""
    import time

    with _registry(as_json) as reg:
        total, delivered, exported = 0, 0, 0
        while True:
            total += reg.drain_index()
            if deliver:
                delivered += reg.deliver()["delivered"]
            if exports:
                exported += reg.run_export_jobs()["done"]
            if once:
                break
            time.sleep(interval)
        _emit({"indexed": total, "delivered": delivered, "exports_done": exported}, as_json,
              lambda d: err.print(f"indexed {d['indexed']} documents, delivered {d['delivered']} webhook calls, "
                                  f"finished {d['exports_done']} exports"))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Serve the HTTP API, the web pages and the widget."""
    import uvicorn

    with _registry(False) as reg:
        reg.init()
    err.print(f"normreg serving on http://{host}:{port}")
    uvicorn.run("registry.http.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="info", proxy_headers=False)  # NORMREG_TRUSTED_PROXIES decides


# Command groups kept in their own modules (they share registry.cli.common).
app.add_typer(clearing_app, name="clearing")
app.add_typer(records_app, name="record")
app.add_typer(tokens_app, name="token")
app.add_typer(offices_app, name="office")
app.add_typer(users_app, name="user")
app.command("demo-accounts")(demo_accounts)
app.command()(sweep)
app.command()(report)
app.command()(deliver)


@app.command()
def backup(
    target: Annotated[Path, typer.Argument(help="Where to write the snapshot (.tar.gz).")],
    as_json: JsonOpt = False,
) -> None:
    """Take a consistent online snapshot of the database and the stored files."""
    with _registry(as_json) as reg:
        data = reg.backup(target)
        _emit(data, as_json, lambda d: err.print(f"backup written to {target}: {d['tables']}, {d['files']} files"))


@app.command()
def restore(
    source: Annotated[Path, typer.Argument(help="A snapshot written by `normreg backup`.")],
    as_json: JsonOpt = False,
) -> None:
    """Restore a snapshot into an empty database, then rebuild the search index."""
    with _registry(as_json) as reg:
        data = reg.restore(source)
        _emit(data, as_json, lambda d: err.print(f"restored {d['restored']}, {d['files']} files, "
                                                 f"indexed {d['indexed']}"))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
