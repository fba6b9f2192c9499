"""``normreg backup`` and ``normreg restore``: a consistent snapshot of the registry and its stored files.

The snapshot is logical (every table as JSON lines, read in one transaction) so that the same file
restores onto SQLite or PostgreSQL, and an export followed by a re-import loses nothing. Stored source
files travel beside the tables in the same tar archive (``files/<name>``), with their sha256 checked on
restore; they are read from the registry's file store and restored into it, streamed a chunk at a time,
so a backup taken with files on disk restores into a database store and the other way round (the
archive's layout did not change when the store became pluggable: older backups restore as before). The
tables of the database store itself are never dumped as rows. The search
index is not backed up: it is a projection, rebuilt after a restore. The registry's own keys (the Ed25519
key that signs validity statements, the key webhook secrets and mail links derive from) travel too, under
``keys/``: without them a restored registry could no longer show its earlier statements authentic, and every
webhook secret and unsubscribe link would change. That is one more reason the archive is owner-only.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, Engine, MetaData, Table, func, insert, select, text, update
from sqlmodel import SQLModel

from registry.errors import Conflict, InvalidInput
from registry.storage import audit
from registry.storage.files import FileMissing, FileStore, check_name

FORMAT = "normreg-backup/1"
# Parents before children, so foreign keys hold while restoring.
TABLE_ORDER = ("documents", "articles", "source_files", "relations", "events", "api_tokens",
               "search_outbox", "status_changes")
# The database file store's own rows: their contents travel as ``files/…`` members instead.
FILE_TABLES = ("stored_files", "stored_file_chunks")


def _tables() -> list[Table]:
    meta: MetaData = SQLModel.metadata
    ordered = [meta.tables[n] for n in TABLE_ORDER if n in meta.tables]
    rest = [t for t in meta.sorted_tables if t.name not in TABLE_ORDER and t.name not in FILE_TABLES]
    return ordered + rest


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


class _Chunks(io.RawIOBase):
    """A stored file's chunks as the readable file object ``tarfile`` copies from, a chunk at a time."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks, self._rest = chunks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._rest:
            self._rest = next(self._chunks, b"")
            if not self._rest:
                return 0
        n = min(len(buffer), len(self._rest))
        buffer[:n], self._rest = self._rest[:n], self._rest[n:]
        return n


def _add_stored(tar: tarfile.TarFile, files: FileStore, name: str) -> bool:
    """Stream the stored file ``name`` into the archive; False when the store no longer has it."""
    try:
        size, chunks = files.size(name), files.iter_bytes(name)
    except FileMissing:
        return False
    info = tarfile.TarInfo(f"files/{name}")
    info.size, info.mtime, info.mode = size, int(datetime.now().timestamp()), 0o600
    tar.addfile(info, io.BufferedReader(_Chunks(chunks), buffer_size=1 << 20))
    return True


