"""Each user's inbox: what is due and overdue, with counts for the navigation."""

from __future__ import annotations

from registry.actions.scope import ScopedRuntime


class InboxActions(ScopedRuntime):
    """Each user's inbox actions of :class:`registry.facade.Registry`."""
