"""Small index documents the engine tests build by the dozen, and engines holding them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from search.embedded import EmbeddedBackend
from search.model import IndexArticle, IndexDocument


def one_article_doc(i: int, text: str) -> IndexDocument:
    """Document ``d{i:03d}`` whose whole body is one article, 第一条 ``text``."""
    return IndexDocument(id=f"d{i:03d}", title=f"文件{i}", body=f"第一条 {text}",
                         articles=[IndexArticle(ordinal=1, number="第一条", text=f"第一条 {text}")])


def engine_over(corpus: list[IndexDocument], directory: Path, **options: Any) -> Iterator[EmbeddedBackend]:
    """For a module fixture: an embedded engine holding ``corpus`` (one rebuild), closed afterwards."""
    engine = EmbeddedBackend(directory, **options)
    engine.rebuild([corpus])
    yield engine
    engine.close()
