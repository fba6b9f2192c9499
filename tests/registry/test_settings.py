"""Production refuses the defaults that are only safe on a developer's machine."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from registry.settings import Settings

SAFE = {"environment": "production", "database_url": "postgresql+psycopg://normreg_app@db/normreg",
        "public_url": "https://gfxwj.example.gov.cn"}


def test_production_with_its_own_database_and_public_address_is_accepted(tmp_path: Path) -> None:
    assert Settings(data_dir=tmp_path, **SAFE).environment == "production"


@pytest.mark.parametrize(("change", "named"), [
    ({"database_url": None}, "NORMREG_DATABASE_URL"),
    ({"public_url": "http://127.0.0.1:8000"}, "NORMREG_PUBLIC_URL"),
    ({"public_url": "http://gfxwj.example.gov.cn"}, "NORMREG_PUBLIC_URL"),
    ({"public_url": "https://localhost"}, "NORMREG_PUBLIC_URL"),
    ({"search_url": "http://meili:7700"}, "NORMREG_SEARCH_KEY"),
])
def test_production_refuses_an_unsafe_default(tmp_path: Path, change: dict[str, object], named: str) -> None:
    with pytest.raises(ValidationError, match=named):
        Settings(data_dir=tmp_path, **{**SAFE, **change})


def test_every_unsafe_setting_is_named_at_once(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as err:
        Settings(data_dir=tmp_path, environment="production")
    assert "NORMREG_DATABASE_URL" in str(err.value) and "NORMREG_PUBLIC_URL" in str(err.value)


def test_development_keeps_its_defaults(tmp_path: Path) -> None:
    assert Settings(data_dir=tmp_path).public_url.startswith("http://127.0.0.1")
