"""Stored files in the database, so every API process of a PostgreSQL installation reaches them.

Why chunked ``bytea`` rows (:mod:`registry.models.files`) and not PostgreSQL large objects:

- rows are ordinary table data: written in the same kind of transaction as everything else (a file is
  published at its commit, with all its chunks, or not at all), deleted with a plain ``DELETE`` (chunks
  follow by cascade), granted to the application role by the grants it already has, and dumped by
  ``pg_dump`` without ``--large-objects``; large objects live outside any table, leak when a row that
  named them goes (``vacuumlo``), and need ownership or ``lo_compat_privileges`` for the app role;
- streaming is as good: a write sends one chunk per statement and a read fetches the chunks of one
  ``SELECT`` one row at a time (a server-side cursor), so neither holds more than a chunk or two of a
  file in memory, whatever its size;
- the same code runs on any SQLAlchemy database (the tables exist on SQLite too), although on SQLite the
  local disk is the store: a put from its own connection would wait for the write lock an import holds.

Guarantees (those of :class:`registry.storage.files.FileStore`): a name is visible only once complete;
putting a name that is stored already is a no-op, also when two processes race (the loser's insert meets
the winner's primary key); a missing name raises :class:`FileMissing` before the first byte.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from sqlalchemy import ColumnElement, Engine, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from registry.models._types import utcnow
from registry.models.files import StoredFile, StoredFileChunk
from registry.storage.files import CHUNK, FileMissing, check_name

_FILES = StoredFile.__table__  # type: ignore[attr-defined]
_CHUNKS = StoredFileChunk.__table__  # type: ignore[attr-defined]


class DatabaseFileStore:
    """Files as rows of ``stored_files`` and ``stored_file_chunks`` in the registry's own database.

    ``scratch`` is a local folder for the temporary copies :meth:`local_path` makes for tools that need a
    path (pdfium, LibreOffice); each copy is removed when its ``with`` block ends.
    """

    kind = "database"

    def __init__(self, engine: Engine, scratch: Path, *, chunk_bytes: int = CHUNK) -> None:
        self.engine = engine
        self.scratch = scratch
        self.chunk_bytes = chunk_bytes

    def put(self, name: str, source: Path) -> None:
        check_name(name)
        if self._row(name) is not None:
            return
        digest, count, size = hashlib.sha256(), 0, 0
        try:
            with self.engine.begin() as conn, source.open("rb") as fh:
                conn.execute(insert(_FILES).values(name=name, size_bytes=0, sha256="", chunks=0, stored_at=utcnow()))
                while block := fh.read(self.chunk_bytes):
                    conn.execute(insert(_CHUNKS).values(name=name, seq=count, data=block))
                    digest.update(block)
                    count, size = count + 1, size + len(block)
                conn.execute(_FILES.update().where(_FILES.c.name == name)
                             .values(size_bytes=size, sha256=digest.hexdigest(), chunks=count))
        except IntegrityError:
            if self._row(name) is None:  # not the race with another writer of the same name: a real fault
                raise

    def _row(self, name: str) -> tuple[int, int] | None:
        """(size, chunks) of a complete stored file, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(_FILES.c.size_bytes, _FILES.c.chunks).where(_FILES.c.name == name)).first()
        return None if row is None else (int(row[0]), int(row[1]))

    def exists(self, name: str) -> bool:
        """Stored, and its chunks are all there with the recorded length (lengths come from the rows'
        headers on PostgreSQL, without reading the bytes)."""
        try:
            check_name(name)
        except FileMissing:
            return False
        return name in self._whole(_FILES.c.name == name)

    def unreadable(self, names: Iterable[str]) -> list[str]:
        wanted = list(names)
        whole = self._whole() if wanted else set()
        return [n for n in wanted if n not in whole]

    def _whole(self, *where: ColumnElement[bool]) -> set[str]:
        """Names (of those ``where`` selects) whose chunks are all there with the recorded length."""
        query = (select(_FILES.c.name).select_from(_FILES.outerjoin(_CHUNKS, _CHUNKS.c.name == _FILES.c.name))
                 .where(*where).group_by(_FILES.c.name, _FILES.c.size_bytes, _FILES.c.chunks)
                 .having((func.count(_CHUNKS.c.seq) == _FILES.c.chunks)
                         & (func.coalesce(func.sum(func.length(_CHUNKS.c.data)), 0) == _FILES.c.size_bytes)))
        with self.engine.connect() as conn:
            return {str(n) for n in conn.execute(query).scalars()}

    def size(self, name: str) -> int:
        return self._existing(name)[0]

    def _existing(self, name: str) -> tuple[int, int]:
        found = self._row(check_name(name))
        if found is None:
            raise FileMissing(f"stored file missing: {name}")
        return found

    def iter_bytes(self, name: str, chunk: int = CHUNK) -> Iterator[bytes]:
        _, chunks = self._existing(name)
        return self._read(name, chunks, chunk)

    def _read(self, name: str, chunks: int, chunk: int) -> Iterator[bytes]:
        query = select(_CHUNKS.c.seq, _CHUNKS.c.data).where(_CHUNKS.c.name == name).order_by(_CHUNKS.c.seq)
        seen = 0
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=1).execute(query)
            for seq, data in result:
                if seq != seen:
                    raise FileMissing(f"stored file {name} lacks its chunk {seen}")
                seen += 1
                if len(data) <= chunk:
                    yield bytes(data)  # no copy when it is bytes already (psycopg); memoryview on SQLite
                    continue
                view = memoryview(data)
                for start in range(0, len(view), chunk):
                    yield bytes(view[start:start + chunk])
            conn.rollback()
        if seen != chunks:
            raise FileMissing(f"stored file {name} has {seen} of its {chunks} chunks")

    @contextmanager
    def local_path(self, name: str) -> Iterator[Path]:
        blocks = self.iter_bytes(name)
        self.scratch.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.scratch, suffix=PurePosixPath(name).suffix)
        path = Path(tmp)
        try:
            with os.fdopen(fd, "wb") as out:
                for block in blocks:
                    out.write(block)
            yield path
        finally:
            path.unlink(missing_ok=True)

    def names(self) -> Iterator[str]:
        with self.engine.connect() as conn:
            found = [str(n) for n in conn.execute(select(_FILES.c.name).order_by(_FILES.c.name)).scalars()]
        yield from found

    def delete(self, name: str) -> None:
        check_name(name)
        with self.engine.begin() as conn:
            conn.execute(delete(_CHUNKS).where(_CHUNKS.c.name == name))
            conn.execute(delete(_FILES).where(_FILES.c.name == name))
