"""The file store contract, run against both stores a registry picks by itself: SQLite keeps files on its
disk (LocalFileStore), PostgreSQL in the database (DatabaseFileStore), so every API process reaches them."""

from __future__ import annotations

import hashlib
import os
import threading
import tracemalloc
from pathlib import Path

import pytest

from registry.errors import InvalidInput
from registry.facade import Registry
from registry.storage.files import CHUNK, FileMissing, FileStore
from tests.conftest import make_settings

NAME = "ab/abcdef.pdf"


@pytest.fixture
def store(registry: Registry) -> FileStore:
    expected = "database" if registry.engine.dialect.name == "postgresql" else "local"
    assert registry.files.kind == expected  # NORMREG_FILE_STORE=auto
    return registry.files


def _source(tmp_path: Path, data: bytes, name: str = "source.bin") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_stored_file_comes_back_whole_by_every_way_of_reading_and_goes_away(
        store: FileStore, tmp_path: Path) -> None:
    data = os.urandom(CHUNK + 12345)
    assert not store.exists(NAME)
    store.put(NAME, _source(tmp_path, data))
    assert store.exists(NAME) and store.size(NAME) == len(data)
    assert b"".join(store.iter_bytes(NAME)) == data
    assert [len(b) for b in store.iter_bytes(NAME, chunk=4096)][:3] == [4096, 4096, 4096]
    with store.local_path(NAME) as path:
        assert path.read_bytes() == data and path.suffix == ".pdf"
    assert list(store.names()) == [NAME]
    store.delete(NAME)
    store.delete(NAME)  # deleting what is gone is harmless
    assert not store.exists(NAME) and list(store.names()) == []
    for read in (store.size, store.iter_bytes, lambda n: store.local_path(n).__enter__()):
        with pytest.raises(FileMissing):
            read(NAME)  # at the call, before any byte: a route answers 404, not a broken 200


def test_putting_a_name_again_keeps_the_bytes_stored_first(store: FileStore, tmp_path: Path) -> None:
    store.put(NAME, _source(tmp_path, b"first", "a.bin"))
    store.put(NAME, _source(tmp_path, b"second version", "b.bin"))
    assert b"".join(store.iter_bytes(NAME)) == b"first" and list(store.names()) == [NAME]


