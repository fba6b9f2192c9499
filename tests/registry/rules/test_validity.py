"""The validity engine: a table of scenarios a legal officer would recognise, and properties that must
hold for any dates and events (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.dates import expiry_after
from registry.rules.status import EventType, Status
from registry.rules.validity import TERMINAL, DocumentFacts, EventFact, evaluate, period_flags

D = date.fromisoformat


def ev(id: int, type: EventType, when: str | None, **payload: Any) -> EventFact:
    return EventFact(id=id, type=type, date=D(when) if when else None, payload=payload)


THREE_YEARS = DocumentFacts(title="示例市夜间经济管理办法", publication_date=D("2019-02-01"),
                            effective_date=D("2019-03-01"), expiry_date=expiry_after(D("2019-03-01"), 3))

SCENARIOS: list[tuple[str, DocumentFacts, list[EventFact], str, Status]] = [
    ("before effect (有效期3年)", THREE_YEARS, [], "2019-02-15", Status.NOT_YET_EFFECTIVE),
    ("inside the period", THREE_YEARS, [], "2020-06-01", Status.IN_FORCE),
    ("last day of the period", THREE_YEARS, [], "2022-02-28", Status.IN_FORCE),
    ("the day after the period", THREE_YEARS, [], "2022-03-01", Status.INVALID),
    ("after the period", THREE_YEARS, [], "2022-03-02", Status.INVALID),
    ("before publication", THREE_YEARS, [], "2018-12-31", Status.NOT_YET_EFFECTIVE),
    ("repealed by a later document", THREE_YEARS,
     [ev(1, EventType.REPEALED, "2020-07-01", successor_id="new")], "2020-07-01", Status.REPEALED),
    ("in force the day before the repeal", THREE_YEARS,
     [ev(1, EventType.REPEALED, "2020-07-01", successor_id="new")], "2020-06-30", Status.IN_FORCE),
    ("repeal outranks the later end of the period", THREE_YEARS,
     [ev(1, EventType.REPEALED, "2020-07-01")], "2023-01-01", Status.REPEALED),
    ("amended", THREE_YEARS, [ev(1, EventType.AMENDED, "2021-01-01", successor_id="v2")], "2021-05-01",
     Status.AMENDED),
    ("partially invalid", THREE_YEARS,
     [ev(1, EventType.PARTIALLY_INVALID, "2020-01-01", provisions="第五条、第六条")], "2020-02-01",
     Status.PARTIALLY_INVALID),
    ("clearing: declared invalid", THREE_YEARS,
     [ev(1, EventType.CLEARED, "2020-05-01", result="宣布失效", campaign="2020年清理")], "2020-06-01", Status.INVALID),
    ("clearing: repealed", THREE_YEARS,
     [ev(1, EventType.CLEARED, "2020-05-01", result="废止", campaign="2020年清理")], "2020-06-01", Status.REPEALED),
    ("clearing: continues, within its period", THREE_YEARS,
     [ev(1, EventType.CLEARED, "2020-05-01", result="继续有效", campaign="2020年清理")], "2020-06-01",
     Status.IN_FORCE),
    ("clearing 继续有效 does not extend a period", THREE_YEARS,
     [ev(1, EventType.CLEARED, "2021-05-01", result="继续有效")], "2022-06-01", Status.INVALID),
    ("renewal extends the period", THREE_YEARS,
     [ev(1, EventType.RENEWED, "2022-02-01", new_expiry="2025-02-28")], "2023-06-01", Status.IN_FORCE),
    ("filing review annulment", THREE_YEARS,
     [ev(1, EventType.FILING_REVIEWED, "2019-06-01", outcome="撤销")], "2019-07-01", Status.INVALID),
    ("a revoked repeal is ignored", THREE_YEARS,
     [ev(1, EventType.REPEALED, "2020-07-01"), ev(2, EventType.REVOKED, "2020-08-01", undoes=1)], "2020-09-01",
     Status.IN_FORCE),
    ("catalog says repealed, date unknown: after the claim", DocumentFacts(
        publication_date=D("2000-01-01"), effective_date=D("2000-01-01")),
     [ev(1, EventType.STATUS_ASSERTED, "2025-12-01", status="repealed", source="catalog.jsonl")], "2026-01-01",
     Status.REPEALED),
    ("catalog says repealed, date unknown: before the claim is unknown", DocumentFacts(
        publication_date=D("2000-01-01"), effective_date=D("2000-01-01")),
     [ev(1, EventType.STATUS_ASSERTED, "2025-12-01", status="repealed", source="catalog.jsonl")], "2010-01-01",
     Status.UNKNOWN),
    ("catalog said not yet effective, the date has passed", DocumentFacts(
        publication_date=D("2025-09-12"), effective_date=D("2025-11-01")),
     [ev(1, EventType.STATUS_ASSERTED, "2025-10-01", status="not_yet_effective")], "2026-11-26", Status.IN_FORCE),
    ("no effective date, no evidence: unknown", DocumentFacts(publication_date=D("2010-01-01")), [], "2015-01-01",
     Status.UNKNOWN),
    ("no effective date, catalog confirms in force", DocumentFacts(publication_date=D("2010-01-01")),
     [ev(1, EventType.STATUS_ASSERTED, "2025-12-01", status="in_force")], "2026-01-01", Status.IN_FORCE),
    ("amended claim explained by a dated amendment", DocumentFacts(
        publication_date=D("2000-01-01"), effective_date=D("2000-01-01")),
     [ev(1, EventType.STATUS_ASSERTED, "2025-12-01", status="amended"),
      ev(2, EventType.AMENDED, "2013-07-01", successor_id="v2")], "2010-01-01", Status.IN_FORCE),
]


@pytest.mark.parametrize(("name", "facts", "events", "at", "expected"), SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_status_scenarios(name: str, facts: DocumentFacts, events: list[EventFact], at: str, expected: Status) -> None:
    answer = evaluate(facts, events, D(at))
    assert answer.status is expected, answer.reason
    assert answer.reason and answer.reason_en


def test_repeal_names_its_successor_and_evidence() -> None:
    answer = evaluate(THREE_YEARS, [ev(7, EventType.REPEALED, "2020-07-01", successor_id="new")], D("2021-01-01"))
    assert answer.successor_id == "new"
    assert answer.evidence[0]["event_id"] == 7
    assert "2020年7月1日" in answer.reason


def test_an_amendment_a_clearing_called_for_keeps_the_campaign_in_its_evidence() -> None:
    """A 修改 clearing row, then the amendment: the answer is 已修改 and names both the amending event and
    the campaign that decided the text must change (the campaign used to drop out of the evidence)."""
    events = [ev(3, EventType.CLEARED, "2020-05-01", result="修改", campaign="2020年清理"),
              ev(4, EventType.AMENDED, "2020-09-01", successor_id="v2")]
    marked = evaluate(THREE_YEARS, events, D("2020-06-01"))
    assert marked.status is Status.IN_FORCE and "marked_for_amendment" in marked.flags
    assert [e.get("campaign") for e in marked.evidence if e["type"] == "cleared"] == ["2020年清理"]
    amended = evaluate(THREE_YEARS, events, D("2020-10-01"))
    assert amended.status is Status.AMENDED and amended.successor_id == "v2"
    assert [e["event_id"] for e in amended.evidence] == [4, 3]
    assert amended.evidence[1]["campaign"] == "2020年清理"


def test_expiry_reason_names_the_day_it_lost_effect() -> None:
    answer = evaluate(THREE_YEARS, [], D("2022-03-02"))
    assert "2022年3月1日起失效" in answer.reason


def test_provisional_document_over_two_years_is_flagged() -> None:
    assert period_flags("示例市某某暂行办法", D("2024-01-01"), D("2028-12-31")) == ["provisional_period_too_long"]
    assert period_flags("示例市某某暂行办法", D("2024-01-01"), D("2025-12-31")) == []
    assert period_flags("示例市某某办法", D("2024-01-01"), D("2030-01-01")) == ["period_too_long"]
    assert period_flags("示例市某某办法", D("2024-01-01"), D("2028-12-31")) == []


# --- properties -------------------------------------------------------------------------------------------

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))


@st.composite
def documents(draw: st.DrawFn) -> DocumentFacts:
    pub = draw(dates)
    eff = pub + timedelta(days=draw(st.integers(0, 400)))
    years = draw(st.one_of(st.none(), st.integers(1, 6)))
    return DocumentFacts(title="文件", publication_date=pub, effective_date=eff,
                         expiry_date=expiry_after(eff, years) if years else None)


TRANSITIONS = [EventType.REPEALED, EventType.AMENDED, EventType.DECLARED_INVALID]


@st.composite
def event_lists(draw: st.DrawFn) -> list[EventFact]:
    n = draw(st.integers(0, 4))
    out = []
    for i in range(n):
        etype = draw(st.sampled_from([*TRANSITIONS, EventType.PARTIALLY_INVALID, EventType.NOTE]))
        payload = {"provisions": "第三条"} if etype is EventType.PARTIALLY_INVALID else {}
        out.append(EventFact(id=i + 1, type=etype, date=draw(dates), payload=payload))
    return out


@settings(max_examples=300, deadline=None)
@given(documents(), event_lists(), dates)
def test_never_in_force_before_the_effective_date(facts: DocumentFacts, events: list[EventFact], at: date) -> None:
    answer = evaluate(facts, events, at)
    assert facts.effective_date is not None
    if at < facts.effective_date:
        assert answer.status not in (Status.IN_FORCE, Status.PARTIALLY_INVALID)
    assert answer.reason


@settings(max_examples=300, deadline=None)
@given(documents(), event_lists(), dates, st.integers(1, 4000))
def test_an_ended_document_stays_ended(facts: DocumentFacts, events: list[EventFact], at: date, later: int) -> None:
    first = evaluate(facts, events, at)
    if first.status in TERMINAL:
        after = evaluate(facts, events, at + timedelta(days=later))
        assert after.status in TERMINAL


@settings(max_examples=300, deadline=None)
@given(documents(), event_lists(), st.sampled_from(TRANSITIONS), dates, dates)
def test_a_revoked_event_changes_nothing(
    facts: DocumentFacts, events: list[EventFact], etype: EventType, when: date, at: date
) -> None:
    wrong = EventFact(id=99, type=etype, date=when)
    undo = EventFact(id=100, type=EventType.REVOKED, date=when, payload={"undoes": 99})
    assert evaluate(facts, [*events, wrong, undo], at).status is evaluate(facts, events, at).status


@settings(max_examples=300, deadline=None)
@given(documents(), dates)
def test_without_events_the_dates_decide(facts: DocumentFacts, at: date) -> None:
    status = evaluate(facts, [], at).status
    assert facts.effective_date is not None and facts.publication_date is not None
    if at < facts.effective_date:
        assert status is Status.NOT_YET_EFFECTIVE
    elif facts.expiry_date is not None and at > facts.expiry_date:
        assert status is Status.INVALID
    else:
        assert status is Status.IN_FORCE
