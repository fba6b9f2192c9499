"""normreg, the application. ``from registry import Registry`` gives the library object: every action a
user can take is one method of it (see ``registry/facade.py`` and ``docs/architecture.md``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from registry.facade import Registry

__all__ = ["Registry"]


def __getattr__(name: str) -> Any:
    # Lazy, so that importing a pure rule (registry.rules.status) does not load the database layer.
    if name == "Registry":
        from registry.facade import Registry

        return Registry
    raise AttributeError(f"module 'registry' has no attribute {name!r}")
