"""Where new texts come from: a changed file ingested again, an amended upload registered as the next
version, and the upgrade that gives every existing document its version 1 (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlmodel import select

from registry.facade import Registry
from registry.models import Article, Document, DocumentUpdate
from registry.services import versions
from registry.services.ingestion import ingest_paths
from registry.storage.db import alembic_config
from tests.conftest import BACKENDS, make_settings, pg_schema
from tests.support import staff

TODAY = date(2026, 3, 2)
TEXT = ("示例市司法局关于印发示例市行政执法公示办法的通知\n示司发〔2026〕3号\n\n"
        "第一条 为了规范行政执法公示，制定本办法。\n第二条 行政执法机关应当公示执法主体、人员、职责、权限。\n"
        "第三条 本办法自2026年4月1日起施行。\n\n示例市司法局\n2026年2月20日\n")


@pytest.fixture(scope="module", params=BACKENDS)
def reg(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    with ExitStack() as stack:
        url = stack.enter_context(pg_schema("vs")) if request.param == "postgres" else None
        r = Registry(make_settings(tmp_path_factory.mktemp("vs"), url), clock=lambda: TODAY)
        r.init()
        yield r
        r.close()


def _ingest(reg: Registry, path: Path, today: date) -> dict[str, object]:
    with reg.session() as s:
        report = ingest_paths(s, paths=[path], catalog_path=None, store=reg.files, as_of=today,
                              today=today)
    assert not report.failed, report.failed
    return report.as_dict()


def test_a_changed_file_ingested_again_keeps_the_text_it_replaces(reg: Registry, tmp_path: Path) -> None:
    path = tmp_path / "gongshi.txt"
    path.write_text(TEXT, encoding="utf-8")
    doc_id = str(_ingest(reg, path, date(2026, 3, 1))["documents"][0]["id"])  # type: ignore[index]
    assert reg.text_versions(doc_id)["items"][0]["stored"] is False  # one text: nothing stored yet
    path.write_text(TEXT.replace("职责、权限。", "职责、权限、程序和救济渠道。"), encoding="utf-8")
    assert _ingest(reg, path, date(2026, 6, 1))["updated"] == 1
    assert _ingest(reg, path, date(2026, 6, 2))["unchanged"] == 1  # the same file again: no third version
    items = reg.text_versions(doc_id)["items"]
    assert [(v["version"], v["origin"], v["in_force_to"], v["in_force_from"]) for v in items] == [
        (1, "original", date(2026, 5, 31), items[0]["in_force_from"]), (2, "file", None, date(2026, 6, 1))]
    assert items[1]["source"] == str(path.resolve())
    before, after = reg.text_at(doc_id, date(2026, 5, 31)), reg.text_at(doc_id, date(2026, 6, 1))
    assert "救济渠道" not in before["text"] and "救济渠道" in after["text"]
    assert [a["number"] for a in before["articles"]] == ["第一条", "第二条", "第三条"]
    diff = reg.diff(doc_id, "1")
    assert [(a["status"], a["new_number"]) for a in diff["articles"] if a["status"] != "unchanged"] == [
        ("changed", "第二条")]
    # a text corrected in place (an edit, not a new version) is what the newest version reads
    current = reg.get_document(doc_id)
    reg.update_document(doc_id, DocumentUpdate(text=current["text"] + "\n（勘误）"),
                        expected_version=current["version"])
    assert reg.text_at(doc_id, date(2026, 7, 1))["text"].endswith("（勘误）")
    assert "勘误" not in reg.text_at(doc_id, date(2026, 5, 1))["text"]
    assert len(reg.text_versions(doc_id)["items"]) == 2


def test_an_amended_upload_registered_as_the_next_version_keeps_the_first_text(reg: Registry) -> None:
    staff.user(reg, "clerk-vs", role="clerk", office=staff.JUSTICE[0])
    clerk = reg.sign_in("clerk-vs", staff.PASSWORD)[0]
    text = TEXT.replace("3号", "7号")
    [first] = reg.upload_intake([("a.txt", io.BytesIO(text.encode()))], actor=clerk)
    doc = reg.register_intake(first["id"], first["fields"], actor=clerk)
    [amended] = reg.upload_intake([("b.txt", io.BytesIO(text.replace("制定本办法。", "制定本办法（修订）。").encode()))],
                                  actor=clerk)
    reg.register_intake(amended["id"], {**amended["fields"], "effective_date": "2026-05-01"},
                        version_of=doc["id"], actor=clerk)
    with reg.read_session() as s:
        rows = versions.stored_versions(s, doc["id"])
    assert [(v.version_no, v.origin, v.in_force_from, v.in_force_to) for v in rows] == [
        (1, "original", date(2026, 4, 1), date(2026, 4, 30)), (2, "file", date(2026, 5, 1), None)]
    assert "修订" not in rows[0].text and "修订" in rows[1].text
    assert rows[1].source is not None and rows[1].source.startswith(f"intake:{amended['id']}:")


def test_the_upgrade_gives_every_existing_document_its_first_version(reg: Registry, tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_text(TEXT.replace("3号", "9号"), encoding="utf-8")
    doc_id = str(_ingest(reg, path, TODAY)["documents"][0]["id"])  # type: ignore[index]
    cfg = alembic_config(reg.engine)
    command.downgrade(cfg, "0011")
    command.upgrade(cfg, "head")
    with reg.read_session() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        [v1] = versions.stored_versions(s, doc_id)
        arts = list(s.exec(select(Article).where(Article.document_id == doc_id).order_by(Article.id)))  # type: ignore[arg-type]
        assert (v1.version_no, v1.origin, v1.text, v1.in_force_to) == (1, "original", doc.text, None)
        assert v1.in_force_from == (doc.effective_date or doc.publication_date)
        assert [(a["number"], a["text"]) for a in v1.articles] == [(a.number, a.text) for a in arts]
        assert len(arts) == 3
        count = len(list(s.exec(select(Document.id))))
        assert len(list(s.exec(select(versions.TextVersion.id)))) == count  # one per document, whatever else
