"""Dependencies as named ``Annotated`` aliases: routes ask for ``RegistryDep`` (the façade opens its own
sessions) and use ``Year`` for year filters."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from pydantic import Field

from registry.facade import Registry


async def get_registry(request: Request) -> Registry:
    return request.app.state.registry  # type: ignore[no-any-return]


RegistryDep = Annotated[Registry, Depends(get_registry)]

# A year filter: bounded like ``GET /api/v1/documents?year=`` so no filter can build an impossible date
# (``date(99999, 1, 1)`` was a 500 on the export, found by schemathesis).
Year = Annotated[int, Field(ge=1900, le=2100)]
