"""Backends under test: the embedded engine always, Meilisearch when NORMREG_TEST_MEILI_URL names a server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from search.model import SearchBackend


@pytest.fixture(params=["embedded", "meili"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchBackend]:
    if request.param == "embedded":
        from search.embedded import EmbeddedBackend

        b: SearchBackend = EmbeddedBackend(tmp_path / "search")
    else:
        url = os.environ.get("NORMREG_TEST_MEILI_URL")
        if not url:
            pytest.skip("NORMREG_TEST_MEILI_URL is not set: no Meilisearch server to test against")
        from search.meili import MeiliBackend

        b = MeiliBackend(url, os.environ.get("NORMREG_TEST_MEILI_KEY"), index_uid=f"test_{uuid.uuid4().hex[:10]}")
    yield b
    b.clear()
    b.close()
