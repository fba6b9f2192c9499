"""Real gov.cn policy pages: every 文号 finds its document in any bracket form, over the HTTP API."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from registry.services.ingestion import ingest_paths
from tests.support.corpus import corpus_path

pytestmark = pytest.mark.corpus

FORMS = (("〔", "〕"), ("[", "]"), ("（", "）"), ("【", "】"), ("［", "］"))


def test_every_doc_number_resolves_in_every_bracket_form(client: TestClient) -> None:
    govcn = corpus_path("govcn")
    truth = [json.loads(line) for line in (govcn / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    reg = client.app.state.registry  # type: ignore[attr-defined]
    with reg.session() as session:
        report = ingest_paths(session, paths=[govcn], catalog_path=None, store=reg.files,
                              as_of=date.today(), today=date.today(), jobs=2)
    assert report.failed == []
    ids = {Path(d["path"]).name: d["id"] for d in report.documents}
    checked = 0
    for row in truth:
        number = row["doc_number"]
        if not number or "〔" not in number:
            continue
        for left, right in FORMS:
            ref = number.replace("〔", left).replace("〕", right)
            r = client.get("/api/v1/validity", params={"ref": ref})
            assert r.status_code == 200, (ref, r.json())
            assert r.json()["document"]["id"] == ids[Path(row["file"]).name], ref
        shown = client.get(f"/api/v1/documents/{ids[Path(row['file']).name]}").json()
        assert shown["doc_number"] == number and shown["title"] == row["title"]
        checked += 1
    assert checked >= 30
