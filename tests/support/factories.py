"""Small index documents the engine tests build by the dozen."""

from __future__ import annotations

from search.model import IndexArticle, IndexDocument


def one_article_doc(i: int, text: str) -> IndexDocument:
    """Document ``d{i:03d}`` whose whole body is one article, 第一条 ``text``."""
    return IndexDocument(id=f"d{i:03d}", title=f"文件{i}", body=f"第一条 {text}",
                         articles=[IndexArticle(ordinal=1, number="第一条", text=f"第一条 {text}")])
