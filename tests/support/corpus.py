"""Where the shared real-data corpus lives, and a skip for machines that do not have it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CORPUS = Path(os.environ.get("NORMREG_CORPUS", Path(__file__).resolve().parents[2].parent / "shared" / "corpus"))


def corpus_path(*parts: str) -> Path:
    """Path inside ../shared/corpus; skips the calling test with a clear message when it is absent."""
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared corpus not found at {path} (set NORMREG_CORPUS or place ../shared beside the repo)")
    return path
