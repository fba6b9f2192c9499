"""``/api/v1/documents/{id}/versions``, ``/text?at=`` and ``/diff?with=`` on a real amended law (the
advertising law as published in 2015, amended on 2018-10-26), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from registry.http.app import create_app
from registry.services.auth import create_token
from tests.conftest import BACKENDS, make_settings, pg_schema
from tests.registry.api.conftest import add_document, bearer
from tests.support.law_pairs import LawVersion, expected_changes, law_version

LAW = "中华人民共和国广告法"


@pytest.fixture(scope="module", params=BACKENDS)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """One registry per database for the module (the tests below add nothing another one reads)."""
    with ExitStack() as stack:
        url = stack.enter_context(pg_schema("v")) if request.param == "postgres" else None
        app = create_app(make_settings(tmp_path_factory.mktemp("versions"), url, rate_limit_per_minute=0))
        app.state.registry.init()
        c = stack.enter_context(TestClient(app, raise_server_exceptions=False))
        with app.state.registry.session() as session:
            _, token = create_token(session, name="clerk-versions", role="clerk")
        yield c, {"clerk": token}


@pytest.fixture(scope="module")
def client(site: tuple[TestClient, dict[str, str]]) -> TestClient:
    return site[0]


@pytest.fixture(scope="module")
def tokens(site: tuple[TestClient, dict[str, str]]) -> dict[str, str]:
    return site[1]


@pytest.fixture(scope="module")
def amended(client: TestClient, tokens: dict[str, str]) -> tuple[str, LawVersion, LawVersion]:
    """The 2015 text registered, the 2018 amendment applied through the API as version 2."""
    old, new = law_version(LAW, "2015-04-24"), law_version(LAW, "2018-10-26")
    doc = add_document(client, title=LAW, text=old.text, publication_date=date.fromisoformat(old.publication_date),
                       effective_date=date.fromisoformat(old.effective_date))
    r = client.post(f"/api/v1/documents/{doc}/versions", headers=bearer(tokens["clerk"]),
                    json={"text": new.text, "in_force_from": new.effective_date, "origin": "amendment",
                          "note": "全国人民代表大会常务委员会关于修改《中华人民共和国野生动物保护法》等十五部法律的决定"})
    assert r.status_code == 201, r.text
    assert r.json()["version"] == 2 and r.json()["in_force_from"] == "2018-10-26"
    return doc, old, new


def _text(client: TestClient, doc: str, at: str) -> Any:
    return client.get(f"/api/v1/documents/{doc}/text", params={"at": at})


def test_text_at_returns_the_version_in_force_on_each_side_of_the_amendment(
        client: TestClient, amended: tuple[str, LawVersion, LawVersion]) -> None:
    doc, old, new = amended
    before, on = _text(client, doc, "2018-10-25").json(), _text(client, doc, "2018-10-26").json()
    assert (before["version"], before["in_force_to"], before["text"]) == (1, "2018-10-25", old.text)
    assert (on["version"], on["in_force_from"], on["in_force_to"], on["text"]) == (2, "2018-10-26", None, new.text)
    assert [a["number"] for a in on["articles"]] == [n for n, _ in new.articles]
    assert on["status"] == before["status"] == "in_force"
    assert _text(client, doc, "2015-09-01").json()["version"] == 1


def test_a_day_before_the_earliest_text_is_said_to_be_outside_what_is_known(
        client: TestClient, amended: tuple[str, LawVersion, LawVersion]) -> None:
    doc, _, _ = amended
    r = _text(client, doc, "2015-08-31")
    assert r.status_code == 404
    err = r.json()["error"]
    assert err["code"] == "outside_known_versions" and err["details"]["known_from"] == "2015-09-01"
    assert "无从得知" in err["message"] and "earliest known text" in err["message"]
    bad = _text(client, doc, "2018-02-30")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_input"


def test_the_versions_follow_each_other_without_gap(client: TestClient,
                                                    amended: tuple[str, LawVersion, LawVersion]) -> None:
    doc, _old, new = amended
    items = client.get(f"/api/v1/documents/{doc}/versions").json()["items"]
    assert [(v["version"], v["in_force_from"], v["in_force_to"], v["origin"], v["stored"]) for v in items] == [
        (1, "2015-09-01", "2018-10-25", "original", True), (2, "2018-10-26", None, "amendment", True)]
    assert items[1]["articles"] == len(new.articles)
    assert client.get(f"/api/v1/documents/{doc}").json()["text"] == new.text  # the current text is the newest


def test_the_diff_lists_exactly_the_articles_the_amendment_changed(
        client: TestClient, amended: tuple[str, LawVersion, LawVersion]) -> None:
    doc, old, new = amended
    expected = expected_changes(old, new)
    assert expected
    for params in ({"with": "1"}, {"with": "v2", "from": "1"}):
        body = client.get(f"/api/v1/documents/{doc}/diff", params=params).json()
        assert (body["old"]["version"], body["new"]["version"]) == (1, 2)
        changed = [a for a in body["articles"] if a["status"] != "unchanged"]
        assert {a["new_number"] for a in changed} == expected
        assert all(a["status"] == "changed" and a["ops"] for a in changed)
        assert body["summary"]["changed"] == len(expected) and body["summary"]["unchanged"] == len(new.articles) - len(expected)
    # every changed article shows the amendment's words (工商行政管理部门 became 市场监督管理部门)
    first = next(a for a in body["articles"] if a["status"] == "changed")
    assert any(op["op"] != "equal" for op in first["ops"])


def test_a_repealed_document_compares_with_its_successor(client: TestClient) -> None:
    old, new = law_version(LAW, "2018-10-26"), law_version(LAW, "2021-04-29")
    a = add_document(client, title=LAW + "（2018年修正）", text=old.text)
    b = add_document(client, title=LAW, text=new.text)
    body = client.get(f"/api/v1/documents/{a}/diff", params={"with": b}).json()
    assert (body["old"]["document_id"], body["new"]["document_id"]) == (a, b)
    assert body["summary"]["moved"] >= 10 and body["summary"]["deleted"] >= 1


def test_adding_a_version_is_refused_when_it_should_be(client: TestClient, tokens: dict[str, str],
                                                       amended: tuple[str, LawVersion, LawVersion]) -> None:
    doc, _old, new = amended
    url = f"/api/v1/documents/{doc}/versions"
    assert client.post(url, json={"text": "第一条　新", "in_force_from": "2030-01-01"}).status_code == 401
    early = client.post(url, headers=bearer(tokens["clerk"]), json={"text": "第一条　新", "in_force_from": "2018-10-26"})
    assert early.status_code == 422 and "2018-10-26" in early.json()["error"]["message"]
    same = client.post(url, headers=bearer(tokens["clerk"]),
                       json={"text": new.text.replace("，", "、").replace("\n", "\n  "), "in_force_from": "2030-01-01"})
    assert same.status_code == 422  # formatting only: not a new version
    unknown = client.post(url, headers=bearer(tokens["clerk"]),
                          json={"text": "第一条　新", "in_force_from": "2030-01-01", "amended_by": "nope"})
    assert unknown.status_code == 422
    assert client.get(f"/api/v1/documents/{doc}/diff", params={"with": "9"}).status_code == 404
    assert client.get(f"/api/v1/documents/{doc}/diff", params={"with": "no-such-document"}).status_code == 404
    assert len(client.get(url).json()["items"]) == 2  # nothing was added by the refused requests
