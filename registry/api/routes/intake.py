"""``/api/v1/intake``: the intake of the staff pages for programs: upload, read an item, register it;
and publishing a registered document (``POST /api/v1/documents/{id}/publish``).

Registering needs the caller's office (a user's token); scope is checked by the ``Registry`` methods,
so another office's token gets 403 here as on the pages.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, UploadFile
from pydantic import BaseModel, Field

from registry.api.auth import ClerkDep
from registry.api.schemas import WRITE_ERRORS, DocumentOut
from registry.http.deps import RegistryDep
from registry.models.intake import IntakeItemPublic

router = APIRouter(tags=["intake"])


class RegisterBody(BaseModel):
    """The reviewed fields (dates as YYYY-MM-DD); ``version_of`` registers the file as that document's next
    version instead of a new document."""

    title: str = Field(max_length=1000)
    doc_number: str | None = Field(default=None, max_length=1000)
    issuer: str | None = Field(default=None, max_length=1000)
    written_date: str | None = Field(default=None, max_length=40)
    publication_date: str | None = Field(default=None, max_length=40)
    effective_date: str | None = Field(default=None, max_length=40)
    expiry_date: str | None = Field(default=None, max_length=40)
    version_of: str | None = Field(default=None, max_length=64)


@router.post("/api/v1/intake", summary="Upload files for review before registering (clerk)", responses=WRITE_ERRORS,
             response_model=list[IntakeItemPublic], response_model_exclude_unset=True)
def upload(files: Annotated[list[UploadFile], File(description=".pdf .docx .doc .html .htm .txt .md")],
           actor: ClerkDep, registry: RegistryDep) -> list[dict[str, Any]]:
    return registry.upload_intake([(f.filename, f.file) for f in files], actor=actor)


@router.get("/api/v1/intake/{item_id}", summary="One uploaded file as extracted, with what it matches (clerk)",
            responses=WRITE_ERRORS, response_model=IntakeItemPublic, response_model_exclude_unset=True)
def item(item_id: int, actor: ClerkDep, registry: RegistryDep) -> dict[str, Any]:
    return registry.intake_item(item_id, actor=actor)


@router.post("/api/v1/intake/{item_id}/register", summary="Register a reviewed upload; issues the 统一登记号 (clerk)",
             responses=WRITE_ERRORS, response_model=DocumentOut)
def register(item_id: int, body: RegisterBody, actor: ClerkDep, registry: RegistryDep) -> dict[str, Any]:
    fields = body.model_dump(exclude={"version_of"})
    return registry.register_intake(item_id, fields, version_of=body.version_of, actor=actor)


@router.post("/api/v1/documents/{document_id}/publish", summary="Publish a registered document (clerk)",
             responses=WRITE_ERRORS, response_model=DocumentOut)
def publish(document_id: str, actor: ClerkDep, registry: RegistryDep) -> dict[str, Any]:
    return registry.publish(document_id, actor=actor)
