"""Each user's inbox through the registry, on SQLite and PostgreSQL: what is due within the user's reach."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from registry.facade import Registry
from registry.models import Document
from tests.support import staff
from tests.support.workspace import actor, office_doc


def _ids(box: dict[str, Any], key: str) -> list[str]:
    section = next((s for s in box["sections"] if s["key"] == key), None)
    assert section is not None, f"no section {key}"
    return [i["document"]["id"] for i in section["items"] if i["document"]]


def _item(box: dict[str, Any], key: str, doc_id: str) -> dict[str, Any]:
    section = next(s for s in box["sections"] if s["key"] == key)
    return next(i for i in section["items"] if i["document"] and i["document"]["id"] == doc_id)


def test_filing_due_and_overdue_and_gone_once_filed(registry: Registry) -> None:
    clerk = actor(registry, "clerk.f", role="clerk")
    today = registry.today()
    fresh = office_doc(registry, clerk, "示例市新近办法", published=today - timedelta(days=5))
    late = office_doc(registry, clerk, "示例市逾期办法", published=today - timedelta(days=45))
    box = registry.inbox(clerk)
    assert set(_ids(box, "filing")) == {fresh, late}
    assert _item(box, "filing", late)["overdue"] and _item(box, "filing", late)["days"] == -15
    assert not _item(box, "filing", fresh)["overdue"] and _item(box, "filing", fresh)["days"] == 25
    registry.record_filing(late, filed_on=today, filed_with="示例市人民政府", actor=clerk)
    after = registry.inbox(clerk)
    assert _ids(after, "filing") == [fresh]
    assert registry.inbox_counts(clerk)["/staff/inbox"] == after["total"] < box["total"]


def test_the_inbox_stays_within_the_reach(registry: Registry) -> None:
    clerk = actor(registry, "clerk.g", role="clerk")
    transport = actor(registry, "clerk.jt2", role="clerk", office=staff.TRANSPORT[0])
    reviewer = actor(registry, "rev.g", role="reviewer", office=staff.CITY[0])
    doc = office_doc(registry, clerk, "示例市司法局办法", published=registry.today() - timedelta(days=3))
    assert doc in _ids(registry.inbox(reviewer), "filing")
    assert all(doc not in _ids(registry.inbox(transport), key) for key in ("filing", "interpretation"))
    assert registry.inbox(transport)["total"] == 0


def test_interpretation_disclosure_and_expiry(registry: Registry) -> None:
    clerk = actor(registry, "clerk.h", role="clerk")
    today = registry.today()
    policy = office_doc(registry, clerk, "示例市政策办法", published=today - timedelta(days=1),
                        expiry_date=today + timedelta(days=20))
    box = registry.inbox(clerk)
    due = _item(box, "interpretation", policy)
    assert due["due"] is not None and due["due"] > (today - timedelta(days=1)).isoformat()
    assert _item(box, "expiry", policy)["window_months"] == 1
    interp = office_doc(registry, clerk, "《示例市政策办法》政策解读", published=today, category="政策解读")
    registry.link_interpretation(policy, interpretation_ref=interp, actor=clerk)
    assert policy not in _ids(registry.inbox(clerk), "interpretation")
    draft = office_doc(registry, clerk, "示例市未发布办法", published=None, written_date=today - timedelta(days=2))
    with registry.session() as s:  # registered but not yet published (三统一), as intake leaves it
        row = s.get(Document, draft)
        assert row is not None
        row.published_at = None
        s.add(row)
        s.commit()
    item = _item(registry.inbox(clerk), "disclosure", draft)
    assert item["anchor"] == "publish" and item["due"] > today.isoformat()


def test_filing_review_is_a_reviewers_and_extends_by_twenty_days(registry: Registry) -> None:
    clerk = actor(registry, "clerk.i", role="clerk")
    reviewer = actor(registry, "rev.i", role="reviewer", office=staff.CITY[0])
    today = registry.today()
    doc = office_doc(registry, clerk, "示例市报备办法", published=today - timedelta(days=10))
    registry.record_filing(doc, filed_on=today - timedelta(days=5), filed_with="示例市人民政府", actor=clerk)
    assert "filing_review" not in {s["key"] for s in registry.inbox(clerk)["sections"]}
    first = _item(registry.inbox(reviewer), "filing_review", doc)
    assert first["days"] == 25 and not first["extended"]
    registry.extend_filing_review(doc, actor=reviewer)
    extended = _item(registry.inbox(reviewer), "filing_review", doc)
    assert extended["days"] == 45 and extended["extended"]
    registry.record_filing_review(doc, reviewed_on=today, outcome="通过", actor=reviewer)
    assert doc not in _ids(registry.inbox(reviewer), "filing_review")


def test_proposals_and_clearing_rows_wait_for_a_reviewer(registry: Registry, tmp_path: Path) -> None:
    clerk = actor(registry, "clerk.j", role="clerk")
    reviewer = actor(registry, "rev.j", role="reviewer", office=staff.CITY[0])
    doc = office_doc(registry, clerk, "示例市待废止办法", published=registry.today() - timedelta(days=300))
    proposal = registry.propose_change(doc, kind="repealed", on=registry.today(), actor=clerk)
    assert _item(registry.inbox(reviewer), "proposals", doc)["proposal"] == proposal.id
    mine = registry.inbox(clerk)
    assert _item(mine, "mine", doc)["proposal"] == proposal.id
    assert "proposals" not in {s["key"] for s in mine["sections"]}
    before = registry.inbox(reviewer)["total"]
    path = tmp_path / "list.csv"
    path.write_text("序号,文件名称,文号,清理结果\n1,示例市登记库中没有的办法,,废止\n", encoding="utf-8")
    registry.import_campaign(path, name="2026清理", actor=reviewer)
    box = registry.inbox(reviewer)
    rows = next(s for s in box["sections"] if s["key"] == "clearing")["items"]
    assert [(r["campaign"], r["row"]) for r in rows] == [("2026清理", 1)]
    assert box["total"] == before + 1
    registry.decide_proposal(proposal.id or 0, confirm=True, actor=reviewer)
    assert doc not in _ids(registry.inbox(reviewer), "proposals")
