"""Law over time: a document's text versions, the text in force on a date, and diffs between versions."""

from __future__ import annotations

from registry.actions.scope import ScopedRuntime


class VersionActions(ScopedRuntime):
    """Law over time actions of :class:`registry.facade.Registry`."""
