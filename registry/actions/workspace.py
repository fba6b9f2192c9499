"""The document workspace: proposals a reviewer confirms, the timeline, the audit trail."""

from __future__ import annotations

from registry.actions.scope import ScopedRuntime


class WorkspaceActions(ScopedRuntime):
    """The document workspace actions of :class:`registry.facade.Registry`."""