def backup(engine: Engine, files: FileStore, target: Path, *, keys: dict[str, Path] | None = None) -> dict[str, Any]:
    """Write a snapshot to ``target`` (a .tar.gz); returns row and file counts. ``keys`` (archive name →
    path) are the registry's key files, stored when they exist."""
    counts: dict[str, int] = {}
    names: list[str] = []
    tmp = target.with_name(target.name + ".part")
    # Owner-only from the first byte: a backup holds password hashes, tokens' hashes and every record.
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    os.chmod(tmp, 0o600)
    with engine.connect() as conn, tarfile.open(tmp, "w:gz") as tar:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
        for table in _tables():
            buf = io.StringIO()
            n = 0
            for row in conn.execute(select(table)).mappings():
                buf.write(json.dumps({k: _encode(v) for k, v in row.items()}, ensure_ascii=False) + "\n")
                n += 1
                if table.name == "source_files" and row["stored_name"]:
                    names.append(str(row["stored_name"]))
            counts[table.name] = n
            _add(tar, f"tables/{table.name}.jsonl", buf.getvalue().encode("utf-8"))
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        head = audit.head(conn)  # an anchor kept outside the database: `normreg doctor --anchor ID:HASH`
        conn.rollback()
        stored = 0
        for name in sorted(set(names)):
            stored += _add_stored(tar, files, name)
        kept = []
        for name, path in sorted((keys or {}).items()):
            if path.is_file():
                _add(tar, f"keys/{name}", path.read_bytes())
                kept.append(name)
        manifest = {"format": FORMAT, "revision": revision, "created_at": datetime.now().isoformat(),
                    "tables": counts, "files": stored, "keys": kept, "audit_head": head}
        _add(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
    tmp.replace(target)
    return manifest


def _decode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in row.items():
        column = table.columns.get(key)
        if column is None:
            continue
        kind = getattr(column.type, "impl", column.type)  # a TypeDecorator (UTC timestamps) stores as its impl
        if value is not None and isinstance(kind, DateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(kind, Date):
            value = date.fromisoformat(value)
        out[key] = value
    return out


def _end_credentials(conn: Any) -> dict[str, int]:
    """Revoke every API token and end every browser session the snapshot brought back: a token revoked
    after the snapshot was taken must not work again, and which ones were cannot be known from it."""
    now = datetime.now(UTC)
    out = {}
    for table in ("api_tokens", "staff_sessions"):
        if table in SQLModel.metadata.tables:
            t = SQLModel.metadata.tables[table]
            out[f"{table}_revoked"] = conn.execute(update(t).where(t.c.revoked_at.is_(None))
                                                   .values(revoked_at=now)).rowcount or 0
    return out


def restore(engine: Engine, files: FileStore, source: Path, *, actor: str,
            keys: dict[str, Path] | None = None) -> dict[str, Any]:
    """Load a snapshot into an empty, migrated database (the caller migrates it first); refuses a database
    that already holds documents.

    The audit log comes back row for row (its hash chain verifies as before), and the restore itself is
    appended to it, in the same transaction. Every API token and browser session comes back revoked:
    staff sign in again and machines get new tokens (``normreg token create``)."""
    if not source.is_file():
        raise InvalidInput(f"backup file not found: {source}")
    with engine.connect() as conn:
        if conn.execute(select(func.count()).select_from(SQLModel.metadata.tables["documents"])).scalar():
            raise Conflict("the database already holds documents; restore into an empty one")
    try:
        tar = tarfile.open(source, "r:gz")  # noqa: SIM115 - closed by the with below
    except (tarfile.TarError, OSError) as exc:
        raise InvalidInput(f"{source.name} is not a normreg backup: {exc}") from exc
    with tar:
        manifest_file = tar.extractfile("manifest.json")
        if manifest_file is None:
            raise InvalidInput(f"{source.name} has no manifest")
        manifest = json.loads(manifest_file.read())
        if manifest.get("format") != FORMAT:
            raise InvalidInput(f"unsupported backup format {manifest.get('format')!r}")
        with engine.begin() as conn:
            for table in _tables():
                dump = tar.extractfile(f"tables/{table.name}.jsonl") if table.name in manifest["tables"] else None
                if dump is None:
                    continue
                rows = [_decode(table, json.loads(line)) for line in dump.read().decode("utf-8").splitlines() if line]
                for start in range(0, len(rows), 1000):
                    conn.execute(insert(table), rows[start:start + 1000])
            if conn.dialect.name == "postgresql":
                for table in _tables():
                    if "id" in table.columns and table.columns["id"].autoincrement is True and str(
                            table.columns["id"].type) == "INTEGER":
                        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                          f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))
            ended = _end_credentials(conn)
            audit.append(conn, [audit.entry(actor=actor, action="backup.restore",
                                            target=source.name, details={"created_at": manifest.get("created_at"),
                                                                         "tables": manifest["tables"], **ended})])
        restored = 0
        for info in tar.getmembers():
            if not info.name.startswith("files/") or not info.isfile():
                continue
            _restore_file(tar, info, files)
            restored += 1
        restored_keys = [name for name, path in sorted((keys or {}).items()) if _restore_key(tar, name, path)]
    return {"restored": manifest["tables"], "files": restored, "keys": restored_keys,
            "revision": manifest.get("revision")}


def _restore_file(tar: tarfile.TarFile, info: tarfile.TarInfo, files: FileStore) -> None:
    """Put the archive member ``info`` (``files/<name>``) into the store, streamed through a temporary file
    and checked against the sha256 its name carries before anything is stored."""
    name = info.name[len("files/"):]
    try:
        check_name(name)
    except FileMissing as exc:
        raise InvalidInput(f"backup member {info.name!r} points outside the files folder") from exc
    data = tar.extractfile(info)
    assert data is not None
    digest = hashlib.sha256()
    with tempfile.TemporaryDirectory(prefix="normreg-restore-") as tmp:
        path = Path(tmp) / "file"
        with path.open("wb") as out:
            while block := data.read(1 << 20):
                digest.update(block)
                out.write(block)
        if Path(name).stem != digest.hexdigest():
            raise InvalidInput(f"stored file {name} does not match its checksum")
        files.put(name, path)


def _restore_key(tar: tarfile.TarFile, name: str, path: Path) -> bool:
    """Put the backed-up key ``name`` at ``path`` (owner-only); a different key already there is kept beside
    it as ``<name>.replaced-<time>`` rather than lost. False when the archive has no such key."""
    try:
        member = tar.extractfile(f"keys/{name}")
    except KeyError:
        return False
    if member is None:
        return False
    data = member.read()
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_file() and path.read_bytes() != data:
        path.replace(path.with_name(f"{path.name}.replaced-{datetime.now():%Y%m%d%H%M%S}"))
    tmp = path.with_name(f".{path.name}.restore")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    tmp.replace(path)
    return True
