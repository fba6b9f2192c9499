"""What every ``normreg`` command shares: the --json option, one way to print, one way to fail.

Commands live in several modules of ``registry/cli/`` (``app``, ``clearing``, ``records``, ``tokens``); they all import these
helpers from here, so output and exit codes are the same everywhere.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated, Any, NoReturn

import typer
from pydantic import BaseModel
from rich.console import Console

from ingest.errors import IngestError
from registry.errors import InvalidInput, NormregError
from registry.facade import Registry
from registry.rules.dates import parse_date
from registry.settings import Settings
from registry.storage.db import current_revision

err = Console(stderr=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print exactly one JSON document on standard output.")]


def dump(data: Any) -> str:
    """``--json`` output: a typed answer is printed as the API serialises it (unset optional fields left out)."""
    if isinstance(data, BaseModel):
        return data.model_dump_json(exclude_unset=True)
    return json.dumps(data, ensure_ascii=False, default=str)


def fail(message: str, *, as_json: bool, code: str = "failed", details: Any = None) -> NoReturn:
    if as_json:
        print(dump({"error": {"code": code, "message": message, "details": details}}))
    err.print(f"[red]error:[/red] {message}", highlight=False, markup=True)
    raise typer.Exit(1)


def _uninitialised(reg: Registry) -> bool:
    """True when the database has no schema at all (a command was run before `normreg init`)."""
    try:
        return current_revision(reg.engine) is None
    except Exception:
        return False


@contextmanager
def open_registry(as_json: bool) -> Iterator[Registry]:
    """Open the registry from the environment and turn every library error into a clean exit 1."""
    reg: Registry | None = None
    try:
        reg = Registry(Settings())
        yield reg
    except typer.Exit:
        raise
    except NormregError as exc:
        fail(exc.message, as_json=as_json, code=exc.code, details=exc.details)
    except IngestError as exc:
        fail(str(exc), as_json=as_json, code=getattr(exc, "code", "ingest_failed"))
    except Exception as exc:
        if os.environ.get("NORMREG_DEBUG"):
            raise
        if reg is not None and _uninitialised(reg):
            fail(f"there is no registry at {reg.engine.url.render_as_string(hide_password=True)} yet: "
                 "run `normreg init` (or set NORMREG_DATA_DIR / NORMREG_DATABASE_URL to an existing one)",
                 as_json=as_json, code="not_initialised")
        fail(f"{type(exc).__name__}: {exc}", as_json=as_json, code="internal_error")
    finally:
        if reg is not None:
            reg.close()


def parse_day(value: str | None, name: str) -> date | None:
    try:
        return parse_date(value, name)
    except InvalidInput as exc:  # a usage error on the command line: exit status 2
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=name) from exc


def emit(data: Any, as_json: bool, human: Callable[[Any], None]) -> None:
    if as_json:
        print(dump(data))
    else:
        human(data)


# Short names used across the command modules.
_dump, _fail, _registry, _parse_day, _emit = dump, fail, open_registry, parse_day, emit
