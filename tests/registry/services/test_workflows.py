"""Lifecycle workflows on small registries, on SQLite and PostgreSQL: clearing, filing and review, validity
periods and the sweep, interpretations, reports — and every status change in the feed and the outbox."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func
from sqlmodel import Session, select

from registry.errors import Conflict, InvalidInput
from registry.facade import Registry
from registry.models import DocumentCreate, OutboxEntry, StatusChange
from registry.services import filing, interpretations, reports
from registry.services import periods as sweep
from registry.services.clearing import campaigns as clearing
from registry.services.documents import create_document
from registry.services.ingestion import ingest_paths
from registry.services.validity import check

TODAY = date(2026, 11, 26)


def _count(session: Session, table: type) -> int:
    return int(session.exec(select(func.count()).select_from(table)).one())


def _doc(session: Session, **fields: object) -> str:
    fields.setdefault("category", "行政规范性文件")
    return create_document(session, data=DocumentCreate(**fields), today=TODAY).id  # type: ignore[arg-type]


@pytest.fixture
def small(registry: Registry) -> dict[str, str]:
    """Four normative documents of one city, one interpretation."""
    with registry.session() as s:
        ids = {
            "housing": _doc(s, title="示例市人民政府关于印发示例市公共租赁住房管理办法的通知", doc_number="示政发〔2023〕4号",
                            issuer="示例市人民政府", publication_date=date(2023, 6, 6), effective_date=date(2023, 7, 1),
                            expiry_date=date(2028, 6, 30)),
            "ads": _doc(s, title="示例市人民政府关于印发示例市户外广告设置管理办法的通知", doc_number="示政发〔2017〕21号",
                        issuer="示例市人民政府", publication_date=date(2017, 11, 24), effective_date=date(2018, 1, 1)),
            "night": _doc(s, title="示例市人民政府办公室关于促进夜间经济发展的若干意见", doc_number="示政办发〔2019〕5号",
                          issuer="示例市人民政府办公室", publication_date=date(2019, 3, 1),
                          effective_date=date(2019, 3, 1), expiry_date=date(2026, 12, 20)),
            "trial": _doc(s, title="示例市农村人居环境整治奖补暂行办法", doc_number="示政办发〔2023〕9号",
                          issuer="示例市人民政府办公室", publication_date=date(2023, 1, 10),
                          effective_date=date(2023, 2, 1)),
            "interp": _doc(s, title="《示例市公共租赁住房管理办法》政策解读", category="政策解读",
                           issuer="示例市住房和城乡建设局", publication_date=date(2023, 6, 8)),
        }
    return ids


LIST = """2025年规范性文件清理结果
序号,文件名称,文号,制定机关,清理结果,备注
1,示例市公共租赁住房管理办法的通知,示政发[2023]4号,示例市人民政府,继续有效,
2,示例市人民政府关于印发示例市户外广告设置管理办法的通知,,示例市人民政府,修改,与上位法不一致
3,示例市人民政府办公室关于促进夜间经济发展的若干意见,,示例市人民政府办公室,废止,<script>alert(1)</script>
4,示例市地下管线管理暂行规定,,示例市人民政府,宣布失效,
"""


def test_clearing_import_resolve_apply_undo_export(registry: Registry, small: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(LIST, encoding="utf-8")
    with registry.session() as s:
        data = clearing.import_campaign(s, path=path, name="2025清理", decided_on=date(2025, 6, 1), actor="t")
        rows = {r.row: r for r in data.rows}
        assert rows[1].match and rows[1].match.id == small["housing"] and not rows[1].needs_review  # by 文号
        assert rows[2].match and rows[2].match.id == small["ads"]
        assert rows[3].match and rows[3].match.id == small["night"]
        assert rows[4].match is None and rows[4].needs_review  # names nothing: never matched
        with pytest.raises(Conflict):
            clearing.import_campaign(s, path=path, name="2025清理", decided_on=date(2025, 6, 1), actor="t")
        clearing.resolve_row(s, name="2025清理", row_no=4, ref=None, actor="reviewer")

        feed, outbox = _count(s, StatusChange), _count(s, OutboxEntry)
        applied = clearing.apply_campaign(s, name="2025清理", actor="t", today=TODAY)
        assert applied.applied == 3 and applied.not_in_registry == 1 and applied.conflicts == []
        assert _count(s, StatusChange) == feed + 1  # only the repeal changes a status
        assert _count(s, OutboxEntry) == outbox + 3
        assert clearing.apply_campaign(s, name="2025清理", actor="t", today=TODAY).applied == 0
        assert _count(s, OutboxEntry) == outbox + 3

        night = check(s, small["night"], TODAY)
        assert night["status"] == "repealed" and night["evidence"][0]["campaign"] == "2025清理"
        ads = check(s, small["ads"], TODAY)
        assert ads["status"] == "in_force" and "marked_for_amendment" in ads["flags"]
        assert check(s, small["night"], date(2025, 5, 31))["status"] == "in_force"

        with pytest.raises(Conflict):
            clearing.resolve_row(s, name="2025清理", row_no=3, ref=small["ads"], actor="t")
        undone = clearing.undo_row(s, name="2025清理", row_no=3, actor="t", today=TODAY)
        assert undone.undone and undone.status == "in_force"
        assert check(s, small["night"], TODAY)["status"] == "in_force"
        with pytest.raises(Conflict):
            clearing.undo_row(s, name="2025清理", row_no=3, actor="t", today=TODAY)

        for fmt in ("csv", "xlsx", "json", "html"):
            out = tmp_path / f"out.{fmt}"
            lists = clearing.export_campaign(s, name="2025清理", fmt=fmt, out=out).lists
            assert lists == {"继续有效目录": 1, "修改目录": 1, "废止目录": 0, "失效目录": 1}
    wb = load_workbook(tmp_path / "out.xlsx")
    assert wb["修改目录"]["B3"].value == "示例市人民政府关于印发示例市户外广告设置管理办法的通知"
    with (tmp_path / "out.csv").open(encoding="utf-8-sig") as fh:
        assert [r["目录"] for r in csv.DictReader(fh)] == ["继续有效目录", "修改目录", "失效目录"]
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["lists"]["失效目录"][0]["文件名称"] == \
        "示例市地下管线管理暂行规定"
    # the exported xlsx (one sheet per list, a title line above each header) reads back as a clearing list
    with registry.session() as s:
        again = clearing.import_campaign(s, path=tmp_path / "out.xlsx", name="复核", decided_on=TODAY, actor="t")
        assert [r.result for r in again.rows] == ["继续有效", "修改", "宣布失效"]


def test_clearing_list_with_an_unknown_result_is_refused(registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("文件名称,清理结果\n某办法,大概有效\n", encoding="utf-8")
    with registry.session() as s, pytest.raises(InvalidInput) as exc:
        clearing.import_campaign(s, path=path, name="x", decided_on=TODAY, actor="t")
    assert exc.value.details[0]["row"] == 1
    with registry.session() as s:
        assert clearing.list_campaigns(s) == []


def test_three_year_period_from_the_text(registry: Registry, tmp_path: Path) -> None:
    src = tmp_path / "docs"
    src.mkdir()
    (src / "a.txt").write_text("示例市人民政府关于印发示例市停车场管理办法的通知\n示政发〔2019〕3号\n\n"
                               "第一条 为了规范停车场管理，制定本办法。\n第二条 本办法自2019年3月1日起施行，有效期3年。\n",
                               encoding="utf-8")
    with registry.session() as s:
        report = ingest_paths(s, paths=[src], catalog_path=None, store=registry.files,
                              as_of=TODAY, today=TODAY)
        assert not report.failed
        doc_id = report.documents[0]["id"]
        assert check(s, doc_id, date(2019, 2, 15))["status"] == "not_yet_effective"
        assert check(s, doc_id, date(2020, 6, 1))["status"] == "in_force"
        assert check(s, doc_id, date(2022, 3, 2))["status"] == "invalid"


def test_sweep_records_each_expiry_once_and_lists_coming_ones(registry: Registry, small: dict[str, str]) -> None:
    with registry.session() as s:
        first = sweep.sweep(s, today=date(2026, 12, 1), actor="t")
        assert first.expired == []
        assert [r["id"] for r in first.ending_within_months["1"]] == [small["night"]]
        assert [r["id"] for r in first.provisional_over_limit] == [small["trial"]]
        feed = _count(s, StatusChange)
        later = sweep.sweep(s, today=date(2026, 12, 21), actor="t")
        assert [r["id"] for r in later.expired] == [small["night"]]
        assert later.expired[0]["new_status"] == "invalid"
        assert _count(s, StatusChange) == feed + 1
        assert sweep.sweep(s, today=date(2026, 12, 22), actor="t").expired == []
        assert _count(s, StatusChange) == feed + 1

        renewed = sweep.renew(s, ref=small["night"], new_expiry=date(2029, 12, 31), renewed_on=date(2026, 12, 21),
                              registration_number="SLSP02-2026-0001", actor="t", today=date(2026, 12, 22))
        assert renewed.status == "in_force" and renewed.document.registration_number == "SLSP02-2026-0001"
        assert check(s, "SLSP02-2026-0001", date(2027, 1, 1))["status"] == "in_force"
        with pytest.raises(InvalidInput):
            sweep.renew(s, ref=small["night"], new_expiry=date(2020, 1, 1), renewed_on=TODAY, actor="t", today=TODAY)


def test_filing_deadlines_and_review_outcomes(registry: Registry, small: dict[str, str]) -> None:
    with registry.session() as s:
        on_time = filing.record_filing(s, ref=small["housing"], filed_on=date(2023, 7, 1), filed_with="示例省人民政府",
                                       actor="t", today=TODAY, days=30)
        assert on_time.state == "on_time" and on_time.deadline == "2023-07-06"
        late = filing.record_filing(s, ref=small["night"], filed_on=date(2019, 4, 10), filed_with="示例省人民政府",
                                    actor="t", today=TODAY, days=30)
        assert late.state == "late" and late.days_late == 10 and late.deadline == "2019-03-31"
        overdue = {r["id"]: r["state"] for r in filing.filing_report(s, today=TODAY, days=30)}
        assert overdue == {small["night"]: "late", small["ads"]: "missing", small["trial"]: "missing"}
        with pytest.raises(InvalidInput):
            filing.record_filing(s, ref=small["ads"], filed_on=date(2030, 1, 1), filed_with="x", actor="t", today=TODAY,
                                 days=30)

        review = filing.record_legality_review(s, ref=small["trial"], reviewed_on=date(2023, 1, 12), reviewer="示例市司法局",
                                               opinion="合法", actor="t", today=TODAY)
        assert review.flags == ["legality_review_after_publication"]
        feed = _count(s, StatusChange)
        annulled = filing.record_filing_review(s, ref=small["trial"], reviewed_on=date(2024, 5, 1), outcome="撤销",
                                               reviewer="示例省司法厅", actor="t", today=TODAY)
        assert annulled.status == "invalid" and _count(s, StatusChange) == feed + 1
        with pytest.raises(InvalidInput):
            filing.record_filing_review(s, ref=small["ads"], reviewed_on=TODAY, outcome="驳回", reviewer=None,
                                        actor="t", today=TODAY)


def test_interpretations_are_linked_and_missing_ones_flagged(registry: Registry, small: dict[str, str]) -> None:
    with registry.session() as s:
        linked = interpretations.link_interpretation(s, interpretation_ref=small["interp"], policy_ref=small["housing"],
                                                     actor="t", today=TODAY)
        assert linked.created and linked.on_time is True and linked.deadline == "2023-06-09"
        again = interpretations.link_interpretation(s, interpretation_ref=small["interp"], policy_ref=small["housing"],
                                                    actor="t", today=TODAY)
        assert not again.created and again.event_id == linked.event_id
        found = interpretations.missing_interpretations(s, today=TODAY)
        assert {r["id"] for r in found["missing"]} == {small["ads"], small["night"], small["trial"]}
        future = _doc(s, title="示例市二〇九九年规划", publication_date=date(2099, 1, 5), effective_date=date(2099, 2, 1))
        far = interpretations.missing_interpretations(s, today=date(2099, 3, 1))
        assert [r["id"] for r in far["calendar_unknown"]] == [future]
        assert "2099" in far["calendar_unknown"][0]["reason"]


def test_reports_as_json_and_csv(registry: Registry, small: dict[str, str]) -> None:
    with registry.session() as s:
        filing.record_filing(s, ref=small["housing"], filed_on=date(2023, 7, 1), filed_with="省政府", actor="t",
                             today=TODAY, days=30)
        card = reports.build_report(s, "scorecard", today=TODAY, settings=registry.settings)
        city = next(r for r in card.rows if r["issuer"] == "示例市人民政府")
        assert city["documents"] == 2 and city["on_time_filing_rate"] == 0.5
        assert card.rows[0]["documents"] >= card.rows[-1]["documents"]
        text = reports.to_csv(card)
        assert text.splitlines()[0].startswith("issuer,documents,")
        svg = reports.scorecard_svg(card.rows)
        assert svg.startswith("<svg") and "示例市人民政府" in svg
        for name in reports.REPORTS:
            assert reports.build_report(s, name, today=TODAY, settings=registry.settings).report == name
        with pytest.raises(InvalidInput):
            reports.build_report(s, "nope", today=TODAY, settings=registry.settings)
