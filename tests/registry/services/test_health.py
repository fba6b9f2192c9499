"""``normreg doctor`` checks that every document's stored source file can be read back from the store
(the disk on SQLite, the database on PostgreSQL) and names the document whose file is gone."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import col, select

from registry.facade import Registry
from registry.models import SourceFile

DEMO = Path(__file__).resolve().parents[3] / "registry" / "demo" / "documents"


def test_doctor_names_the_document_whose_stored_file_is_gone(registry: Registry) -> None:
    report = registry.ingest([DEMO / "sz-2016-30-e-commerce.md", DEMO / "szb-2020-6-resumption-of-work.txt"])
    assert report.added == 2
    assert registry.diagnose()["ok"], registry.diagnose()["problems"]
    with registry.read_session() as s:
        gone, kept = s.exec(select(SourceFile).order_by(col(SourceFile.id))).all()
    assert gone.stored_name and kept.stored_name
    registry.files.delete(gone.stored_name)
    health = registry.diagnose()
    assert not health["ok"]
    assert [p for p in health["problems"] if p["kind"] == "stored_file_missing"] == [
        {"kind": "stored_file_missing", "id": gone.document_id, "file": gone.stored_name}]
