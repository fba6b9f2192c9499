"""The lay→legal term map learned from questions and the articles that answer them (see
``scripts/learn_lexicon.py``, which writes ``search/lay_legal_terms.json`` and says how)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

LEXICON_PATH = Path(__file__).with_name("lay_legal_terms.json")


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, list[str]]:
    """Word → legal terms; empty when the data file is absent (plans then carry no expansions)."""
    try:
        data = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): [str(t) for t in v] for k, v in dict(data.get("map", {})).items()}


def expansions_for(word: str) -> list[str]:
    """Legal terms a question word stands for (none for most words)."""
    return _lexicon().get(word, [])
