"""Follows and deliveries: followed documents and saved searches, webhooks and mail subscriptions."""

from __future__ import annotations

from registry.actions.scope import ScopedRuntime


class FollowActions(ScopedRuntime):
    """Follows and deliveries actions of :class:`registry.facade.Registry`."""
