"""Intake and registration (登记): uploads reviewed before registering, 统一登记号, publishing."""

from __future__ import annotations

from registry.actions.scope import ScopedRuntime


class IntakeActions(ScopedRuntime):
    """Intake and registration (登记) actions of :class:`registry.facade.Registry`."""
