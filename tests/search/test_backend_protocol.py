"""Every backend implements the whole SearchBackend protocol, maintenance methods included."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from meilisearch.errors import MeilisearchCommunicationError

from search.embedded import EmbeddedBackend
from search.meili import SETTINGS, MeiliBackend, settings_differences
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


def test_opening_meilisearch_fails_at_once_when_no_server_answers() -> None:
    """Settings are applied and checked when the backend opens, so a wrong URL fails at start (port 9 is
    the discard port: nothing answers there), not at the first search."""
    with pytest.raises(MeilisearchCommunicationError):
        MeiliBackend("http://127.0.0.1:9", timeout=1)


def test_settings_check_compares_only_what_was_set() -> None:
    answer = {**SETTINGS,
              "typoTolerance": {"enabled": True, "disableOnAttributes": ["doc_number"], "disableOnWords": []},
              "faceting": {"maxValuesPerFacet": 200, "sortFacetValuesBy": {"*": "alpha"}},
              "filterableAttributes": sorted(SETTINGS["filterableAttributes"]),
              "sortableAttributes": [{"attributePatterns": [a]} for a in SETTINGS["sortableAttributes"]],
              "stopWords": []}
    assert settings_differences(SETTINGS, answer) == []


def test_settings_check_names_what_the_server_did_not_take() -> None:
    answer = {**SETTINGS, "rankingRules": list(reversed(SETTINGS["rankingRules"])),
              "typoTolerance": {"disableOnAttributes": []}, "distinctAttribute": None}
    del answer["pagination"]
    assert settings_differences(SETTINGS, answer) == [
        "distinctAttribute", "rankingRules", "typoTolerance.disableOnAttributes", "pagination"]


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
