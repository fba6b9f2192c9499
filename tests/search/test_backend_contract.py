"""The SearchBackend contract, run against every backend (see conftest)."""

from __future__ import annotations

from datetime import date

import pytest

from search.model import FACET_FIELDS, IndexArticle, IndexDocument, SearchBackend, SearchQuery


def _doc(doc_id: str, title: str, body: str, **kw: object) -> IndexDocument:
    articles = [IndexArticle(ordinal=i, number=f"第{'一二三四五'[i - 1]}条", text=line)
                for i, line in enumerate(body.split("\n"), start=1) if line.startswith("第")]
    return IndexDocument(id=doc_id, title=title, body=body, articles=articles, **kw)  # type: ignore[arg-type]


DOCS = [
    _doc("a", "浙江省行政规范性文件管理办法", "第一条 为了加强行政规范性文件管理。\n第二条 制定机关应当在公布后三十日内报送备案。",
         doc_number="浙政办发〔2016〕85号", issuer="浙江省人民政府", category="规章", status="in_force",
         publication_date=date(2016, 7, 1), version="v1"),
    _doc("b", "關於廢止部分規範性文件的決定", "第一条 下列文件予以废止。\n第二条 本决定自公布之日起施行。",
         doc_number="浙政发[2010]1号", issuer="浙江省人民政府", category="行政规范性文件", status="repealed",
         publication_date=date(2010, 1, 5), version="v1"),
    _doc("c", "杭州市政府信息公开实施细则", "第一条 行政机关收到政府信息公开申请，能够当场答复的，应当当场予以答复。\n"
         "第二条 不能当场答复的，应当自收到申请之日起20个工作日内予以答复。",
         doc_number="杭政办函〔2020〕3号", issuer="杭州市人民政府办公厅", category="行政规范性文件",
         status="in_force", publication_date=date(2020, 3, 2), version="v2"),
    _doc("d", "GDP statistics rules 统计工作规定", "第一条 Government statistics shall be accurate.",
         issuer="国家统计局", category="部门规章", status="not_yet_effective", publication_date=date(2026, 1, 1),
         version="v1"),
]


@pytest.fixture
def loaded(backend: SearchBackend) -> SearchBackend:
    backend.index(DOCS)
    return backend


def ids(backend: SearchBackend, q: str, **kw: object) -> list[str]:
    return [h.id for h in backend.search(SearchQuery(q=q, **kw)).hits]  # type: ignore[arg-type]


def test_search_finds_substring_of_body(loaded: SearchBackend) -> None:
    assert ids(loaded, "报送备案") == ["a"]


def test_traditional_query_finds_simplified_text_and_back(loaded: SearchBackend) -> None:
    assert ids(loaded, "報送備案") == ["a"]
    assert ids(loaded, "关于废止") == ["b"]


def test_full_width_and_bracket_variants_of_doc_number_match(loaded: SearchBackend) -> None:
    for q in ["浙政办发〔2016〕85号", "浙政办发[2016]85号", "浙政办发（2016）85号", "浙政办发【2016】85号",
              "浙政办发［２０１６］８５号"]:
        assert ids(loaded, q)[0] == "a", q


def test_keyword_query_requires_all_terms(loaded: SearchBackend) -> None:
    assert ids(loaded, "规范性文件 备案") == ["a"]


def test_question_gets_best_match_instead_of_empty_page(loaded: SearchBackend) -> None:
    assert ids(loaded, "申请政府信息公开以后多少天内必须答复？")[0] == "c"


def test_best_article_is_named(loaded: SearchBackend) -> None:
    hit = loaded.search(SearchQuery(q="20个工作日内予以答复")).hits[0]
    assert (hit.id, hit.article) == ("c", "第二条")


def test_quoted_phrase_and_exclusion(loaded: SearchBackend) -> None:
    assert "b" not in ids(loaded, "规范性文件 -废止")
    assert ids(loaded, '"当场答复"') == ["c"]


def test_latin_words_prefix_and_typo(loaded: SearchBackend) -> None:
    assert ids(loaded, "statistics") == ["d"]
    assert ids(loaded, "statistcs") == ["d"]
    assert ids(loaded, "govern") == ["d"]


def test_filters(loaded: SearchBackend) -> None:
    assert ids(loaded, "规范性文件", statuses=["repealed"]) == ["b"]
    assert ids(loaded, "", issuers=["杭州市人民政府办公厅"]) == ["c"]
    assert set(ids(loaded, "", categories=["行政规范性文件"])) == {"b", "c"}
    assert ids(loaded, "", years=[2016]) == ["a"]
    assert set(ids(loaded, "", date_from=date(2015, 1, 1), date_to=date(2021, 1, 1))) == {"a", "c"}


def test_filters_with_several_values_mean_any_of_them(loaded: SearchBackend) -> None:
    assert set(ids(loaded, "", statuses=["repealed", "not_yet_effective"])) == {"b", "d"}
    assert set(ids(loaded, "", issuers=["杭州市人民政府办公厅", "国家统计局"])) == {"c", "d"}
    assert set(ids(loaded, "", years=[2010, 2020])) == {"b", "c"}
    assert set(ids(loaded, "规范性文件", statuses=["repealed", "in_force"], years=[2010, 2016])) == {"a", "b"}


