"""``normreg token create|list|revoke``: API tokens for staff. The secret is printed once, never stored."""

from __future__ import annotations

from typing import Annotated, Any

import typer

tokens_app = typer.Typer(help="Manage API tokens (roles: clerk, reviewer, admin).", no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print exactly one JSON document on standard output.")]


@tokens_app.command("create")
def create(
    name: Annotated[str, typer.Option(help="Who holds the token; recorded as the actor of their writes.")],
    role: Annotated[str, typer.Option(help="clerk (record events, edit), reviewer (confirm), admin (tokens).")],
    as_json: JsonOpt = False,
) -> None:
    """Create a token and print it once: {"token", "name", "role"}."""
    from registry.cli.common import _emit, _registry, err
    from registry.services.auth import ROLES

    if role not in ROLES:
        raise typer.BadParameter("use clerk, reviewer or admin", param_hint="--role")
    with _registry(as_json) as reg:
        reg.init()
        row, secret = reg.create_token(name, role=role)
        data = {"token": secret, "name": row.name, "role": row.role}

        def human(d: dict[str, Any]) -> None:
            err.print(f"token for {d['name']} ({d['role']}); shown once, keep it safe:", highlight=False)
            print(d["token"])

        _emit(data, as_json, human)


@tokens_app.command("list")
def list_(as_json: JsonOpt = False) -> None:
    """List tokens (names, roles, dates); secrets and hashes are never shown."""
    from registry.cli.common import _emit, _registry, err
    from registry.services.auth import token_public

    with _registry(as_json) as reg:
        reg.init()
        data = {"tokens": [token_public(t) for t in reg.list_tokens()]}

        def human(d: dict[str, Any]) -> None:
            for t in d["tokens"]:
                state = f"revoked {t['revoked_at']}" if t["revoked_at"] else "active"
                err.print(f"{t['name']}\t{t['role']}\t{t['created_at']}\t{state}", highlight=False)

        _emit(data, as_json, human)


@tokens_app.command("revoke")
def revoke(name: Annotated[str, typer.Argument(help="The token's name.")], as_json: JsonOpt = False) -> None:
    """Revoke a token by name; it stops working at once."""
    from registry.cli.common import _emit, _registry, err
    from registry.services.auth import token_public

    with _registry(as_json) as reg:
        reg.init()
        data = token_public(reg.revoke_token(name))
        _emit(data, as_json, lambda d: err.print(f"revoked {d['name']}", highlight=False))
