"""Article mode of the embedded engine: articles ranked as articles, from an articles index fed by the same
calls as the documents; articles not in force left out on request; the document mode unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from search.embedded import EmbeddedBackend
from search.model import IndexArticle, IndexDocument, SearchQuery

PAST = date.today() - timedelta(days=30)
FUTURE = date.today() + timedelta(days=30)


def _doc(i: int, texts: list[str], voids: dict[int, date] | None = None, status: str = "in_force") -> IndexDocument:
    numbers = "一二三四五六七八九十"
    arts = [IndexArticle(ordinal=n + 1, number=f"第{numbers[n]}条", text=f"第{numbers[n]}条 {t}",
                         heading="第一章 总则" if n < 2 else "第二章 法律责任", void_from=(voids or {}).get(n + 1))
            for n, t in enumerate(texts)]
    return IndexDocument(id=f"d{i}", title=f"示例市停车管理办法{i}", body="\n".join(a.text for a in arts),
                         articles=arts, status=status)


DOCS = [
    _doc(1, ["为了规范机动车停放秩序，制定本办法。", "违规停放机动车的，由公安机关交通管理部门处以罚款。",
             "停车场经营者应当公示收费标准。"], voids={2: PAST, 3: FUTURE}, status="partially_invalid"),
    _doc(2, ["机动车停放应当遵守本办法。", "违规停放机动车的，处二百元罚款，并可以拖移车辆。"]),
    _doc(3, ["公共停车场收费标准由价格主管部门制定。"], status="repealed"),
]


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBackend]:
    b = EmbeddedBackend(tmp_path_factory.mktemp("art"), workers=0, cache_seconds=0)
    b.index(DOCS)
    yield b
    b.close()


def _labels(backend: EmbeddedBackend, q: str, **kw: object) -> list[tuple[str, str | None]]:
    res = backend.search(SearchQuery(q=q, unit="article", per_page=100, **kw))  # type: ignore[arg-type]
    return [(h.id, h.article) for h in res.hits]


def test_articles_are_ranked_as_articles_several_per_document(backend: EmbeddedBackend) -> None:
    res = backend.search(SearchQuery(q="违规停放机动车会被罚款吗？", unit="article", per_page=100))
    pairs = [(h.id, h.article) for h in res.hits]
    assert set(pairs[:2]) == {("d1", "第二条"), ("d2", "第二条")}  # the two articles that answer, first
    assert len({h.id for h in res.hits}) < len(res.hits)  # a document can give several hits
    assert res.total == len(res.hits) and res.facets == {}
    top = res.hits[0]
    assert top.ordinal == 2 and top.heading == "第一章 总则" and "<mark>" in (top.snippet or "")
    assert top.snippet and not top.snippet.startswith("第二条 第二条")


def test_in_force_leaves_out_void_articles_and_documents_not_in_force(backend: EmbeddedBackend) -> None:
    everything = _labels(backend, "收费标准")
    assert ("d1", "第三条") in everything and ("d3", "第一条") in everything
    in_force = _labels(backend, "收费标准", articles="in_force")
    assert in_force == [("d1", "第三条")]  # void only from a day still to come; d3 is repealed
    assert ("d1", "第二条") not in _labels(backend, "违规停放", articles="in_force")
    hit = next(h for h in backend.search(SearchQuery(q="违规停放", unit="article")).hits if h.id == "d1")
    assert hit.article_void_from == PAST


def test_keyword_queries_need_every_word_in_the_article_or_its_title(backend: EmbeddedBackend) -> None:
    assert _labels(backend, "拖移车辆 罚款") == [("d2", "第二条")]
    assert ("d3", "第一条") in _labels(backend, "停车管理办法3 价格主管部门")


def test_quoted_words_in_a_question_are_scored_not_required(backend: EmbeddedBackend) -> None:
    # No article holds “拖车服务”; as a question the quote is emphasis: the articles sharing its bigrams
    # (拖移车辆: 车辆 is not there, but 停放/机动车 are) still answer, and the one holding part of it ranks first.
    pairs = _labels(backend, "违规停放机动车会被“拖移服务”吗？")
    assert pairs and pairs[0] == ("d2", "第二条")
    # A keyword query still requires its quoted phrase verbatim: nothing holds it.
    assert _labels(backend, "“拖移服务” 罚款") == []


def test_the_articles_index_follows_deletes_and_rebuilds(tmp_path: Path) -> None:
    b = EmbeddedBackend(tmp_path, workers=0, cache_seconds=0)
    b.index(DOCS)
    b.delete(["d2"])
    assert all(d != "d2" for d, _ in _labels(b, "违规停放"))
    assert b.rebuild(iter([[DOCS[1]]])) == 1
    assert {d for d, _ in _labels(b, "机动车")} == {"d2"}
    b.clear()
    assert _labels(b, "机动车") == []
    b.close()


def test_an_index_without_its_articles_index_asks_for_a_rebuild(tmp_path: Path) -> None:
    b = EmbeddedBackend(tmp_path, workers=0, cache_seconds=0)
    b.index(DOCS)
    b.close()
    articles_dir = b._articles.path
    for f in articles_dir.iterdir():  # as left by a version before the articles index existed
        f.unlink()
    articles_dir.rmdir()
    again = EmbeddedBackend(tmp_path, workers=0, cache_seconds=0)
    assert again.superseded() == [articles_dir]
    again.rebuild(iter([DOCS]))
    assert again.superseded() == []
    assert ("d2", "第二条") in _labels(again, "违规停放")
    again.close()
