"""Trust: signed validity statements, status badges and 审查建议 (review suggestions)."""

from __future__ import annotations

from registry.actions.scope import ScopedRuntime


class TrustActions(ScopedRuntime):
    """Trust actions of :class:`registry.facade.Registry`."""
