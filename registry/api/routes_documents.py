"""Document writes and the event log: create, edit under ``If-Match``, record and list events.

Reading is public; creating, editing and recording events need a clerk's token (or above), whose name is
recorded as the actor. Edits require the ETag from a previous read, so two clerks editing the same
document can never silently overwrite each other: the second gets 412 and reloads.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response

from registry.api.auth import ClerkDep, require_event_role
from registry.api.deps import RegistryDep, SessionDep
from registry.api.schemas import ERRORS, WRITE_ERRORS, DocumentOut, ErrorResponse
from registry.errors import InvalidInput, PreconditionRequired
from registry.models import DocumentCreate, DocumentUpdate, EventCreate, EventPublic, EventsPublic
from registry.services import documents as documents_service
from registry.services.events import list_events, record_event

router = APIRouter(tags=["documents"])
_ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,12})"?\s*$')


def etag(version: int) -> str:
    return f'"{version}"'


def parse_if_match(value: str | None) -> int:
    """The version an ``If-Match`` header names; 428 without one, 422 for one we never issued."""
    if value is None or not value.strip():
        raise PreconditionRequired()
    m = _ETAG.match(value)
    if m is None:
        raise InvalidInput("If-Match must be an ETag from GET /api/v1/documents/{id}", details={"If-Match": value})
    return int(m.group(1))


@router.post("/api/v1/documents", summary="Create a document (clerk)", status_code=201,
             response_model=DocumentOut, responses={**WRITE_ERRORS, 409: ERRORS[409]})
def create_document(
    data: DocumentCreate, actor: ClerkDep, registry: RegistryDep, session: SessionDep, response: Response,
) -> dict[str, Any]:
    doc = documents_service.create_document(session, data=data, today=registry.today(), actor=actor.name)
    registry.after_commit()
    response.headers["ETag"] = etag(doc.version)
    response.headers["Location"] = f"/api/v1/documents/{doc.id}"
    return documents_service.show(session, doc)


@router.patch("/api/v1/documents/{document_id}", summary="Edit a document's metadata under If-Match (clerk)",
              response_model=DocumentOut,
              responses={**WRITE_ERRORS, 412: {"model": ErrorResponse, "description": "Stale ETag"},
                         428: {"model": ErrorResponse, "description": "If-Match missing"}})
def update_document(
    document_id: str, data: DocumentUpdate, actor: ClerkDep, registry: RegistryDep, session: SessionDep,
    response: Response,
    if_match: Annotated[str | None, Header(description='The ETag from the last read, e.g. "3"')] = None,
) -> dict[str, Any]:
    expected = parse_if_match(if_match)
    doc = documents_service.update_document(session, document_id=document_id, data=data, expected_version=expected,
                                            today=registry.today(), actor=actor.name)
    registry.after_commit()
    response.headers["ETag"] = etag(doc.version)
    return documents_service.show(session, doc)


@router.post("/api/v1/documents/{document_id}/events",
             summary="Record an event (clerk; filing_reviewed, cleared and revoked: reviewer)", status_code=201,
             response_model=EventPublic, responses=WRITE_ERRORS, tags=["events"])
def create_event(
    document_id: str, data: EventCreate, actor: ClerkDep, registry: RegistryDep, session: SessionDep,
) -> EventPublic:
    require_event_role(actor, data.type)
    event = record_event(session, document_id=document_id, data=data, actor=actor.name, today=registry.today())
    registry.after_commit()
    return EventPublic.model_validate(event.model_dump())


@router.get("/api/v1/documents/{document_id}/events", summary="The document's events, oldest first",
            response_model=EventsPublic, responses=ERRORS, tags=["events"])
def get_events(
    document_id: str, session: SessionDep,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 100,
) -> EventsPublic:
    total, rows = list_events(session, document_id=document_id, offset=(page - 1) * per_page, limit=per_page)
    return EventsPublic(total=total, items=[EventPublic.model_validate(e.model_dump()) for e in rows])
