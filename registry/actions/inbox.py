"""Each user's inbox: what is due and overdue, with counts for the navigation."""

from __future__ import annotations

from typing import Any

from registry.actions.scope import ActorLike, ScopedRuntime
from registry.services import inbox


class InboxActions(ScopedRuntime):
    """Each user's inbox actions of :class:`registry.facade.Registry`."""

    def inbox(self, actor: ActorLike) -> dict[str, Any]:
        """What is due and overdue within ``actor``'s reach today, by section, each with its deadline."""
        who = self._who(actor)
        with self.read_session() as s:
            return inbox.build_inbox(s, reach=who.reach, reviewer=who.may("reviewer"), actor=who.name,
                                     today=self.today(), settings=self.settings)

    def inbox_counts(self, actor: ActorLike) -> dict[str, int]:
        """The navigation's counts by path: how many things wait in ``actor``'s inbox."""
        return {"/staff/inbox": int(self.inbox(actor)["total"])}