def test_sort_newest_and_oldest(loaded: SearchBackend) -> None:
    assert ids(loaded, "", sort="newest") == ["d", "c", "a", "b"]
    assert ids(loaded, "", sort="oldest") == ["b", "a", "c", "d"]


def test_hits_sorted_by_date_still_name_their_best_article(loaded: SearchBackend) -> None:
    for sort in ("newest", "oldest", "relevance"):
        hits = loaded.search(SearchQuery(q="工作日 答复", sort=sort)).hits  # type: ignore[arg-type]
        assert [(h.id, h.article) for h in hits] == [("c", "第二条")], sort


def test_facets_count_all_matches_not_only_the_page(loaded: SearchBackend) -> None:
    res = loaded.search(SearchQuery(q="第一条", per_page=1))
    assert res.total == 4 and len(res.hits) == 1
    assert set(res.facets) == set(FACET_FIELDS)
    assert res.facets["status"] == {"in_force": 2, "repealed": 1, "not_yet_effective": 1}
    assert res.facets["year"]["2016"] == 1
    assert not res.total_estimated and not res.facets_estimated  # a small match set is counted exactly


def test_snippet_does_not_repeat_the_article_label_the_hit_names(loaded: SearchBackend) -> None:
    hit = loaded.search(SearchQuery(q="为了加强")).hits[0]
    assert hit.article == "第一条" and hit.snippet is not None
    assert "<mark>为了加强</mark>" in hit.snippet and "第一条" not in hit.snippet


def test_pagination_is_disjoint_and_complete(loaded: SearchBackend) -> None:
    pages = [ids(loaded, "第一条", per_page=2, page=p) for p in (1, 2, 3)]
    assert len(pages[0]) == 2 and len(pages[1]) == 2 and pages[2] == []
    assert len(set(pages[0] + pages[1])) == 4


def test_snippets_are_escaped_and_marked(backend: SearchBackend) -> None:
    backend.index([_doc("x", "脚本", "第一条 <script>alert(1)</script> 备案审查 & 其他")])
    snippet = backend.search(SearchQuery(q="备案审查")).hits[0].snippet or ""
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet
    assert "<mark>备案审查</mark>" in snippet and "&amp;" in snippet


def test_replace_and_delete(loaded: SearchBackend) -> None:
    loaded.index([_doc("a", "新标题", "第一条 完全不同的内容。", version="v9")])
    assert ids(loaded, "报送备案") == []
    assert ids(loaded, "完全不同") == ["a"]
    assert loaded.ids_with_versions()["a"] == "v9"
    loaded.delete(["a", "unknown"])
    assert "a" not in loaded.ids_with_versions()
    assert ids(loaded, "完全不同") == []


def test_rebuild_replaces_everything_with_the_given_batches(loaded: SearchBackend) -> None:
    fresh = [_doc("n1", "新办法一", "第一条 公共租赁住房的分配。"), _doc("n2", "新办法二", "第一条 公共租赁住房的退出。")]
    assert loaded.rebuild(iter([fresh[:1], [], fresh[1:]])) == 2
    assert set(loaded.ids_with_versions()) == {"n1", "n2"}
    assert sorted(ids(loaded, "公共租赁住房")) == ["n1", "n2"]
    assert ids(loaded, "报送备案") == []


def test_in_force_ranks_before_repealed_for_equal_text(backend: SearchBackend) -> None:
    text = "第一条 建设用地审批应当依法进行。"
    backend.index([_doc("old", "用地审批办法", text, status="repealed", publication_date=date(2018, 1, 1)),
                   _doc("new", "用地审批办法", text, status="in_force", publication_date=date(2018, 1, 1))])
    assert ids(backend, "建设用地审批") == ["new", "old"]


def test_pinned_comes_first(backend: SearchBackend) -> None:
    backend.index([_doc("plain", "用地审批办法", "第一条 建设用地审批。建设用地审批。"),
                   _doc("key", "审批说明", "第一条 建设用地审批。", pinned=True)])
    assert ids(backend, "建设用地审批")[0] == "key"


def test_suggest_over_titles_and_doc_numbers(loaded: SearchBackend) -> None:
    assert [s.id for s in loaded.suggest("政府信息")] == ["c"]
    assert [s.id for s in loaded.suggest("杭政办函")] == ["c"]
    assert loaded.suggest("") == []


@pytest.mark.parametrize("q", [
    '"', '""', "-", "- -", "AND", "a OR b NOT c", "NEAR(a b)", "title:x", "*", "备案*", "^备案", "(((", "\\",
    "'; DROP TABLE documents; --", "\x00\x01", "\ud7ff", "😀🙈", "َ", "\u200b", "《》", "《", "〔〕号",
    "备" * 10_000, "a " * 5000, "-" * 300, "\"备案\" -\"备案\"",
])
def test_hostile_queries_never_raise(loaded: SearchBackend, q: str) -> None:
    res = loaded.search(SearchQuery(q=q))
    assert res.total >= 0
    loaded.suggest(q)


def test_out_of_range_paging_is_harmless(loaded: SearchBackend) -> None:
    assert loaded.search(SearchQuery(q="第一条", page=10_000)).hits == []
    assert loaded.search(SearchQuery(q="第一条", page=0, per_page=0)).total == 4
