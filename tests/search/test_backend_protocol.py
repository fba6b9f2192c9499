"""Every backend implements the whole SearchBackend protocol, maintenance methods included."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from search.embedded import EmbeddedBackend
from search.meili import MeiliBackend
from search.model import SearchBackend

PROTOCOL_METHODS = sorted(name for name, member in vars(SearchBackend).items()
                          if inspect.isfunction(member) and not name.startswith("_"))


@pytest.mark.parametrize("backend_class", [EmbeddedBackend, MeiliBackend])
def test_backend_has_every_protocol_method_with_its_parameters(backend_class: type) -> None:
    assert {"optimize", "superseded", "remove_superseded"} <= set(PROTOCOL_METHODS)
    for name in PROTOCOL_METHODS:
        method = getattr(backend_class, name, None)
        assert callable(method), f"{backend_class.__name__} lacks {name}"
        expected = list(inspect.signature(getattr(SearchBackend, name)).parameters)
        assert list(inspect.signature(method).parameters) == expected, name


def test_meilisearch_maintenance_needs_no_server() -> None:
    """The registry calls these on every bulk load and start; against Meilisearch they do nothing, so
    they must not even connect (port 9 is the discard port: nothing answers there)."""
    backend = MeiliBackend("http://127.0.0.1:9", timeout=0.5)
    try:
        assert backend.superseded() == []
        backend.remove_superseded()
        backend.optimize()
    finally:
        backend.close()


def test_embedded_superseded_lists_older_schema_directories_only(tmp_path: Path) -> None:
    backend = EmbeddedBackend(tmp_path, workers=0)
    try:
        (tmp_path / "embedded-v1").mkdir()
        (tmp_path / "embedded-v2.txt").write_text("not a directory")
        assert backend.superseded() == [tmp_path / "embedded-v1"]
        backend.remove_superseded()
        assert backend.superseded() == []
        assert backend.path.is_dir()
    finally:
        backend.close()
