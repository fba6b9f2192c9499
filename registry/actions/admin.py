"""Running an installation: the index, health, API tokens, backup and restore."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from registry.actions.scope import ActorLike, ScopedRuntime
from registry.models import (
    ApiToken,
)
from registry.services import (
    auth,
    backup,
    delivery_keys,
    health,
    signing,
)
from registry.storage import audit, indexing
from registry.storage.runtime import Progress


class AdminActions(ScopedRuntime):
    """Running an installation actions of :class:`registry.facade.Registry`."""

    def drain_index(self) -> int:
        """Apply every pending outbox entry now, whatever ``index_inline`` says (``normreg worker``)."""
        return indexing.drain_outbox(self.engine, self.backend)

    def reindex(self, progress: Progress | None = None) -> int:
        """Rebuild the search index from the registry alone; searches see the old index until it is done."""
        return indexing.reindex(self.engine, self.backend, progress)

    def diagnose(self, *, anchors: Iterable[tuple[int, str]] = ()) -> dict[str, Any]:
        """Do registry, search index, stored files and the audit chain agree (``normreg doctor``)? Each
        anchor (an audit entry's id and the hash published for it) must still hold."""
        return health.diagnose(self.engine, self.read_engine, self.backend, self.files, anchors)

    def audit_head(self) -> dict[str, Any] | None:
        """The newest audit entry's id and hash, published in the Atom feed and kept in backups."""
        with self.read_engine.connect() as conn:
            return audit.head(conn)

    def close(self) -> None:
        """Close the search index and the database connections."""
        if "backend" in self.__dict__:
            self.backend.close()
        if "read_engine" in self.__dict__ and self.read_engine is not self.engine:
            self.read_engine.dispose()
        self.engine.dispose()

    def list_tokens(self) -> list[ApiToken]:
        """Every API token (hashes only; secrets are never kept)."""
        with self.read_session() as s:
            return auth.list_tokens(s)

    def authenticate(self, token: str) -> auth.Actor | None:
        """The actor holding ``token``, or None for an unknown or revoked one."""
        with self.read_session() as s:
            return auth.authenticate(s, token)

    def create_token(self, name: str, *, role: str, actor: ActorLike = None) -> tuple[ApiToken, str]:
        """A new API token for a machine; the secret is returned once and only its hash is kept."""
        with self.session() as s:
            return auth.create_token(s, name=name, role=role, actor=self._who(actor).name)

    def revoke_token(self, name: str, *, actor: ActorLike = None) -> ApiToken:
        """Revoke a token by name; it stops working at once."""
        with self.session() as s:
            return auth.revoke_token(s, name=name, actor=self._who(actor).name)

    def _key_files(self) -> dict[str, Path]:
        """The registry's own keys, by the name they have in a backup."""
        return {"signing-key.pem": signing.key_path(self.settings),
                "delivery.key": self.settings.data_dir / delivery_keys.KEY_FILE}

    def backup(self, target: Path) -> dict[str, Any]:
        """Write a consistent online snapshot of the database, the stored files and the registry's keys."""
        return backup.backup(self.engine, self.files, target, keys=self._key_files())

    def restore(self, source: Path, *, actor: ActorLike = None) -> dict[str, Any]:
        """Restore a snapshot into an empty database, then rebuild the search index from it."""
        self.init()
        data = backup.restore(self.engine, self.files, source, actor=self._who(actor).name,
                              keys=self._key_files())
        delivery_keys.forget(self.settings)  # the restored keys, not the ones this process read before
        self.__dict__.pop("signing_key", None)
        data["indexed"] = self.reindex()
        return data
