"""Golden files: ``tests/golden/ingest/<case>.<ext>`` in, ``<case>.json`` expected.

Set ``NORMREG_UPDATE_GOLDEN=1`` to rewrite the expected files on purpose after a deliberate change,
then review the diff like any other code change.
"""

from __future__ import annotations

import dataclasses
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ingest import extract

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "ingest"
CASES = sorted(p for p in GOLDEN.iterdir() if p.suffix != ".json") if GOLDEN.exists() else []
#: Fields that depend on where the file is, not on what it says.
VOLATILE = {"source_path"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


@pytest.mark.parametrize("case", CASES, ids=[p.name for p in CASES])
def test_golden_case(case: Path) -> None:
    doc = _jsonable(extract(case))
    actual = {k: v for k, v in doc.items() if k not in VOLATILE}
    expected_path = case.with_suffix(".json")
    if os.environ.get("NORMREG_UPDATE_GOLDEN") == "1" or not expected_path.exists():
        expected_path.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        if os.environ.get("NORMREG_UPDATE_GOLDEN") != "1":
            pytest.fail(f"wrote new golden file {expected_path.name}; review it and run again")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert actual == expected
