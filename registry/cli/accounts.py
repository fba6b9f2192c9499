"""``normreg office add|list`` and ``normreg user add|list``: bootstrap the offices and staff accounts.

A password is read from standard input (twice, hidden, at a terminal; the first line otherwise), never
from an argument, so it does not end up in the shell's history or the process list.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

offices_app = typer.Typer(help="Offices (机关) that register documents.", no_args_is_help=True)
users_app = typer.Typer(help="Staff accounts (roles: clerk, reviewer, admin).", no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print exactly one JSON document on standard output.")]


@offices_app.command("add")
def office_add(
    name: Annotated[str, typer.Argument(help="Full name, e.g. 示例市司法局.")],
    code: Annotated[str, typer.Option(help="Short code used in registration numbers, e.g. SD03.")],
    parent: Annotated[str | None, typer.Option(help="The office above it (name or code).")] = None,
    region: Annotated[str | None, typer.Option(help="Jurisdiction code, e.g. SL (inherited from the parent).")] = None,
    pattern: Annotated[str | None, typer.Option(help="Own 统一登记号 pattern, e.g. {region}{code}-{year}-{seq:04}.")]
    = None,
    as_json: JsonOpt = False,
) -> None:
    """Add an office: {"id", "name", "code", "parent", "region", "number_pattern"}."""
    from registry.cli.common import _emit, _registry, err

    with _registry(as_json) as reg:
        reg.init()
        data = reg.add_office(name, code=code, parent=parent, region=region, number_pattern=pattern)
        _emit(data, as_json, lambda d: err.print(f"office {d['name']} ({d['code']}) added", highlight=False))


@offices_app.command("list")
def office_list(as_json: JsonOpt = False) -> None:
    """List offices with their codes and parents."""
    from registry.cli.common import _emit, _registry, err

    with _registry(as_json) as reg:
        reg.init()

        def human(d: dict[str, Any]) -> None:
            for o in d["offices"]:
                err.print(f"{o['code']}\t{o['name']}\t{o['parent'] or ''}", highlight=False)

        _emit({"offices": reg.list_offices()}, as_json, human)


def read_password(prompt: bool) -> str:
    """The new password: asked twice without echo at a terminal, else the first line of standard input."""
    if prompt and sys.stdin.isatty():
        first = typer.prompt("密码 Password", hide_input=True)
        if typer.prompt("再次输入 Repeat", hide_input=True) != first:
            raise typer.BadParameter("the two passwords differ")
        return str(first)
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise typer.BadParameter("give the password on standard input (e.g. `printf '%s\\n' \"$PW\" | normreg user add …`)")
    return line


@users_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="Login name: lowercase letters, digits, . _ -")],
    office: Annotated[str, typer.Option(help="The user's office (name or code).")],
    role: Annotated[str, typer.Option(help="clerk (registers, records), reviewer (confirms), admin.")],
    display_name: Annotated[str | None, typer.Option("--name", help="Name shown on pages, e.g. 李明.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a staff account; the password comes from standard input, never from an argument."""
    from registry.cli.common import _emit, _registry, err

    password = read_password(prompt=not as_json)
    with _registry(as_json) as reg:
        reg.init()
        data = reg.add_user(username, office=office, role=role, password=password, display_name=display_name)
        _emit(data, as_json, lambda d: err.print(f"user {d['username']} ({d['role']}, {d['office']}) added",
                                                 highlight=False))


@users_app.command("list")
def user_list(as_json: JsonOpt = False) -> None:
    """List staff accounts (never passwords or second-factor secrets)."""
    from registry.cli.common import _emit, _registry, err

    with _registry(as_json) as reg:
        reg.init()

        def human(d: dict[str, Any]) -> None:
            for u in d["users"]:
                err.print(f"{u['username']}\t{u['display_name']}\t{u['role']}\t{u['office']}", highlight=False)

        _emit({"users": reg.list_users()}, as_json, human)


def demo_accounts(as_json: JsonOpt = False) -> None:
    """Create the demo offices and users for trying the workbench and print their usernames and passwords
    (development only: refused unless NORMREG_ENVIRONMENT=development). Running it again is harmless."""
    from registry.cli.common import _emit, _registry, err

    with _registry(as_json) as reg:
        reg.init()
        data = reg.demo_accounts()

        def human(d: dict[str, Any]) -> None:
            err.print(f"demo offices added: {', '.join(d['offices_added']) or 'none (they exist)'}; "
                      f"documents given their office: {d['documents_assigned']}", highlight=False)
            err.print("sign in at /staff/sign-in (development only) with:", highlight=False)
            for u in d["users"]:
                print(f"{u['username']:<10} {u['password']}  {u['role']:<8} {u['office']}  {u['display_name']}")

        _emit(data, as_json, human)
