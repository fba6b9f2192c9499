"""Recording the everyday lifecycle facts from the command line: ``normreg record filing|legality-review|
filing-review|renewal|interpretation``. Each parses its input, calls the lifecycle service the HTTP API calls,
and prints its answer (one JSON document with ``--json``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

import typer
from pydantic import BaseModel

from registry.cli.common import JsonOpt, _emit, _parse_day, _registry, err
from registry.facade import Registry

records_app = typer.Typer(help="Record filing, reviews, renewals and interpretations.", no_args_is_help=True)
Ref = Annotated[str, typer.Argument(help="The document: id, 文号, registration number or exact title.")]
On = Annotated[str, typer.Option("--on", help="Date it happened (YYYY-MM-DD).")]


def _say(d: BaseModel) -> None:
    err.print(", ".join(f"{k}: {v}" for k, v in d.model_dump().items() if not isinstance(v, dict | list)),
              highlight=False)


def _required_day(value: str, name: str) -> date:
    day = _parse_day(value, name)
    if day is None:  # pragma: no cover - typer requires the option
        raise typer.BadParameter("a date is required", param_hint=name)
    return day


def _record(as_json: bool, work: Callable[[Registry], BaseModel]) -> None:
    """Open the registry, run one of its recording methods, print the answer."""
    with _registry(as_json) as reg:
        _emit(work(reg), as_json, _say)


@records_app.command("filing")
def filing(ref: Ref, on: On, filed_with: Annotated[str, typer.Option("--with", help="The supervising body.")],
           number: Annotated[str | None, typer.Option(help="Filing number, if any.")] = None,
           as_json: JsonOpt = False) -> None:
    """Record that a document was filed (备案) with its supervising body; says whether it was late."""
    day = _required_day(on, "--on")
    _record(as_json, lambda reg: reg.record_filing(ref, filed_on=day, filed_with=filed_with, filing_number=number))


@records_app.command("legality-review")
def legality_review(ref: Ref, on: On, reviewer: Annotated[str, typer.Option(help="Who reviewed (合法性审核机构).")],
                    opinion: Annotated[str | None, typer.Option(help="The review opinion.")] = None,
                    as_json: JsonOpt = False) -> None:
    """Record the legality review (合法性审核) carried out before publication."""
    day = _required_day(on, "--on")
    _record(as_json, lambda reg: reg.record_legality_review(ref, reviewed_on=day, reviewer=reviewer, opinion=opinion))


@records_app.command("filing-review")
def filing_review(ref: Ref, on: On, outcome: Annotated[str, typer.Option(help="通过, 纠正 or 撤销.")],
                  reviewer: Annotated[str | None, typer.Option(help="The reviewing body.")] = None,
                  basis: Annotated[str | None, typer.Option(help="Legal basis of the outcome.")] = None,
                  as_json: JsonOpt = False) -> None:
    """Record a filing review (备案审查) outcome; 撤销 makes the document invalid from that date."""
    day = _required_day(on, "--on")
    _record(as_json, lambda reg: reg.record_filing_review(ref, reviewed_on=day, outcome=outcome, reviewer=reviewer,
                                                          legal_basis=basis))


@records_app.command("renewal")
def renewal(ref: Ref, on: On, until: Annotated[str, typer.Option(help="New last day of validity (YYYY-MM-DD).")],
            registration_number: Annotated[str | None, typer.Option(help="New 统一登记号, where required.")] = None,
            basis: Annotated[str | None, typer.Option(help="Decision that renewed it.")] = None,
            as_json: JsonOpt = False) -> None:
    """Record a new validity period (续期)."""
    day, end = _required_day(on, "--on"), _required_day(until, "--until")
    _record(as_json, lambda reg: reg.renew(ref, new_expiry=end, renewed_on=day,
                                           registration_number=registration_number, legal_basis=basis))


@records_app.command("interpretation")
def interpretation(policy: Annotated[str, typer.Argument(help="The policy document.")],
                   by: Annotated[str, typer.Option("--by", help="The interpretation document (政策解读).")],
                   as_json: JsonOpt = False) -> None:
    """Link a policy interpretation (政策解读) to its policy; says whether it came within 3 working days."""
    _record(as_json, lambda reg: reg.link_interpretation(policy, interpretation_ref=by))
