"""Every request body the Meilisearch backend sends, checked against Meilisearch's published OpenAPI schemas.

No server is needed or imitated: the bodies come from the backend's own body builders (the functions
``search.meili`` sends through the official client) and are validated with ``jsonschema`` against the
schemas of ``tests/fixtures/meilisearch-openapi/open-api.json`` (version and licence in the README beside it).
The contract suite against a real server runs when NORMREG_TEST_MEILI_URL is set (tests/search/conftest.py).
"""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from search.meili import (
    DELETE_BATCH,
    PRIMARY_KEY,
    create_index_body,
    delete_bodies,
    fetch_body,
    records_for,
    search_body,
    settings_body,
    suggest_body,
)
from search.model import IndexArticle, IndexDocument, SearchQuery
from search.query import plan_query

SPEC = Path(__file__).resolve().parents[1] / "fixtures" / "meilisearch-openapi" / "open-api.json"
# Route → schema of its JSON request body, as the published description names it (read from it below).
ROUTES = {
    ("post", "/indexes"): "IndexCreateRequest",
    ("patch", "/indexes/{indexUid}/settings"): "Settings_Unchecked",
    ("post", "/indexes/{indexUid}/search"): "SearchQuery",
    ("post", "/indexes/{indexUid}/documents/delete"): "DocumentDeletionByFilter",
    ("post", "/indexes/{indexUid}/documents/fetch"): "BrowseQuery",
}
# Schemas whose published form needs the corrections of the README: camelCase names, no required
# fields the server defaults. Request schemas are closed (the server rejects unknown fields), so a
# misspelt key fails here as it would there.
CAMEL_CASE = {"SearchQuery"}
DEFAULTED_REQUIRED = {"SearchQuery", "BrowseQuery"}
_ID = re.compile(r"^[A-Za-z0-9_-]{1,511}$")  # Meilisearch's rule for document ids


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


@lru_cache(maxsize=1)
def _spec() -> dict[str, Any]:
    return dict(json.loads(SPEC.read_text(encoding="utf-8")))


def _schema_name(method: str, path: str) -> str:
    body = _spec()["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    return str(body["$ref"]).rsplit("/", 1)[-1]


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator of the named component schema, its references resolved within the description."""
    spec = copy.deepcopy(_spec())
    # AttributePatterns is a transparent wrapper of a list of patterns on the server (its documentation
    # writes {"attributePatterns": ["*_ja"], "locales": ["jpn"]}); the description shows the wrapper.
    spec["components"]["schemas"]["AttributePatterns"] = {"type": "array", "items": {"type": "string"}}
    schema = spec["components"]["schemas"][name]
    if name in CAMEL_CASE:
        schema["properties"] = {_camel(k): v for k, v in schema["properties"].items()}
    if name in DEFAULTED_REQUIRED:
        schema.pop("required", None)
    schema["additionalProperties"] = False
    root = {"$schema": "https://json-schema.org/draft/2020-12/schema", "components": spec["components"],
            "$ref": f"#/components/schemas/{name}"}
    Draft202012Validator.check_schema(root)
    return Draft202012Validator(root)


def check(method: str, path: str, body: Any) -> None:
    name = _schema_name(method, path)
    assert name == ROUTES[(method, path)]
    errors = sorted(validator(name).iter_errors(body), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


QUERIES = [
    SearchQuery(q="备案审查 2016"),
    SearchQuery(q="公司没有签劳动合同，辞退我可以要求赔偿吗？", per_page=100, page=3),
    SearchQuery(q='"行政处罚" -废止 《民法典》', statuses=["in_force", "amended"], issuers=['国务院"办公厅'],
                categories=["行政法规"], years=[2016, 2020], date_from=date(2016, 1, 1), date_to=date(2020, 12, 31)),
    SearchQuery(q="国办发〔2016〕1号", with_facets=False, sort="newest"),
    SearchQuery(q="", sort="oldest"),
    SearchQuery(q="a AND b* NEAR(c) title:d", per_page=0, page=0),
]


def test_the_published_description_is_the_one_the_readme_names() -> None:
    info = _spec()["info"]
    readme = (SPEC.parent / "README.md").read_text(encoding="utf-8")
    assert info["version"] in readme and info["license"]["identifier"] == "MIT"
    assert (SPEC.parent / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_index_creation_and_settings_bodies_match_the_schemas() -> None:
    check("post", "/indexes", create_index_body("normreg_records"))
    check("patch", "/indexes/{indexUid}/settings", settings_body())


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.q or "empty")
def test_search_bodies_match_the_schema(query: SearchQuery) -> None:
    body = search_body(plan_query(query.q), query)
    check("post", "/indexes/{indexUid}/search", body)
    assert 1 <= body["hitsPerPage"] <= 100 and body["page"] >= 1


def test_suggestion_deletion_and_listing_bodies_match_the_schemas() -> None:
    check("post", "/indexes/{indexUid}/search", suggest_body(plan_query("行政处罚"), 8))
    ids = [f"doc-{i}" for i in range(DELETE_BATCH + 3)] + ['with "quote" and \\']
    bodies = delete_bodies(ids)
    assert len(bodies) == 2
    for body in bodies:
        check("post", "/indexes/{indexUid}/documents/delete", body)
    check("post", "/indexes/{indexUid}/documents/fetch", fetch_body(2000))


def test_records_are_objects_with_valid_primary_keys() -> None:
    # The documents route accepts any JSON objects (its schema is empty); the primary key rule is the server's.
    doc = IndexDocument(id="a/b c:1", title="示例规定", body="总则\n第一条 内容。\n第二条 其他。",
                        publication_date=date(2020, 5, 1),
                        articles=[IndexArticle(1, "第一条", "内容。"), IndexArticle(2, "第二条", "其他。")])
    recs = records_for(doc)
    assert len(recs) == 3 and all(_ID.match(r[PRIMARY_KEY]) for r in recs)
    assert json.loads(json.dumps(recs, ensure_ascii=False)) == recs


@pytest.mark.parametrize("bad", [{"q": "x", "hitsPerPag": 5}, {"q": "x", "hitsPerPage": "10"},
                                 {"q": "x", "matchingStrategy": "some"}, {"q": 3}])
def test_the_check_rejects_a_body_the_server_would_refuse(bad: dict[str, Any]) -> None:
    with pytest.raises(AssertionError):
        check("post", "/indexes/{indexUid}/search", bad)


def test_the_check_rejects_unknown_settings() -> None:
    body = settings_body()
    body["rankingRule"] = ["words"]
    with pytest.raises(ValidationError):
        validator("Settings_Unchecked").validate(body)
