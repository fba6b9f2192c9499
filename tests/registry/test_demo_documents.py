"""The bundled demo documents (what `make run` loads): built from their sources, byte for byte; they ingest
cleanly and show every status, as intended on 2026-11-26 (the day their README describes), with the
relations the catalog states; and the sources tell a consistent story."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

from ingest import extract
from registry.facade import Registry
from registry.services.ingestion import ingest_paths
from registry.services.validity import check
from registry.settings import Settings
from scripts import typeset
from scripts.make_demo import AS_OF, build, read_sources

DEMO = Path(__file__).resolve().parents[2] / "registry" / "demo" / "documents"
ON = date(2026, 11, 26)
SOURCES = read_sources()
BY_NUMBER = {s.catalog["doc_number"]: s for s in SOURCES if "doc_number" in s.catalog}
STATUSES = {"in_force", "not_yet_effective", "amended", "partially_invalid", "invalid", "repealed"}


def _text(source_lines: list[str]) -> str:
    return "".join(typeset.plain(line) for line in source_lines)


@pytest.fixture
def demo(registry: Registry) -> Iterator[Session]:
    with registry.session() as session:
        report = ingest_paths(session, paths=[DEMO], catalog_path=DEMO / "catalog.csv",
                              store=registry.files, as_of=ON, today=ON)
        assert report.failed == []
        assert report.added == 25
        yield session


def test_demo_documents_show_every_status(demo: Session) -> None:
    """Every source's expected answer is the engine's, and together they show all six statuses."""
    for src in SOURCES:
        ref = src.catalog.get("doc_number") or src.catalog["title"]
        answer = check(demo, ref, ON)
        assert answer["status"] == src.expected["status"], (ref, answer["reason"])
        assert (answer["successor"] or {}).get("doc_number") == src.expected.get("successor"), ref
    assert {s.expected["status"] for s in SOURCES} == STATUSES
    assert len(SOURCES) == 25 and AS_OF == ON


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


@pytest.mark.skipif(not typeset.FONT.exists(), reason=f"CJK font {typeset.FONT} missing (run scripts/ensure-system.sh)")
def test_demo_folder_is_what_the_sources_build(tmp_path: Path) -> None:
    """An edited source without a rebuild, or a typesetter that stopped being reproducible, fails here."""
    build(SOURCES, tmp_path)
    built = sorted(p.name for p in tmp_path.iterdir())
    assert built == sorted(p.name for p in DEMO.iterdir())
    assert [name for name in built if (tmp_path / name).read_bytes() != (DEMO / name).read_bytes()] == []


def test_extracted_title_number_and_signature_date_are_the_sources() -> None:
    """Without the catalog the files alone say who, what and when: the typesetting is readable."""
    for src in SOURCES:
        doc = extract(DEMO / src.file)
        assert (doc.title, doc.doc_number) == (src.catalog["title"], src.catalog.get("doc_number")), src.file
        if doc.written_date is not None:
            assert doc.written_date == src.catalog["written_date"], src.file


def test_gbk_page_declares_and_is_gbk() -> None:
    (page,) = [s for s in SOURCES if s.layout.get("encoding") == "gbk"]
    raw = (DEMO / page.file).read_bytes()
    assert b'<meta charset="gbk">' in raw[:200]
    assert page.catalog["title"] in raw.decode("gbk")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_relations_name_demo_documents_whose_text_says_so() -> None:
    """A repeal or amendment names a demo document, and that document's text names the one it changes."""
    for src in SOURCES:
        for column in ("repealed_by", "amended_by", "interprets"):
            if column in src.catalog:
                other = BY_NUMBER[src.catalog[column]]  # KeyError: a relation to no demo document
                if column != "interprets":
                    text = _text(other.body + other.enclosure)
                    assert src.catalog["doc_number"] in text, (src.file, column)
                    assert column == "amended_by" or "废止" in text, src.file


def test_sources_state_periods_the_text_states() -> None:
    """An expiry date is written in the text, as 有效期至… or as a whole number of years from the effective date."""
    for src in SOURCES:
        expiry, effective = src.catalog.get("expiry_date"), src.catalog.get("effective_date")
        if expiry is None:
            continue
        text = _text(src.body + src.enclosure)
        if typeset.date_ar(expiry) not in text:
            years = re.findall(r"有效期(\d)年", text)
            assert years and effective is not None, src.file
            end = effective.replace(year=effective.year + int(years[0]))
            assert (end - expiry).days == 1, src.file


def test_demo_set_is_small_varied_and_of_real_length() -> None:
    sizes = {src.file: len(_text(src.body + src.enclosure)) for src in SOURCES}
    assert all(600 <= n <= 2500 for n in sizes.values()), sizes
    kinds = Counter(Path(s.file).suffix.replace(".md", ".txt") for s in SOURCES)
    assert all(kinds[k] >= 5 for k in (".docx", ".pdf", ".html", ".txt")), kinds
    assert sum(p.stat().st_size for p in DEMO.parent.rglob("*") if p.is_file()) < 3 * 1024 * 1024
