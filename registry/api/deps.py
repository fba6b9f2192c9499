"""Dependencies as named ``Annotated`` aliases: routes ask for ``SessionDep`` or ``RegistryDep``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from registry.context import Registry


async def get_registry(request: Request) -> Registry:
    return request.app.state.registry  # type: ignore[no-any-return]


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A read-only session for GET/HEAD (readers never wait on writers), a writing one otherwise."""
    registry: Registry = request.app.state.registry
    opener = registry.read_session if request.method in READ_METHODS else registry.session
    with opener() as session:
        yield session


RegistryDep = Annotated[Registry, Depends(get_registry)]
SessionDep = Annotated[Session, Depends(get_session)]
