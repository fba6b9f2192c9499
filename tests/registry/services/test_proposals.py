"""A clerk proposes, a reviewer confirms: proposals through the registry, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from registry.errors import Conflict, Forbidden, InvalidInput, NotFound
from registry.facade import Registry
from tests.support import staff
from tests.support.workspace import actor, office_doc


def test_a_confirmed_repeal_records_one_event_naming_proposer_and_confirmer(registry: Registry) -> None:
    clerk = actor(registry, "clerk.a", role="clerk")
    reviewer = actor(registry, "rev.a", role="reviewer", office=staff.CITY[0])
    today = registry.today()
    old = office_doc(registry, clerk, "示例市旧办法", published=today - timedelta(days=400))
    new = office_doc(registry, clerk, "示例市新办法", published=today - timedelta(days=10), doc_number="示司发〔2026〕3号")
    proposal = registry.propose_change(old, kind="repealed", on=today - timedelta(days=10), successor="示司发〔2026〕3号",
                                       legal_basis="示司发〔2026〕3号第二十条", note="新办法施行", actor=clerk)
    assert proposal.state == "open" and proposal.payload["successor_id"] == new
    assert registry.get_document(old)["status"] == "in_force"  # nothing changes before a reviewer decides
    done = registry.decide_proposal(proposal.id or 0, confirm=True, actor=reviewer)
    assert done.state == "confirmed" and done.decided_by == "rev.a" and done.event_id is not None
    _, events = registry.list_events(old)
    repeal = [e for e in events if e.type == "repealed"]
    assert len(repeal) == 1 and repeal[0].id == done.event_id
    assert repeal[0].actor == "rev.a"
    assert repeal[0].payload["proposed_by"] == "clerk.a" and repeal[0].payload["confirmed_by"] == "rev.a"
    assert repeal[0].evidence["proposed_by"] == "clerk.a" and repeal[0].payload["successor_id"] == new
    answer = registry.check(old)
    assert answer["status"] == "repealed" and answer["successor"]["id"] == new
    with pytest.raises(Conflict):
        registry.decide_proposal(proposal.id or 0, confirm=True, actor=reviewer)
    assert len([e for e in registry.list_events(old)[1] if e.type == "repealed"]) == 1


def test_rejecting_and_withdrawing_change_nothing_but_the_proposal(registry: Registry) -> None:
    clerk = actor(registry, "clerk.b", role="clerk")
    other_clerk = actor(registry, "clerk.c", role="clerk")
    reviewer = actor(registry, "rev.b", role="reviewer", office=staff.CITY[0])
    doc = office_doc(registry, clerk, "示例市某办法", published=registry.today() - timedelta(days=100))
    first = registry.propose_change(doc, kind="declared_invalid", on=registry.today(), actor=clerk)
    with pytest.raises(Forbidden):
        registry.withdraw_proposal(first.id or 0, actor=other_clerk)  # same office, not the author
    with pytest.raises(Forbidden):
        registry.decide_proposal(first.id or 0, confirm=True, actor=other_clerk)  # a clerk never confirms
    assert registry.withdraw_proposal(first.id or 0, actor=clerk).state == "withdrawn"
    second = registry.propose_change(doc, kind="declared_invalid", on=registry.today(), actor=clerk)
    rejected = registry.decide_proposal(second.id or 0, confirm=False, note="依据不足", actor=reviewer)
    assert rejected.state == "rejected" and rejected.decision_note == "依据不足" and rejected.event_id is None
    assert registry.get_document(doc)["status"] == "in_force"
    assert {e.type for e in registry.list_events(doc)[1]} == {"note"}


def test_nobody_confirms_their_own_proposal_and_reach_is_checked(registry: Registry) -> None:
    clerk = actor(registry, "clerk.d", role="clerk")
    reviewer = actor(registry, "rev.d", role="reviewer", office=staff.CITY[0])
    outsider = actor(registry, "rev.jt", role="reviewer", office=staff.TRANSPORT[0])
    transport_clerk = actor(registry, "clerk.jt", role="clerk", office=staff.TRANSPORT[0])
    doc = office_doc(registry, clerk, "示例市另一办法", published=registry.today() - timedelta(days=50))
    own = registry.propose_change(doc, kind="amended", on=registry.today(), actor=reviewer)
    with pytest.raises(Forbidden):
        registry.decide_proposal(own.id or 0, confirm=True, actor=reviewer)
    with pytest.raises(Forbidden):
        registry.decide_proposal(own.id or 0, confirm=True, actor=outsider)  # a bureau beside, not above
    with pytest.raises(Forbidden):
        registry.propose_change(doc, kind="repealed", on=registry.today(), actor=transport_clerk)
    assert registry.decide_proposal(own.id or 0, confirm=True, actor=clerk.__class__(
        name="admin.op", role="admin")).state == "confirmed"


def test_incomplete_proposals_are_refused_before_anything_is_stored(registry: Registry) -> None:
    clerk = actor(registry, "clerk.e", role="clerk")
    doc = office_doc(registry, clerk, "示例市第三办法", published=date(2025, 3, 1))
    with pytest.raises(InvalidInput, match="条款"):
        registry.propose_change(doc, kind="partially_invalid", on=date(2026, 1, 1), provisions=[" "], actor=clerk)
    with pytest.raises(InvalidInput):
        registry.propose_change(doc, kind="expired", on=date(2026, 1, 1), actor=clerk)
    with pytest.raises(InvalidInput, match="日期"):
        registry.propose_change(doc, kind="repealed", on=None, actor=clerk)
    with pytest.raises(NotFound):
        registry.propose_change(doc, kind="repealed", on=date(2026, 1, 1), successor="没有这个文件", actor=clerk)
    assert registry.workspace(doc, actor=clerk)["proposals"] == []
    partial = registry.propose_change(doc, kind="partially_invalid", on=date(2026, 1, 1),
                                      provisions=["第三条", " 第五条"], actor=clerk)
    assert partial.payload["provisions"] == ["第三条", "第五条"]
    confirmed = registry.decide_proposal(partial.id or 0, confirm=True, actor="operator")
    assert confirmed.state == "confirmed"
    assert registry.get_document(doc)["status"] == "partially_invalid"
