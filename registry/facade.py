"""``Registry``: the library object. Every action a user can take is one typed method here.

Like ``sqlite_utils.Database``, this is the one class to read to learn what the registry can do
(``help(Registry)`` lists every action; the methods live in :mod:`registry.actions`, one mixin per
subject). Each method opens its own session (and so its transaction), reads its own settings and clock,
and returns a model or a plain answer; the CLI and the HTTP routes only parse input, call one method and
render the result. Writes reach the search index by themselves: every session this object opens carries
a feeder that the commit hook in :mod:`registry.storage.outbox` calls after a commit that queued
documents.

Nothing here is global, so two registries (SQLite and PostgreSQL) can live in one process.
"""

from __future__ import annotations

from registry.actions.accounts import AccountActions
from registry.actions.admin import AdminActions
from registry.actions.articles import ArticleActions
from registry.actions.basis import BasisActions
from registry.actions.clearing import ClearingActions
from registry.actions.export_jobs import ExportJobActions
from registry.actions.follows import FollowActions
from registry.actions.inbox import InboxActions
from registry.actions.intake import IntakeActions
from registry.actions.reading import ReadingActions
from registry.actions.records import RecordActions
from registry.actions.trust import TrustActions
from registry.actions.versions import VersionActions
from registry.actions.workspace import WorkspaceActions
from registry.storage.runtime import Clock, Progress

__all__ = ["Clock", "Progress", "Registry"]


class Registry(ReadingActions, RecordActions, IntakeActions, WorkspaceActions, InboxActions, ClearingActions,
               AccountActions, AdminActions, BasisActions, VersionActions, ArticleActions, FollowActions,
               TrustActions, ExportJobActions):
    """A normreg installation: its database, its search index and every action on them.

    ``actor`` names whoever a write is attributed to when a method is not told (the command line's
    operating-system user); HTTP routes always pass the signed-in account or token. ``clock`` gives
    "today" (tests pass a fixed day). Engines, sessions and the index feed come from
    :class:`registry.storage.runtime.Runtime`.
    """
