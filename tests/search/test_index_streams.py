"""The fast index-time paths give exactly the streams of their reference definitions."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from search.embedded.schema import record_dicts
from search.model import IndexArticle, IndexDocument
from search.normalize import normalize
from search.tokenize import _runs_stream, index_stream

ALPHABET = "规范性文件備案審查，。、；：（）〔〕[]【】ＡBｃ１23 \n\t_-—…·①㈠e\u0301ä𠀀ｱ"
texts = st.text(alphabet=ALPHABET, max_size=40)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_index_stream_equals_run_by_run_definition(text: str) -> None:
    norm = normalize(text)
    assert index_stream(norm) == _runs_stream(norm)


@settings(max_examples=200, deadline=None)
@given(st.lists(texts, min_size=1, max_size=5), st.lists(texts, min_size=6, max_size=6))
def test_body_stream_built_from_articles_equals_whole_body_stream(arts: list[str], gaps: list[str]) -> None:
    body = "".join(g + a for g, a in zip(gaps, arts, strict=False)) + gaps[-1]
    articles = [IndexArticle(ordinal=i, number=f"第{i}条", text=a) for i, a in enumerate(arts, start=1)]
    head = record_dicts(IndexDocument(id="x", title="t", body=body, articles=articles))[0]
    assert head["body"] == index_stream(normalize(body))
