"""Real gov.cn policy pages against the metadata gov.cn lists for them (truth.jsonl)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from ingest import extract
from ingest.formats.encoding import decode_text
from ingest.formats.html import read_html
from ingest.limits import Limits
from ingest.pipeline import build_document
from tests.support.corpus import corpus_path

FIELDS = ("title", "doc_number", "issuer", "written_date", "publication_date")


def _truth() -> list[dict[str, str]]:
    path = corpus_path("govcn", "truth.jsonl")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _value(doc: object, name: str) -> str | None:
    if name == "issuer":
        issuers = [getattr(doc, "issuer", None), *getattr(doc, "co_issuers", [])]
        return "、".join(i for i in issuers if i) or None
    value = getattr(doc, name)
    return None if value is None else str(value)


def _score(docs: Sequence[tuple[dict[str, str], object]], fields: tuple[str, ...]) -> dict[str, float]:
    return {f: sum(_value(d, f) == row[f] for row, d in docs) / len(docs) for f in fields}


def test_govcn_metadata_is_at_least_98_percent_exact() -> None:
    rows = _truth()
    docs = [(row, extract(corpus_path(row["file"]))) for row in rows]
    scores = _score(docs, FIELDS)
    print("gov.cn exactness:", {k: f"{v:.1%}" for k, v in scores.items()})
    misses = [(row["file"], f, _value(d, f), row[f]) for row, d in docs for f in FIELDS if _value(d, f) != row[f]]
    assert all(v >= 0.98 for v in scores.values()), misses


def test_govcn_body_alone_still_yields_title_number_and_issuer() -> None:
    """Without the page's metadata table, the text rules must still find what a reader sees."""
    rows = _truth()
    docs = []
    for row in rows:
        path = corpus_path(row["file"])
        data = path.read_bytes()
        raw = read_html(decode_text(data)[0])
        raw.fields = {}
        docs.append((row, build_document(path, data, raw, Limits())))
    scores = _score(docs, ("title", "doc_number", "issuer", "written_date"))
    print("gov.cn body-only exactness:", {k: f"{v:.1%}" for k, v in scores.items()})
    assert scores["title"] >= 0.95 and scores["doc_number"] >= 0.95 and scores["issuer"] >= 0.9
    assert scores["written_date"] >= 0.85


def test_govcn_page_keeps_index_number_topic_and_main_text_only() -> None:
    row = _truth()[0]
    doc = extract(corpus_path(row["file"]))
    assert doc.index_no == row["index_no"]
    assert doc.topic == row["topic"]
    assert doc.source_format == "html"
    assert "扫一扫在手机打开当前页" not in doc.text
    assert doc.text.startswith(row["title"][:6])


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_gbk_page_is_decoded(tmp_path: Path, encoding: str) -> None:
    row = _truth()[1]
    page = corpus_path(row["file"]).read_text(encoding="utf-8")
    target = tmp_path / "page.html"
    target.write_bytes(page.replace("utf-8", encoding).encode(encoding, errors="replace"))
    doc = extract(target)
    assert doc.title == row["title"]
    assert doc.doc_number == row["doc_number"]
