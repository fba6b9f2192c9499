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


def test_records_prepared_for_both_indexes_at_once_equal_the_separate_ones() -> None:
    """The preparation workers tokenise once for the document and the articles index (bulk import speed):
    the field values must be exactly those each index's own function gives."""
    from datetime import date

    from search.embedded.articles import article_records
    from search.embedded.preparation import prepared

    articles = [IndexArticle(ordinal=1, number="第一条", text="为了规范行政处罚，制定本法。", heading="第一章 总则"),
                IndexArticle(ordinal=2, number="第二条", text="ISO 9001 认证适用本法。", heading="第一章 总则"),
                IndexArticle(ordinal=3, number="第三条", text="本法自公布之日起施行。", heading="第二章 附则")]
    doc = IndexDocument(id="d1", title="中华人民共和国行政处罚法", body="总则\n" + "\n".join(a.text for a in articles),
                        doc_number="国发〔2021〕3号", issuer="国务院", status="in_force",
                        publication_date=date(2021, 1, 22), aliases=["行政处罚法"], articles=articles)
    today = date(2025, 12, 1)
    records, article_recs = prepared(doc, today)
    assert records == record_dicts(doc, today)
    assert article_recs == article_records(doc, today)
    assert len(article_recs) == 3 and "9001" in article_recs[1]["a_words"]
