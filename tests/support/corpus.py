"""Where the shared real-data corpus lives, and a skip for machines that do not have it."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(os.environ.get("NORMREG_CORPUS", Path(__file__).resolve().parents[2].parent / "shared" / "corpus"))


def corpus_path(*parts: str) -> Path:
    """Path inside ../shared/corpus; skips the calling test with a clear message when it is absent."""
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared corpus not found at {path} (set NORMREG_CORPUS or place ../shared beside the repo)")
    return path


def laws_catalog(tmp_path: Path, n: int, extra: list[dict[str, Any]] | None = None) -> tuple[list[Path], Path]:
    """The first ``n`` laws of the corpus catalog (statuses of every kind among them) with ``extra`` rows
    after them, written as a catalog of absolute paths in ``tmp_path``; returns the files and the catalog."""
    laws = corpus_path("laws")
    rows = []
    with (laws / "catalog.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            row["file"] = str(laws / row["file"])
            rows.append(row)
            if len(rows) == n:
                break
    rows += extra or []
    catalog = tmp_path / "catalog.jsonl"
    catalog.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return [Path(r["file"]) for r in rows], catalog
