"""Files uploaded over HTTP go into the same ingestion as ``normreg ingest``.

An upload is written under ``data_dir/uploads`` with a sanitised name in a folder named by its content
hash: a name like ``../../etc/passwd`` can write nothing outside that folder, and uploading the same file
twice finds it unchanged instead of creating a second document. Extraction runs in a worker process with
the ingestion time limit, so a hostile file cannot hang an API thread. The uploader is recorded as the
actor of a ``note`` event on each document the file added or updated.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import unicodedata
import uuid
from datetime import date
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, BinaryIO

from sqlmodel import Session

import ingest
from registry.errors import InvalidInput, TooLarge
from registry.models import EventCreate
from registry.services.events import record_event
from registry.services.ingestion import ingest_paths
from registry.storage.files import FileStore

ALLOWED_SUFFIXES = (".pdf", ".docx", ".doc", ".html", ".htm", ".txt", ".md")
CHUNK = 1 << 20
_UNSAFE = re.compile(r"[^\w.\-()（）〔〕\[\]【】 ]+")


def safe_filename(name: str | None) -> str:
    """A file name that is only a name: no folders, no control characters, no leading dots, ≤ 120 chars."""
    raw = unicodedata.normalize("NFC", name or "")
    base = PureWindowsPath(PurePosixPath(raw.replace("\x00", "")).name).name
    base = _UNSAFE.sub("_", base).strip(" .")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    suffix = suffix.lower()
    if f".{suffix}" not in ALLOWED_SUFFIXES:
        raise InvalidInput(f"unsupported file type {('.' + suffix) if suffix else '(none)'}; use "
                           + " ".join(ALLOWED_SUFFIXES), details={"filename": name})
    stem = stem[:100] or "upload"
    return f"{stem}.{suffix}"


def save_upload(stream: BinaryIO, *, filename: str | None, upload_dir: Path, max_bytes: int) -> Path:
    """Copy ``stream`` to ``upload_dir/<sha256 prefix>/<safe name>``; TooLarge past ``max_bytes``."""
    name = safe_filename(filename)
    upload_dir.mkdir(parents=True, exist_ok=True)
    tmp = upload_dir / f".{uuid.uuid4().hex}.part"
    digest = hashlib.sha256()
    size = 0
    try:
        with tmp.open("wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(f"the file is larger than {max_bytes} bytes",
                                   details={"max_bytes": max_bytes, "filename": name})
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise InvalidInput("the file is empty", details={"filename": name})
        folder = upload_dir / digest.hexdigest()[:16]
        folder.mkdir(exist_ok=True)
        target = (folder / name).resolve()
        if upload_dir.resolve() not in target.parents:  # belt and braces: the name has no separators
            raise InvalidInput("invalid file name", details={"filename": filename})
        tmp.replace(target)
        return target
    finally:
        tmp.unlink(missing_ok=True)


def ingest_upload(
    session: Session, *, stream: BinaryIO, filename: str | None, upload_dir: Path, store: FileStore,
    max_bytes: int, timeout_seconds: float, actor: str, today: date,
) -> dict[str, Any]:
    """Save one uploaded file and ingest it; returns the ingestion report (``added``, ``updated``, …)."""
    path = save_upload(stream, filename=filename, upload_dir=upload_dir, max_bytes=max_bytes)
    try:
        limits = ingest.Limits(max_file_bytes=max_bytes, timeout_seconds=timeout_seconds)
        report = ingest_paths(session, paths=[path], catalog_path=None, store=store, as_of=today,
                              today=today, jobs=2, limits=limits, actor=actor)
    finally:
        session.commit()  # end the read transaction of an unchanged file too (SQLite holds its write lock)
        shutil.rmtree(path.parent, ignore_errors=True)  # the ingestion keeps its own content-addressed copy
    for item in report.documents:
        if item["result"] in ("added", "updated"):
            record_event(session, document_id=item["id"], actor=actor, today=today, data=EventCreate(
                type="note", text=f"上传文件 {path.name}（{item['result']}）",
                evidence={"upload": path.name}))
    data = report.as_dict()
    for failure in data["failed"]:  # never show server paths to the client
        failure["path"] = path.name
    for doc in data["documents"]:
        doc["path"] = path.name
    return data
