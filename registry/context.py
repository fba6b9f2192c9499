"""The running application's shared parts: settings, database engine and search backend.

The CLI builds one per command, the HTTP app one per process; tests build their own with a temporary
data dir. Nothing here is global, so two registries (SQLite and PostgreSQL) can live in one test run.
"""

from __future__ import annotations

import threading
from datetime import date
from functools import cached_property

from sqlalchemy import Engine
from sqlmodel import Session

from registry.db import make_engine, migrate
from registry.indexing import drain_outbox, upgrade_index
from registry.settings import Settings
from search.model import SearchBackend


class Registry:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine: Engine = make_engine(settings.resolved_database_url)
        self._drain_lock = threading.Lock()
        self._drain_pending = False

    def session(self) -> Session:
        """A session for work that may write (on SQLite it holds the write lock while open)."""
        return Session(self.engine, expire_on_commit=False)

    @cached_property
    def read_engine(self) -> Engine:
        if self.engine.dialect.name != "sqlite":
            return self.engine
        return make_engine(self.settings.resolved_database_url, read_only=True)

    def read_session(self) -> Session:
        """A session for reading only: never takes SQLite's write lock, so readers run side by side."""
        return Session(self.read_engine, expire_on_commit=False)

    @cached_property
    def backend(self) -> SearchBackend:
        from search import open_backend

        s = self.settings
        return open_backend(s.search_url, s.data_dir, key=s.search_key)

    def init(self) -> str | None:
        """Create or migrate the database and the directories it needs; rebuild an outdated search index."""
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.settings.files_dir.mkdir(parents=True, exist_ok=True)
        revision = migrate(self.engine)
        upgrade_index(self.engine, self.backend)
        return revision

    def after_commit(self) -> int:
        """Bring the search index up to date when it is fed inline (one machine).

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
                    total += drain_outbox(self.engine, self.backend)
            finally:
                self._drain_lock.release()
        return total

    @staticmethod
    def today() -> date:
        return date.today()

    def close(self) -> None:
        if "backend" in self.__dict__:
            self.backend.close()
        if "read_engine" in self.__dict__ and self.read_engine is not self.engine:
            self.read_engine.dispose()
        self.engine.dispose()
