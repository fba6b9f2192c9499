"""The registry's runtime: settings, clock, engines, sessions that feed the index, the search backend.

:class:`registry.facade.Registry` builds on it and adds the actions. Every session opened here carries
the feeder that the commit hook in :mod:`registry.storage.outbox` calls after a commit that queued
documents for the index.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, date, datetime
from functools import cached_property

from sqlalchemy import Engine
from sqlmodel import Session

from registry.errors import InvalidInput
from registry.settings import Settings
from registry.storage import feed_process, indexing, outbox
from registry.storage.audit import cli_actor
from registry.storage.db import make_engine, migrate
from registry.storage.files import FileStore, LocalFileStore
from registry.storage.files_db import DatabaseFileStore
from search.model import SearchBackend

Clock = Callable[[], date]
Progress = Callable[[int, int, str], None]  # (done, total, what is being done)


class Runtime:
    """What every action stands on: settings, clock, database engines, sessions and the search backend.

    ``actor`` names whoever a write is attributed to when a method is not told (the command line's
    operating-system user); HTTP routes always pass the signed-in account or token. ``clock`` gives
    "today" (tests pass a fixed day).
    """

    def __init__(self, settings: Settings | None = None, *, clock: Clock | None = None,
                 actor: str | None = None) -> None:
        self.settings = settings or Settings()
        self.engine: Engine = make_engine(self.settings.resolved_database_url)
        self._clock = clock or date.today
        self._actor = actor
        self._drain_lock = threading.Lock()
        self._drain_pending = False

    def today(self) -> date:
        """Today as this registry sees it (the clock it was given)."""
        return self._clock()

    def now(self) -> datetime:
        """The instant as this registry sees it, UTC: its clock's ``now()`` when it has one (a test's
        :class:`registry.actions.follows.MovingClock`), the system's time otherwise. Leases, deliveries and
        expiries all read it, so a test moves them all by moving one clock."""
        clock_now = getattr(self._clock, "now", None)
        value = clock_now() if callable(clock_now) else datetime.now(UTC)
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    @property
    def default_actor(self) -> str:
        """Who a write is attributed to when the caller does not say."""
        return self._actor or cli_actor()

    def session(self) -> Session:
        """A session for work that may write (on SQLite it holds the write lock while open). Its commits
        feed the search index by themselves."""
        session = Session(self.engine, expire_on_commit=False)
        session.info[outbox.FEEDER] = self.feed_index
        if self.settings.index_inline:
            session.info[outbox.FEED_PROCESS] = self._fed_by_process
        session.info["settings"] = self.settings  # hooks that run inside a write (the basis watch's due days)
        return session

    @cached_property
    def read_engine(self) -> Engine:
        if self.engine.dialect.name != "sqlite":
            return self.engine
        return make_engine(self.settings.resolved_database_url, read_only=True)

    def read_session(self) -> Session:
        """A session for reading only: never takes SQLite's write lock, so readers run side by side."""
        return Session(self.read_engine, expire_on_commit=False)

    @cached_property
    def files(self) -> FileStore:
        """Where stored files (sources, attachments, finished exports) are kept (``NORMREG_FILE_STORE``):
        with PostgreSQL, in the database by default, so every API process of a scaled-out installation
        serves every file; with SQLite (one machine), on its disk."""
        choice, dialect = self.settings.file_store, self.engine.dialect.name
        if choice == "database" and dialect == "sqlite":
            raise InvalidInput("NORMREG_FILE_STORE=database 需要 PostgreSQL (needs PostgreSQL: on SQLite a stored "
                               "file would wait for the write lock an import holds); use local or auto")
        if choice == "database" or (choice == "auto" and dialect == "postgresql"):
            return DatabaseFileStore(self.engine, self.settings.data_dir / "tmp")
        return LocalFileStore(self.settings.files_dir)

    @cached_property
    def backend(self) -> SearchBackend:
        from search import open_backend

        s = self.settings
        return open_backend(s.search_url, s.data_dir, key=s.search_key)

    @contextmanager
    def _batch(self) -> Iterator[Session]:
        """A writing session whose many commits feed the index once, at the end (a bulk import)."""
        queued: list[bool] = []
        with self.session() as session:
            session.info[outbox.FEEDER] = lambda: queued.append(True)
            try:
                yield session
            finally:
                if queued:
                    self.feed_index()

    def _fed_by_process(self, documents: int) -> AbstractContextManager[Callable[[], None]] | None:
        """A bulk import's index feed in a process of its own (:mod:`registry.storage.feed_process`) for
        ``documents`` documents, when there are enough to pay for its start (``index_feed_process_from``)."""
        return self._feed_process() if documents >= self.settings.index_feed_process_from else None

    @contextmanager
    def _feed_process(self) -> Iterator[Callable[[], None]]:
        """Yields the call that wakes the feed process. Once it has finished, what it could not feed (it
        died, or never started) is fed here, and this process's index reader is brought to its last commit."""
        try:
            with feed_process.feeding(self.settings) as wake:
                yield wake
        finally:
            self.feed_index()
            self.backend.optimize()  # reloads the readers: the commits were another process's

    def init(self) -> str | None:
        """Create or migrate the database and the directories it needs; rebuild an outdated search index."""
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        revision = migrate(self.engine)
        indexing.upgrade_index(self.engine, self.backend)
        return revision

    def feed_index(self) -> int:
        """Bring the search index up to date when it is fed inline (one machine); called by the commit hook.

        Single-flight per process: while one thread drains the outbox, others only flag that there is
        more, and the draining thread goes round again. Two hundred concurrent writes thus cause a few
        drains, not two hundred competing ones (which exhaust the connection pool on PostgreSQL).
        """
        if not self.settings.index_inline:
            return 0
        self._drain_pending = True
        total = 0
        while self._drain_pending:
            if not self._drain_lock.acquire(blocking=False):
                return total  # the thread holding the lock re-checks the flag after releasing it
            try:
                while self._drain_pending:
                    self._drain_pending = False
                    total += indexing.drain_outbox(self.engine, self.backend)
            finally:
                self._drain_lock.release()
        return total
