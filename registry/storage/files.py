"""Stored files (source files, attachments, finished exports) behind one small interface.

Every stored file has a *name* relative to the store (``ab/abcdef….pdf``, ``exports/<job>.csv``); names of
source files are content-addressed, so putting the same name twice is a no-op and never changes bytes.
Callers never build paths under ``files_dir`` themselves: they put, stream, or ask for a local path for the
tools that need one (pdfium, LibreOffice), so a store that every API process reaches (the database, when it
is PostgreSQL) can stand in for the local disk of the embedded mode.

Guaranteed by every store: a name is readable only once it is complete (writes go to a temporary name or
row and are published at once); reading a missing name raises :class:`FileMissing` at the call, before
the first byte (so an HTTP route answers 404, not a broken 200). Names are relative POSIX paths without
``..``; anything else is refused the same way by every store.

Two stores: :class:`LocalFileStore` (below) and :class:`registry.storage.files_db.DatabaseFileStore`;
``NORMREG_FILE_STORE`` picks one (``auto``: the database when it is PostgreSQL, the disk otherwise).
"""

from __future__ import annotations

import os
import stat
import uuid
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
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

    def unreadable(self, names: Iterable[str]) -> list[str]:
        """Those of ``names`` the store cannot give back whole (doctor's check), in the order given; one
        pass over the store, not one question per name."""

    def delete(self, name: str) -> None:
        """Remove ``name`` if stored (finished exports that expired)."""


def check_name(name: str) -> str:
    """``name`` when it is a stored-file name (relative, POSIX, no ``..``, no empty parts); FileMissing
    otherwise, so a name from a backup or a database row can never reach outside the store."""
    parts = PurePosixPath(name).parts
    if (not name or len(name) > 300 or name.startswith("/") or "\\" in name or "\x00" in name
            or any(p in ("", ".", "..") for p in parts) or "/".join(parts) != name):
        raise FileMissing(f"not a stored file name: {name!r}")
    return name


@dataclass(frozen=True, slots=True)
class Opened:
    """A stored file ready to stream: its name, length and its bytes in chunks (read as they are sent)."""

    name: str
    size: int
    chunks: Iterator[bytes]

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix.lower()


def open_stored(store: FileStore, name: str) -> Opened:
    """``name`` opened for a download (FileMissing now when it is gone, not halfway through the answer)."""
    return Opened(name, store.size(name), store.iter_bytes(name))


def _copy(src: int, out: int) -> None:
    """All of ``src`` into ``out``: by the kernel when ``src`` is a regular file (no bytes through Python),
    else (a pipe, or a file system without it) in chunks."""
    if stat.S_ISREG(os.fstat(src).st_mode):
        try:
            while os.copy_file_range(src, out, 1 << 30):
                pass
            return
        except OSError:  # start again the ordinary way
            os.lseek(src, 0, os.SEEK_SET)
            os.lseek(out, 0, os.SEEK_SET)
            os.ftruncate(out, 0)
    while block := os.read(src, CHUNK):
        view = memoryview(block)
        while view:
            view = view[os.write(out, view):]


class LocalFileStore:
    """Files on this machine's disk under ``root`` (the embedded mode, and any single-machine install)."""

    kind = "local"

    def __init__(self, root: Path) -> None:
        self.root = root
        # Resolved once, not for every file a bulk import stores (the root is never a moving link).
        self._real_root = os.path.realpath(root)

    def _path(self, name: str) -> Path:
        """Where ``name`` lives, never outside the store, even through a link inside it.

        The resolved root is taken once; under it, a name none of whose parts is a link resolves to
        itself, so only a name that passes through a link pays the full ``resolve()`` and the check
        that the answer is still under the root. The answer is always what resolving the whole path
        gives."""
        check_name(name)
        real = self._real_root
        here = real
        for part in name.split("/"):
            here = os.path.join(here, part)
            if os.path.islink(here):
                target = Path(real, name).resolve()
                if Path(real) not in target.parents:
                    raise FileMissing(f"not a stored file name: {name!r}")
                return target
        return Path(here)

    def _existing(self, name: str) -> Path:
        path = self._path(name)
        if not path.is_file():
            raise FileMissing(f"stored file missing: {name}")
        return path

    def put(self, name: str, source: Path) -> None:
        target = self._path(name)
        if target.exists():
            return
        tmp = target.with_name(f"{target.name}.{uuid.uuid4().hex}.part")  # one per writer; never listed
        try:
            with source.open("rb") as src:
                try:
                    out = tmp.open("wb")
                except FileNotFoundError:  # the folder's first file: made then, not checked for every file
                    target.parent.mkdir(parents=True, exist_ok=True)
                    out = tmp.open("wb")
                with out:
                    _copy(src.fileno(), out.fileno())
            tmp.replace(target)
        finally:
            tmp.unlink(missing_ok=True)

    def exists(self, name: str) -> bool:
        try:
            path = self._path(name)
        except FileMissing:
            return False
        return path.is_file() and os.access(path, os.R_OK)

    def size(self, name: str) -> int:
        return self._existing(name).stat().st_size

    def iter_bytes(self, name: str, chunk: int = CHUNK) -> Iterator[bytes]:
        return self._read(self._existing(name), chunk)

    @staticmethod
    def _read(path: Path, chunk: int) -> Iterator[bytes]:
        with path.open("rb") as fh:
            while block := fh.read(chunk):
                yield block

    @contextmanager
    def local_path(self, name: str) -> Iterator[Path]:
        yield self._existing(name)

    def names(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.name.endswith(".part"):
                yield path.relative_to(self.root).as_posix()

    def unreadable(self, names: Iterable[str]) -> list[str]:
        return [n for n in names if not self.exists(n)]

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)
