"""The basis watch: what each document is based on (上位法), and the review tasks opened when a basis changes."""

from __future__ import annotations

from registry.actions.scope import ScopedRuntime


class BasisActions(ScopedRuntime):
    """The basis watch actions of :class:`registry.facade.Registry`."""
