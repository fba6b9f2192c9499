"""What is the status of a document on a given date, and why.

``evaluate`` is a pure function of a document's dates and its events: no database, no clock. Every
answer carries a reason (one sentence, Chinese and English) and the evidence it rests on, so a citizen
sees *why* and staff can check it. Rules, in order:

1. Before publication the document does not exist yet: not yet effective. A registered document that
   has not been published (``DocumentFacts.published`` false) is not yet effective on every date.
2. Events that end or change a document (repeal, amendment, declared invalid, clearing results, filing
   review annulment) take effect on their date; the latest one on or before the date asked wins, and a
   terminal one (repealed, invalid, amended) is never undone by time passing.
3. A validity period ends by itself: the day after ``expiry_date`` (extended by renewals) the document
   is invalid, unless something terminal happened first.
4. Before the effective date: not yet effective. On or after it: in force.
5. Where the registry only holds a *claim* (a catalog saying 已废止 as of a date) and not the date of the
   change itself, dates before the claim get ``unknown`` with that reason, never a guess.

An event undone by a ``revoked`` event (a compensating entry) is ignored everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol, TypeVar

from ingest.dates import expiry_after
from registry.rules.status import ClearingResult, EventType, FilingReviewOutcome, Status

TERMINAL = frozenset({Status.REPEALED, Status.INVALID, Status.AMENDED})


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    """The dates of one document that matter for validity."""

    title: str = ""
    publication_date: date | None = None
    effective_date: date | None = None
    expiry_date: date | None = None  # last day in force
    written_date: date | None = None
    published: bool = True  # False: registered but not yet published (三统一), so never in force


@dataclass(frozen=True, slots=True)
class EventFact:
    """One recorded event, reduced to what the engine reads.

    ``date`` is when the event took effect (None when not recorded); ``payload`` holds the details
    (``status`` of a claim, ``result`` of a clearing, ``outcome`` of a filing review, ``successor_id``,
    ``provisions``, ``new_expiry`` of a renewal, ``undoes`` of a revocation, ``source`` of a claim).
    """

    id: int
    type: EventType
    date: date | None
    payload: Mapping[str, Any] = field(default_factory=dict)
    legal_basis: str | None = None


@dataclass(slots=True)
class ValidityAnswer:
    status: Status
    as_of: date
    reason: str
    reason_en: str
    evidence: list[dict[str, Any]] = field(default_factory=list)
    successor_id: str | None = None
    flags: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Transition:
    when: date
    status: Status
    event: EventFact
    order: int


def _fmt(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _evidence(ev: EventFact) -> dict[str, Any]:
    item: dict[str, Any] = {"event_id": ev.id, "type": ev.type.value, "date": ev.date.isoformat() if ev.date else None}
    if ev.legal_basis:
        item["legal_basis"] = ev.legal_basis
    for key in ("status", "result", "outcome", "successor_id", "provisions", "campaign", "source", "new_expiry"):
        if key in ev.payload and ev.payload[key] not in (None, ""):
            item[key] = ev.payload[key]
    return item


def transition_status(ev: EventFact) -> Status | None:
    """The status an event puts a document into from its date, or None if it changes nothing."""
    t = ev.type
    if t is EventType.REPEALED:
        return Status.REPEALED
    if t is EventType.AMENDED:
        return Status.AMENDED
    if t is EventType.DECLARED_INVALID:
        return Status.INVALID
    if t is EventType.PARTIALLY_INVALID:
        return Status.PARTIALLY_INVALID
    if t is EventType.CLEARED:
        result = str(ev.payload.get("result", ""))
        if result == ClearingResult.REPEAL:
            return Status.REPEALED
        if result in (ClearingResult.DECLARE_INVALID, ClearingResult.INVALID):
            return Status.INVALID
        if result in (ClearingResult.CONTINUE, ClearingResult.AMEND):
            return Status.IN_FORCE
        return None
    if t is EventType.FILING_REVIEWED and ev.payload.get("outcome") == FilingReviewOutcome.ANNULLED:
        return Status.INVALID
    return None


def effective_expiry(facts: DocumentFacts, events: Sequence[EventFact], at: date) -> date | None:
    """The last day of the validity period as known on ``at`` (renewals recorded by then extend it)."""
    expiry = facts.expiry_date
    for ev in events:
        if ev.type is EventType.RENEWED and (ev.date is None or ev.date <= at):
            new = ev.payload.get("new_expiry")
            if new:
                expiry = date.fromisoformat(str(new))
    return expiry


class _Revocable(Protocol):
    @property
    def id(self) -> int | None: ...
    @property
    def type(self) -> str: ...
    @property
    def payload(self) -> Mapping[str, Any]: ...


E = TypeVar("E", bound=_Revocable)


def not_revoked(events: Iterable[E]) -> list[E]:
    """The events no ``revoked`` event undid, revocations themselves left out: the one revocation filter,
    for stored events and engine facts alike (an event type compares equal to its code)."""
    events = list(events)
    undone = {int(ev.payload["undoes"]) for ev in events
              if ev.type == EventType.REVOKED and ev.payload.get("undoes") is not None}
    return [ev for ev in events if ev.id not in undone and ev.type != EventType.REVOKED]


def evaluate(facts: DocumentFacts, events: Sequence[EventFact], at: date) -> ValidityAnswer:
    """Status of the document on ``at``, with its reason and evidence."""
    live = not_revoked(events)

    if not facts.published:
        return ValidityAnswer(Status.NOT_YET_EFFECTIVE, at, "该文件已登记，尚未发布。",
                              "Registered but not yet published.")

    published = facts.publication_date or facts.written_date
    if published and at < published:
        return ValidityAnswer(
            Status.NOT_YET_EFFECTIVE, at,
            f"该文件于{_fmt(published)}公布，在所查询日期尚未公布。",
            f"Published on {published.isoformat()}; not yet published on the date asked.",
        )

    transitions: list[_Transition] = []
    claims: list[EventFact] = []
    changes: dict[Status, list[date]] = {}  # every dated change, also after ``at``: they explain claims
    for order, ev in enumerate(live):
        if ev.type is EventType.STATUS_ASSERTED:
            claims.append(ev)
            continue
        status = transition_status(ev)
        if status is None or ev.date is None:
            continue
        changes.setdefault(status, []).append(ev.date)
        if ev.date <= at:
            transitions.append(_Transition(ev.date, status, ev, order))
    transitions.sort(key=lambda t: (t.when, t.order))
    latest: _Transition | None = None
    for t in transitions:
        # Once ended (repealed, invalid, amended) only another ending can follow; a later partial
        # invalidity or 继续有效 cannot bring the text back.
        if latest is None or latest.status not in TERMINAL or t.status in TERMINAL:
            latest = t

    if latest and latest.status in TERMINAL:
        answer = _terminal_answer(latest, at)
        if latest.status is Status.AMENDED:
            # The clearing decision that called for the amendment is part of why: keep its campaign.
            answer.evidence += [_evidence(t.event) for t in transitions if _marks_amendment(t.event)]
        return answer

    terminal_claim = _from_claims(facts, [c for c in claims if c.date and c.date <= at
                                          and str(c.payload.get("status")) in TERMINAL], changes, at)
    if terminal_claim is not None:
        return terminal_claim  # an explicit statement that it ended outranks a period that also ended

    expiry = effective_expiry(facts, live, at)
    if expiry and at > expiry:
        ended = expiry + timedelta(days=1)
        answer = ValidityAnswer(
            Status.INVALID, at,
            f"有效期至{_fmt(expiry)}届满，自{_fmt(ended)}起失效。",
            f"Its validity period ended on {expiry.isoformat()}; invalid since {ended.isoformat()}.",
            evidence=[{"type": "validity_period", "expiry_date": expiry.isoformat()}],
        )
        if latest and latest.when > expiry:
            answer.flags.append("event_after_expiry")
        return answer

    claim_answer = _from_claims(facts, claims, changes, at)
    if claim_answer is not None:
        return claim_answer

    if latest and latest.status is Status.PARTIALLY_INVALID and (facts.effective_date is None
                                                                  or at >= facts.effective_date):
        provisions = latest.event.payload.get("provisions")
        if isinstance(provisions, list):  # as the workspace sends them: labels, shown as the text writes them
            provisions = "、".join(str(p) for p in provisions)
        detail = f"（{provisions}）" if provisions else ""
        return ValidityAnswer(
            Status.PARTIALLY_INVALID, at,
            f"自{_fmt(latest.when)}起部分条款不再适用{detail}，其余条款有效。",
            f"Some provisions no longer apply since {latest.when.isoformat()}{detail}; the rest is in force.",
            evidence=[_evidence(latest.event)],
        )

    eff = facts.effective_date
    if eff is None:
        confirmed = latest.when if latest else None
        if confirmed is None:
            return ValidityAnswer(
                Status.UNKNOWN, at,
                "施行日期未记载，无法确定该日是否已施行。",
                "The effective date is not recorded, so whether it was in force on that date is unknown.",
            )
        eff_reason = f"施行日期未记载；{_fmt(confirmed)}的记录确认其有效。"
        eff_reason_en = f"Effective date not recorded; a record of {confirmed.isoformat()} confirms it in force."
    elif at < eff:
        return ValidityAnswer(
            Status.NOT_YET_EFFECTIVE, at,
            f"尚未生效，将于{_fmt(eff)}起施行。",
            f"Not yet effective; it takes effect on {eff.isoformat()}.",
            evidence=[{"type": "effective_date", "effective_date": eff.isoformat()}],
        )
    else:
        eff_reason = f"自{_fmt(eff)}起施行，现行有效。"
        eff_reason_en = f"In force since {eff.isoformat()}."
    answer = ValidityAnswer(Status.IN_FORCE, at, eff_reason, eff_reason_en)
    if eff is not None:
        answer.evidence.append({"type": "effective_date", "effective_date": eff.isoformat()})
    if latest:
        answer.evidence.append(_evidence(latest.event))
        if _marks_amendment(latest.event):
            answer.flags.append("marked_for_amendment")
    if expiry:
        answer.evidence.append({"type": "validity_period", "expiry_date": expiry.isoformat()})
    return answer


def _marks_amendment(ev: EventFact) -> bool:
    """A clearing result of 修改: the text stays in force until the amendment it calls for."""
    return ev.type is EventType.CLEARED and ev.payload.get("result") == ClearingResult.AMEND


def _terminal_answer(t: _Transition, at: date) -> ValidityAnswer:
    successor = t.event.payload.get("successor_id")
    successor_id = str(successor) if successor else None
    basis = t.event.legal_basis or t.event.payload.get("campaign") or ""
    by = f"（依据：{basis}）" if basis else ""
    if t.status is Status.REPEALED:
        zh, en = f"已于{_fmt(t.when)}废止{by}。", f"Repealed on {t.when.isoformat()}."
    elif t.status is Status.AMENDED:
        zh, en = f"已于{_fmt(t.when)}被修改，以新文本为准{by}。", f"Amended on {t.when.isoformat()}; the newer text applies."
    else:
        zh, en = f"已于{_fmt(t.when)}失效{by}。", f"Invalid since {t.when.isoformat()}."
    return ValidityAnswer(t.status, at, zh, en, evidence=[_evidence(t.event)], successor_id=successor_id)


def _from_claims(
    facts: DocumentFacts, claims: list[EventFact], changes: dict[Status, list[date]], at: date
) -> ValidityAnswer | None:
    """Answer from catalog claims where dated events and dates cannot.

    A claim says "status S as of date D". It decides the answer only where nothing dated explains it:
    a terminal S with no dated terminal event, or an effective date that was never recorded.
    """
    if not claims:
        return None
    eff = facts.effective_date
    for claim in sorted(claims, key=lambda c: c.date or date.min, reverse=True):
        if claim.date is None:
            continue
        status = Status(str(claim.payload.get("status")))
        source = str(claim.payload.get("source") or "目录")
        when = claim.date
        if status in TERMINAL or status is Status.PARTIALLY_INVALID:
            same = [Status.REPEALED, Status.INVALID, Status.AMENDED] if status in TERMINAL else [status]
            if any(d <= when for s in same for d in changes.get(s, [])):
                continue  # a dated event explains the claim; the dates answer
            if when <= at:
                return ValidityAnswer(
                    status, at,
                    f"据{source}，截至{_fmt(when)}为“{status.label}”；变更日期未记载。",
                    f"According to {source}, {status.label_en} as of {when.isoformat()}; the date of the change "
                    "is not recorded.",
                    evidence=[_evidence(claim)],
                    successor_id=str(claim.payload["successor_id"]) if claim.payload.get("successor_id") else None,
                )
            if eff is not None and at < eff:
                return None  # before it took effect: the dates answer that with certainty
            return ValidityAnswer(
                Status.UNKNOWN, at,
                f"据{source}，截至{_fmt(when)}为“{status.label}”，但变更日期未记载，无法确定该日状态。",
                f"According to {source} it was {status.label_en} by {when.isoformat()}, but the date of the "
                "change is not recorded, so the status on that date is unknown.",
                evidence=[_evidence(claim)],
            )
        if eff is None and status is Status.IN_FORCE and when <= at:
            return ValidityAnswer(
                Status.IN_FORCE, at,
                f"施行日期未记载；据{source}，截至{_fmt(when)}现行有效。",
                f"Effective date not recorded; according to {source} in force as of {when.isoformat()}.",
                evidence=[_evidence(claim)],
            )
        if eff is None and status is Status.NOT_YET_EFFECTIVE:
            if at <= when:
                return ValidityAnswer(
                    Status.NOT_YET_EFFECTIVE, at,
                    f"据{source}，截至{_fmt(when)}尚未生效。",
                    f"According to {source}, not yet effective as of {when.isoformat()}.",
                    evidence=[_evidence(claim)],
                )
            return ValidityAnswer(
                Status.UNKNOWN, at,
                f"据{source}，截至{_fmt(when)}尚未生效；施行日期未记载，无法确定此后的状态。",
                f"According to {source} not yet effective as of {when.isoformat()}; the effective date is not "
                "recorded, so the later status is unknown.",
                evidence=[_evidence(claim)],
            )
    return None


PROVISIONAL_MARKERS = ("暂行", "试行")


def period_flags(
    title: str, effective: date | None, expiry: date | None, *, max_years: int = 5, max_provisional_years: int = 2
) -> list[str]:
    """Flags for validity periods longer than the rules allow (5 years; 2 for 暂行/试行)."""
    flags: list[str] = []
    if effective is None or expiry is None:
        if any(m in title for m in PROVISIONAL_MARKERS) and expiry is None:
            flags.append("provisional_without_period")
        return flags
    provisional = any(m in title for m in PROVISIONAL_MARKERS)
    limit = max_provisional_years if provisional else max_years
    if expiry > expiry_after(effective, limit):
        flags.append("provisional_period_too_long" if provisional else "period_too_long")
    return flags
