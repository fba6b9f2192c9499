"""Stored files (source files, attachments, finished exports) behind one small interface.

Every stored file has a *name* relative to the store (``ab/abcdef….pdf``, ``exports/<job>.csv``); names of
source files are content-addressed, so putting the same name twice is a no-op and never changes bytes.
Callers never build paths under ``files_dir`` themselves: they put, stream, or ask for a local path for the
tools that need one (pdfium, LibreOffice), so a store that every API process reaches (the database, when it
is PostgreSQL) can stand in for the local disk of the embedded mode.

Guaranteed by every store: a name is readable only once it is complete (writes go to a temporary name or
row and are published at once); reading a missing name raises :class:`FileMissing`.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

from registry.errors import NotFound

CHUNK = 1 << 20


class FileMissing(NotFound):
    """A stored file that should be there is not (deleted by hand, or never written)."""


class FileStore(Protocol):
    """Where stored files live. One instance per registry; safe to share between threads."""

    kind: str

    def put(self, name: str, source: Path) -> None:
        """Copy the local file ``source`` in under ``name`` (no-op when ``name`` is already stored)."""

    def exists(self, name: str) -> bool:
        """Whether ``name`` is stored and complete."""

    def size(self, name: str) -> int:
        """The stored file's length in bytes."""

    def iter_bytes(self, name: str, chunk: int = CHUNK) -> Iterator[bytes]:
        """The stored file's bytes in chunks (for streaming answers): never the whole file in memory."""

    def local_path(self, name: str) -> AbstractContextManager[Path]:
        """A context manager giving a readable local path of the file (a temporary copy when needed)."""

    def names(self) -> Iterator[str]:
        """Every stored name (for doctor and backups)."""

    def delete(self, name: str) -> None:
        """Remove ``name`` if stored (finished exports that expired)."""



class LocalFileStore:
    """Files on this machine's disk under ``root`` (the embedded mode, and any single-machine install)."""

    kind = "local"

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, name: str) -> Path:
        target = (self.root / name).resolve()
        if self.root.resolve() not in target.parents:
            raise FileMissing(f"not a stored file name: {name!r}")
        return target

    def put(self, name: str, source: Path) -> None:
        target = self._path(name)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".part")
        shutil.copyfile(source, tmp)
        tmp.replace(target)

    def exists(self, name: str) -> bool:
        try:
            return self._path(name).is_file()
        except FileMissing:
            return False

    def size(self, name: str) -> int:
        path = self._path(name)
        if not path.is_file():
            raise FileMissing(f"stored file missing: {name}")
        return path.stat().st_size

    def iter_bytes(self, name: str, chunk: int = CHUNK) -> Iterator[bytes]:
        path = self._path(name)
        if not path.is_file():
            raise FileMissing(f"stored file missing: {name}")
        with path.open("rb") as fh:
            while block := fh.read(chunk):
                yield block

    @contextmanager
    def local_path(self, name: str) -> Iterator[Path]:
        path = self._path(name)
        if not path.is_file():
            raise FileMissing(f"stored file missing: {name}")
        yield path

    def names(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.name.endswith(".part"):
                yield path.relative_to(self.root).as_posix()

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)
