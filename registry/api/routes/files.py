"""``/api/v1/files``: a clerk uploads a file into the same ingestion as ``normreg ingest``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, UploadFile

from registry.api.auth import ClerkDep
from registry.api.schemas import WRITE_ERRORS, ErrorResponse, UploadResponse
from registry.http.deps import RegistryDep

router = APIRouter(tags=["documents"])


@router.post("/api/v1/files", summary="Upload a file into ingestion (clerk)", response_model=UploadResponse,
             responses={**WRITE_ERRORS, 413: {"model": ErrorResponse, "description": "File too large"}})
def upload(
    file: Annotated[UploadFile, File(description=".pdf .docx .doc .html .htm .txt .md")],
    actor: ClerkDep, registry: RegistryDep,
) -> dict[str, Any]:
    return registry.ingest_upload(file.file, filename=file.filename, actor=actor)
