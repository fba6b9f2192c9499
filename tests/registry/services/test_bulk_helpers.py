"""The bulk import's helpers (registry/services/bulk.py): the cheap resolver and the read-ahead thread."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from registry.services.bulk import Resolver, ahead


def test_the_resolver_answers_what_path_resolve_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    (real / "sub" / "a.txt").write_text("a")
    (real / "target.txt").write_text("t")
    (tmp_path / "linked").symlink_to(real)  # a linked folder
    (real / "sub" / "link.txt").symlink_to(real / "target.txt")  # a linked file
    monkeypatch.chdir(tmp_path)
    resolve = Resolver()
    for p in [tmp_path / "linked" / "sub" / "a.txt", tmp_path / "linked" / "sub" / "link.txt",
              Path("linked/sub/a.txt"), Path("real/sub/../target.txt"), tmp_path / "linked" / "missing.txt",
              Path("a.txt"), tmp_path / "linked" / "sub" / ".."]:
        assert resolve(p) == p.resolve(), p
    assert resolve(tmp_path / "linked" / "sub" / "link.txt") == real / "target.txt"
    assert os.fspath(resolve(Path("linked/sub/a.txt"))) == os.fspath(real / "sub" / "a.txt")


def test_read_ahead_keeps_the_order_and_raises_the_sources_error_to_the_consumer() -> None:
    assert list(ahead(iter(range(1000)), 7)) == list(range(1000))

    def failing() -> Iterator[int]:
        yield 1
        raise ValueError("broken file list")

    got: list[int] = []
    with pytest.raises(ValueError, match="broken file list"):
        for item in ahead(failing(), 3):
            got.append(item)
    assert got == [1]


def test_a_consumer_that_stops_early_closes_the_source() -> None:
    closed: list[bool] = []

    def source() -> Iterator[int]:
        try:
            yield from range(10_000)
        finally:
            closed.append(True)  # where the extraction pool stops its workers

    for item in ahead(source(), 5):
        if item == 3:
            break
    assert closed == [True]
