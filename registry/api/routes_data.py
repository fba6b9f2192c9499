"""Data out and files in: the change feed (JSON and Atom), exports of filtered lists, and uploads."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, Response, UploadFile

from registry.api.auth import ClerkDep
from registry.api.deps import RegistryDep, SessionDep
from registry.api.schemas import ERRORS, WRITE_ERRORS, ChangesResponse, ErrorResponse, UploadResponse, Year
from registry.errors import InvalidInput
from registry.services.exports import export_documents
from registry.services.feed import atom_feed, list_changes
from registry.services.uploads import ingest_upload

router = APIRouter()


def _since(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidInput("since must be an ISO 8601 date or time", details={"since": value}) from exc


@router.get("/api/v1/changes", summary="Every status change, oldest first (paged; `since` for new ones)",
            response_model=ChangesResponse, responses=ERRORS, tags=["changes"])
def changes(
    session: SessionDep,
    since: Annotated[str | None, Query(max_length=40, description="Only changes after this instant (ISO 8601)")] = None,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    total, items = list_changes(session, since=_since(since), offset=(page - 1) * per_page, limit=per_page)
    return {"total": total, "items": items}


@router.get("/feeds/changes.atom", summary="Atom feed of the latest 100 status changes", tags=["changes"],
            response_class=Response, responses={200: {"content": {"application/atom+xml": {}},
                                                      "description": "Atom 1.0"}})
def changes_atom(request: Request, session: SessionDep) -> Response:
    _, items = list_changes(session, limit=100, newest_first=True)
    body = atom_feed(items, base_url=str(request.base_url).rstrip("/"))
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.get("/api/v1/documents/export", summary="Export a filtered document list as CSV, XLSX or JSON",
            tags=["documents"], response_class=Response,
            responses={**ERRORS, 200: {"description": "The export file", "content": {
                "text/csv": {}, "application/json": {},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}})
def export(
    registry: RegistryDep, session: SessionDep,
    format: Annotated[str, Query(pattern="^(csv|xlsx|json)$")] = "csv",
    q: Annotated[str, Query(max_length=500, description="Search results in ranked order (first 1,000)")] = "",
    status: Annotated[list[str] | None, Query()] = None,
    issuer: Annotated[list[str] | None, Query()] = None,
    category: Annotated[list[str] | None, Query()] = None,
    year: Annotated[list[Year] | None, Query()] = None,
) -> Response:
    body, media_type = export_documents(session, fmt=format, backend=registry.backend if q.strip() else None, q=q,
                                        status=status, issuer=issuer, category=category, year=year)
    return Response(body, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="documents.{format}"'})


@router.post("/api/v1/files", summary="Upload a file into ingestion (clerk)", response_model=UploadResponse,
             tags=["documents"],
             responses={**WRITE_ERRORS, 413: {"model": ErrorResponse, "description": "File too large"}})
def upload(
    file: Annotated[UploadFile, File(description=".pdf .docx .doc .html .htm .txt .md")],
    actor: ClerkDep, registry: RegistryDep, session: SessionDep,
) -> dict[str, Any]:
    s = registry.settings
    report = ingest_upload(session, stream=file.file, filename=file.filename, upload_dir=s.data_dir / "uploads",
                           files_dir=s.files_dir, max_bytes=s.max_upload_bytes,
                           timeout_seconds=s.ingest_timeout_seconds, actor=actor.name, today=registry.today())
    registry.after_commit()
    return report
