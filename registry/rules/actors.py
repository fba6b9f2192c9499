"""Who is acting and what they may touch: roles in order, and an office-based reach.

Pure rules, no storage: the reach (the offices whose documents an actor may edit) is computed once
when the actor is authenticated (:func:`registry.services.accounts.actor_for`) and carried here.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES: tuple[str, ...] = ("clerk", "reviewer", "admin")

# Events that decide a document's status (or undo a record) rather than record a fact: a reviewer's, never
# a clerk's alone (four eyes). A clerk proposes them in the workspace; a reviewer confirms. Filing, legality
# review, renewal, interpretation links and notes are facts the office records itself.
DECISION_EVENT_TYPES = frozenset({
    "filing_reviewed", "cleared", "revoked", "repealed", "amended", "declared_invalid", "partially_invalid",
    "expired", "status_asserted",
})


@dataclass(frozen=True, slots=True)
class Actor:
    """The authenticated caller; ``name`` is what every write records as its actor.

    ``reach`` is the set of office ids whose documents this actor may edit: a clerk's own office, a
    reviewer's office and every office under it. ``None`` means every office (an admin, the operator at the
    command line, a machine token that belongs to no user).
    """

    name: str
    role: str
    user_id: int | None = None
    office_id: int | None = None
    reach: frozenset[int] | None = None
    display_name: str | None = None

    def may(self, role: str) -> bool:
        """True when this actor's role is ``role`` or above it."""
        return ROLES.index(self.role) >= ROLES.index(role)

    def may_edit(self, office_id: int | None) -> bool:
        """May this actor change a document of ``office_id`` (None: a document no office registered)?"""
        if self.reach is None:
            return True
        return office_id is not None and office_id in self.reach


def may_record(actor: Actor, event_type: str) -> bool:
    """May ``actor`` record an event of ``event_type`` (decisions need a reviewer)?"""
    return event_type not in DECISION_EVENT_TYPES or actor.may("reviewer")


def operator(name: str) -> Actor:
    """The person at the command line (or a test): trusted with everything, recorded under ``name``."""
    return Actor(name=name, role="admin")
