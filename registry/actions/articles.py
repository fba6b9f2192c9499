"""Article-level validity: which articles of a partially invalid document lost effect, from when and why."""

from __future__ import annotations

from registry.actions.scope import ScopedRuntime


class ArticleActions(ScopedRuntime):
    """Article-level validity actions of :class:`registry.facade.Registry`."""
