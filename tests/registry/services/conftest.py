"""Fixtures for lifecycle tests: a private copy of the session's laws registry, and small registries."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from registry.facade import Registry
from tests.conftest import make_settings


@pytest.fixture(scope="module")
def laws_copy(laws_registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    """The session's laws registry copied (SQLite backup API, under a second) so that applying a clearing
    campaign here cannot change what other corpus tests see."""
    src_path = laws_registry.engine.url.database
    assert src_path, "the laws registry is expected on SQLite"
    settings = make_settings(tmp_path_factory.mktemp("laws_copy"), index_inline=False)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    dst_path = Path(settings.data_dir) / "normreg.db"
    src, dst = sqlite3.connect(src_path), sqlite3.connect(dst_path)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    reg = Registry(settings)
    reg.init()
    yield reg
    reg.close()
