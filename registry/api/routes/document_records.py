"""``/api/v1/documents/{id}/…``: the event log and the lifecycle facts staff record about one document.

Recording a filing, a legality review, a renewal or an interpretation needs a clerk; a filing review
outcome and the event types that decide a status need a reviewer (see :mod:`registry.api.auth`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from registry.api.auth import ClerkDep, ReviewerDep, require_event_role
from registry.api.schemas import (
    ERRORS,
    WRITE_ERRORS,
    FilingIn,
    FilingReviewIn,
    InterpretationIn,
    LegalityReviewIn,
    RenewalIn,
)
from registry.http.deps import RegistryDep
from registry.models import EventCreate, EventPublic, EventsPublic
from registry.models.records import (
    FilingRecorded,
    FilingReviewRecorded,
    InterpretationLinked,
    LegalityReviewRecorded,
    RenewalRecorded,
)

router = APIRouter(tags=["events"])
Json = dict[str, Any]


@router.post("/api/v1/documents/{document_id}/events",
             summary="Record an event (clerk; events that decide a status: reviewer)", status_code=201,
             response_model=EventPublic, responses=WRITE_ERRORS)
def create_event(document_id: str, data: EventCreate, actor: ClerkDep, registry: RegistryDep) -> EventPublic:
    require_event_role(actor, data.type)
    event = registry.record_event(document_id, data, actor=actor)
    return EventPublic.model_validate(event.model_dump())


@router.get("/api/v1/documents/{document_id}/events", summary="The document's events, oldest first",
            response_model=EventsPublic, responses=ERRORS)
def get_events(
    document_id: str, registry: RegistryDep,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 100,
) -> EventsPublic:
    total, rows = registry.list_events(document_id, offset=(page - 1) * per_page, limit=per_page)
    return EventsPublic(total=total, items=[EventPublic.model_validate(e.model_dump()) for e in rows])


@router.post("/api/v1/documents/{document_id}/filings", summary="Record a filing (clerk)", status_code=201,
             responses={**WRITE_ERRORS}, tags=["lifecycle"])
def record_filing(document_id: str, body: FilingIn, actor: ClerkDep, registry: RegistryDep) -> FilingRecorded:
    return registry.record_filing(document_id, filed_on=body.filed_on, filed_with=body.filed_with,
                                  filing_number=body.filing_number, evidence=body.evidence, actor=actor)


@router.post("/api/v1/documents/{document_id}/legality-reviews", summary="Record a legality review (clerk)",
             status_code=201, responses={**WRITE_ERRORS}, tags=["lifecycle"])
def record_legality_review(document_id: str, body: LegalityReviewIn, actor: ClerkDep, registry: RegistryDep) -> LegalityReviewRecorded:
    return registry.record_legality_review(document_id, reviewed_on=body.reviewed_on, reviewer=body.reviewer,
                                           opinion=body.opinion, evidence=body.evidence, actor=actor)


@router.post("/api/v1/documents/{document_id}/filing-reviews",
             summary="Record a filing review outcome: 通过, 纠正 or 撤销 (reviewer)", status_code=201,
             responses={**WRITE_ERRORS}, tags=["lifecycle"])
def record_filing_review(document_id: str, body: FilingReviewIn, actor: ReviewerDep, registry: RegistryDep) -> FilingReviewRecorded:
    return registry.record_filing_review(document_id, reviewed_on=body.reviewed_on, outcome=body.outcome,
                                         reviewer=body.reviewer, legal_basis=body.legal_basis,
                                         evidence=body.evidence, actor=actor)


@router.post("/api/v1/documents/{document_id}/renewals", summary="Record a new validity period (clerk)",
             status_code=201, responses={**WRITE_ERRORS}, tags=["lifecycle"])
def renew(document_id: str, body: RenewalIn, actor: ClerkDep, registry: RegistryDep) -> RenewalRecorded:
    return registry.renew(document_id, new_expiry=body.new_expiry, renewed_on=body.renewed_on,
                          registration_number=body.registration_number, legal_basis=body.legal_basis,
                          actor=actor)


@router.post("/api/v1/documents/{document_id}/interpretations",
             summary="Link a policy interpretation to this policy (clerk)", status_code=201,
             responses={**WRITE_ERRORS}, tags=["lifecycle"])
def link_interpretation(document_id: str, body: InterpretationIn, actor: ClerkDep, registry: RegistryDep) -> InterpretationLinked:
    return registry.link_interpretation(document_id, interpretation_ref=body.interpretation, actor=actor)
