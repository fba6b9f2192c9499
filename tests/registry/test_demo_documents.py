"""The bundled demo documents (what `make run` loads) ingest cleanly and show every status, as intended on
2026-11-26 (the day their README describes), with the relations the catalog states."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

from registry.facade import Registry
from registry.services.ingestion import ingest_paths
from registry.services.validity import check
from registry.settings import Settings

DEMO = Path(__file__).resolve().parents[2] / "registry" / "demo" / "documents"
ON = date(2026, 11, 26)

EXPECTED = {
    "示政发〔2017〕21号": ("amended", "示政发〔2025〕6号"),
    "示政发〔2025〕6号": ("in_force", None),
    "示政发〔2019〕8号": ("repealed", "示政发〔2023〕4号"),
    "示政发〔2023〕4号": ("in_force", None),
    "示市监规〔2022〕1号": ("partially_invalid", None),
    "示政办发〔2019〕5号": ("invalid", None),
    "示政发〔2021〕3号": ("invalid", None),
    "示政办发〔2020〕6号": ("invalid", None),
    "示政发〔2016〕30号": ("repealed", "示政发〔2025〕2号"),
    "示司规〔2021〕2号": ("repealed", "示司规〔2025〕3号"),
    "示司规〔2025〕3号": ("in_force", None),
    "示教规〔2024〕1号": ("in_force", None),
    "示政发〔2026〕9号": ("not_yet_effective", None),
    "示教规〔2026〕2号": ("not_yet_effective", None),
    "示县政办发〔2024〕7号": ("invalid", None),
}


@pytest.fixture
def demo(registry: Registry) -> Iterator[Session]:
    with registry.session() as session:
        report = ingest_paths(session, paths=[DEMO], catalog_path=DEMO / "catalog.csv",
                              files_dir=registry.settings.files_dir, as_of=ON, today=ON)
        assert report.failed == []
        assert report.added == 25
        yield session


def test_demo_documents_show_every_status(demo: Session) -> None:
    seen = set()
    for ref, (status, successor) in EXPECTED.items():
        answer = check(demo, ref, ON)
        assert answer["status"] == status, (ref, answer["reason"])
        if successor:
            assert answer["successor"] is not None and answer["successor"]["doc_number"] == successor, ref
        seen.add(status)
    assert seen == {"in_force", "not_yet_effective", "amended", "partially_invalid", "invalid", "repealed"}


def test_trial_document_over_two_years_is_flagged(demo: Session) -> None:
    assert "provisional_period_too_long" in check(demo, "示教规〔2024〕1号", ON)["flags"]
    # a jurisdiction that allows trial rules five years does not flag it
    lenient = Settings.model_construct(max_provisional_years=5)
    assert "provisional_period_too_long" not in check(demo, "示教规〔2024〕1号", ON, settings=lenient)["flags"]


def test_dated_catalog_changes_give_certain_answers_before_them(demo: Session) -> None:
    assert check(demo, "示市监规〔2022〕1号", date(2025, 5, 31))["status"] == "in_force"
    assert check(demo, "示政办发〔2020〕6号", date(2025, 3, 19))["status"] == "in_force"


def test_found_by_registration_number_in_any_dash_form(demo: Session) -> None:
    for ref in ("SLSP01-2019-0008", "SLSP01—2019—0008", "slsp01－2019－0008", " SLSP01 -2019- 0008 "):
        assert check(demo, ref, ON)["document"]["doc_number"] == "示政发〔2019〕8号", ref


def test_same_title_versions_resolve_to_the_text_in_force(demo: Session) -> None:
    title = "示例市人民政府关于印发示例市公共租赁住房管理办法的通知"
    assert check(demo, title, ON)["document"]["doc_number"] == "示政发〔2023〕4号"