def test_a_half_written_file_is_never_visible(store: FileStore, tmp_path: Path) -> None:
    """The source is a pipe fed a chunk at a time: while the store is still reading it, the name is absent."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    data = os.urandom(4 * CHUNK + 7)
    failure: list[BaseException] = []

    def put() -> None:
        try:
            store.put(NAME, fifo)
        except BaseException as exc:  # reported by the main thread
            failure.append(exc)

    writer = threading.Thread(target=put)
    writer.start()
    with fifo.open("wb") as pipe:
        pipe.write(data[:3 * CHUNK])  # returns once the store has read (and written) most of it
        pipe.flush()
        assert not store.exists(NAME) and NAME not in list(store.names())
        with pytest.raises(FileMissing):
            store.size(NAME)
        pipe.write(data[3 * CHUNK:])
    writer.join(timeout=60)
    assert not failure and not writer.is_alive()
    assert store.exists(NAME) and hashlib.sha256(b"".join(store.iter_bytes(NAME))).digest() == \
        hashlib.sha256(data).digest()


def test_a_file_of_many_chunks_streams_without_being_held_whole_in_memory(store: FileStore, tmp_path: Path) -> None:
    data = os.urandom(20 * CHUNK + 1)
    source = _source(tmp_path, data)
    tracemalloc.start()
    try:
        store.put(NAME, source)
        _, put_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        digest, sizes = hashlib.sha256(), []
        for block in store.iter_bytes(NAME):
            digest.update(block)
            sizes.append(len(block))
        _, read_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert digest.digest() == hashlib.sha256(data).digest()
    assert len(sizes) == 21 and max(sizes) == CHUNK
    # a 20 MiB file, a few MiB (the driver's copies of a chunk or two), the same for any size
    assert put_peak < 8 * CHUNK and read_peak < 8 * CHUNK, (put_peak, read_peak)


@pytest.mark.parametrize("name", ["../escape.pdf", "/etc/passwd", "a//b.pdf", "a/./b.pdf", "", "a\\b.pdf"])
def test_a_name_outside_the_store_is_refused(store: FileStore, tmp_path: Path, name: str) -> None:
    with pytest.raises(FileMissing):
        store.put(name, _source(tmp_path, b"x"))
    with pytest.raises(FileMissing):
        store.size(name)
    assert not store.exists(name)


def test_the_database_store_is_refused_on_sqlite(tmp_path: Path) -> None:
    reg = Registry(make_settings(tmp_path, file_store="database"))
    try:
        with pytest.raises(InvalidInput, match="PostgreSQL"):
            _ = reg.files
    finally:
        reg.close()


def test_writers_racing_for_one_name_all_succeed_and_leave_one_whole_file(store: FileStore, tmp_path: Path) -> None:
    data = os.urandom(3 * CHUNK + 5)
    source = _source(tmp_path, data)
    failures: list[BaseException] = []

    def put() -> None:
        try:
            store.put(NAME, source)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)

    writers = [threading.Thread(target=put) for _ in range(4)]
    for w in writers:
        w.start()
    for w in writers:
        w.join(timeout=60)
    assert failures == [] and list(store.names()) == [NAME]
    assert b"".join(store.iter_bytes(NAME)) == data


def test_doctors_check_names_only_what_cannot_be_read_whole(store: FileStore, registry: Registry,
                                                            tmp_path: Path) -> None:
    """One pass over the store: the missing name, and a file whose bytes were damaged behind the store's
    back (a chunk gone from the database, a file deleted from the disk), in the order asked."""
    kept, damaged = "aa/kept.pdf", "bb/damaged.pdf"
    for name in (kept, damaged):
        store.put(name, _source(tmp_path, os.urandom(2 * CHUNK + 3), name.replace("/", "-")))
    if store.kind == "database":
        from sqlalchemy import text
        with registry.engine.begin() as conn:
            conn.execute(text("DELETE FROM stored_file_chunks WHERE name = :n AND seq = 1"), {"n": damaged})
    else:
        with store.local_path(damaged) as path:
            path.unlink()
    assert store.unreadable(["zz/missing.pdf", kept, damaged]) == ["zz/missing.pdf", damaged]
    assert store.unreadable([]) == []


def test_a_link_inside_the_disk_store_never_leads_outside_it(tmp_path: Path) -> None:
    """The store skips the full path walk for names without links; a name through a link still gets it."""
    from registry.storage.files import LocalFileStore

    root, outside = tmp_path / "files", tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.pdf").write_bytes(b"not the store's")
    store = LocalFileStore(root)
    store.put(NAME, _source(tmp_path, b"inside"))
    (root / "cd").symlink_to(outside)  # a folder link out of the store
    (root / "ab" / "link.pdf").symlink_to(outside / "secret.pdf")  # a file link out of the store
    (root / "ef").symlink_to(root / "ab")  # a link that stays inside
    for name in ("cd/secret.pdf", "ab/link.pdf"):
        assert not store.exists(name)
        with pytest.raises(FileMissing):
            store.size(name)
        with pytest.raises(FileMissing):
            store.put(name, _source(tmp_path, b"x"))
    assert (outside / "secret.pdf").read_bytes() == b"not the store's"
    assert store.exists("ef/abcdef.pdf") and store.size("ef/abcdef.pdf") == len(b"inside")


def test_the_disk_store_makes_a_new_folder_for_the_first_file_in_it(tmp_path: Path) -> None:
    from registry.storage.files import LocalFileStore

    store = LocalFileStore(tmp_path / "files")
    for name, data in (("ab/one.pdf", b"one"), ("ab/two.pdf", b"two"), ("cd/ee/three.txt", b"three")):
        store.put(name, _source(tmp_path, data))
        assert b"".join(store.iter_bytes(name)) == data
    assert list(store.names()) == ["ab/one.pdf", "ab/two.pdf", "cd/ee/three.txt"]
    with pytest.raises(FileNotFoundError):
        store.put("ff/missing.pdf", tmp_path / "no such source")
    assert not store.exists("ff/missing.pdf") and list(store.names())[-1] == "cd/ee/three.txt"
