"""Intake: uploaded files read by the extractor into items a clerk reviews before registering.

Each file is saved by :func:`registry.services.uploads.save_upload` (sanitised name, size limit) and read
by :func:`ingest.extract_many` in worker processes with the ingestion time limit, the same extractor as
``normreg ingest``. What it found becomes an :class:`IntakeItem` of the uploader's office: the fields,
how each was found (``found`` in the file, ``guessed`` from something else, ``missing``), warnings in
words, and the text, articles and stated references. A file that cannot be saved or read becomes a
``failed`` item with its reason; the other files of the batch are unaffected. Guarantees:

- the stored file is kept in the registry's file store by content, so registering it copies nothing;
- an item is matched to a document of the same office with the same 文号 or title, which the review
  screen offers to make a new version of instead of a duplicate.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import or_
from sqlmodel import Session, col, select

import ingest
from ingest.dates import expiry_after
from ingest.errors import IngestError
from ingest.model import ExtractedDocument
from registry.errors import NormregError, NotFound
from registry.models import Document, IntakeItem
from registry.rules.refs import doc_number_key, title_key
from registry.services.ingest_rows import store_file
from registry.services.ingestion import file_sha256
from registry.services.uploads import save_upload
from registry.storage import audit
from registry.storage.files import FileStore

#: The fields a clerk reviews, in the order of the form.
FIELDS = ("title", "doc_number", "issuer", "written_date", "publication_date", "effective_date", "expiry_date")
DATE_FIELDS = FIELDS[3:]
_LABELS = {"title": "标题", "doc_number": "文号", "issuer": "发文机关", "written_date": "成文日期",
           "publication_date": "发布日期", "effective_date": "施行日期", "expiry_date": "有效期至"}
#: Why a file could not be read, in words a clerk understands (the reader's own message follows).
_READ_ERRORS: tuple[tuple[type[IngestError], str], ...] = (
    (ingest.Encrypted, "文件已加密，无法读取"), (ingest.CorruptFile, "文件已损坏，无法读取"),
    (ingest.UnsupportedFormat, "不支持的文件格式"), (ingest.EmptyDocument, "文件中没有可读取的文字"),
    (ingest.TooLarge, "文件过大"), (ingest.Timeout, "读取超时"), (ingest.OcrUnavailable, "扫描件需要 OCR，但未安装识别程序"),
    (ingest.ToolMissing, "读取此类文件所需的程序未安装"), (ingest.WorkerCrashed, "读取时程序异常退出"),
)
_WRITTEN_DATE = re.compile(r"(\d{4}|[〇零一二三四五六七八九○]{4})\s*年")


def upload_many(
    session: Session, files: Sequence[tuple[str | None, BinaryIO]], *, office_id: int | None, actor: str,
    upload_dir: Path, store: FileStore, max_bytes: int, timeout_seconds: float,
) -> list[IntakeItem]:
    """One item per file, in the order given; a file that fails is a ``failed`` item, never an exception."""
    slots: list[tuple[str, Path | None, str | None]] = []
    for filename, stream in files:
        try:
            slots.append((Path(filename or "upload").name[:200], save_upload(
                stream, filename=filename, upload_dir=upload_dir, max_bytes=max_bytes), None))
        except NormregError as exc:
            slots.append((Path(filename or "upload").name[:200], None, f"无法保存该文件（{exc.message}）"))
    paths = [p for _, p, _ in slots if p is not None]
    limits = ingest.Limits(max_file_bytes=max_bytes, timeout_seconds=timeout_seconds)
    results: dict[Path, ExtractedDocument | IngestError] = dict(
        ingest.extract_many(paths, jobs=2, limits=limits)) if paths else {}  # workers: a hang costs one file
    items: list[IntakeItem] = []
    try:
        for name, path, error in slots:
            item = IntakeItem(office_id=office_id, uploaded_by=actor, filename=name, state="failed", error=error)
            if path is not None:
                _fill(item, path, results.get(path), store)
            session.add(item)
            items.append(item)
    finally:
        for path in paths:  # the content-addressed copy in the store is what is kept
            shutil.rmtree(path.parent, ignore_errors=True)
    session.flush()
    audit.record(session, actor=actor, action="intake.upload", target=None,
                 details={"items": [i.id for i in items], "failed": sum(i.state == "failed" for i in items)})
    session.commit()
    return items


def _fill(item: IntakeItem, path: Path, result: ExtractedDocument | IngestError | None,
          store: FileStore) -> None:
    sha = file_sha256(path)
    item.sha256, item.size_bytes = sha, path.stat().st_size
    item.format = path.suffix.lower().lstrip(".")
    item.stored_name = store_file(path, sha, store)
    if result is None or isinstance(result, IngestError):
        item.error = _read_error(result)
        return
    item.state = "pending"
    item.pages = result.pages
    item.fields, item.provenance = _fields_and_provenance(result)
    item.text = result.text
    item.articles = [asdict(a) for a in result.articles]
    item.refs = [asdict(r) for r in result.references]
    item.warnings = _warnings(result, item.provenance) + [f"提取程序说明：{w}" for w in result.warnings]
    if item.fields["title"] is None:
        item.fields["title"] = Path(item.filename).stem


def _read_error(result: IngestError | None) -> str:
    if result is None:
        return "未能读取该文件"
    words = next((w for kind, w in _READ_ERRORS if isinstance(result, kind)), "未能读取该文件")
    return f"{words}（{str(result) or type(result).__name__}）"


def _fields_and_provenance(ex: ExtractedDocument) -> tuple[dict[str, Any], dict[str, str]]:
    """The extracted value of each reviewed field and how it was found.

    ``guessed``: derived rather than read (an effective date computed from a 自发布之日起施行 clause, an
    expiry computed from 有效期X年, a title taken from the file name) or read by OCR; ``missing``: not
    found at all; ``found``: read from the file's own text."""
    values: dict[str, Any] = {}
    how: dict[str, str] = {}
    ocr = bool(ex.ocr_confidence)
    for name in FIELDS:
        value = getattr(ex, name)
        if isinstance(value, date):
            value = value.isoformat()
        values[name] = value
        how[name] = "missing" if value is None else ("guessed" if ocr else "found")
    basis = ex.effective_date_basis or ""
    if ex.effective_date and basis and not _WRITTEN_DATE.search(basis):
        how["effective_date"] = "guessed"
    if ex.expiry_date and ex.validity_years and ex.effective_date and \
            ex.expiry_date == expiry_after(ex.effective_date, ex.validity_years):
        how["expiry_date"] = "guessed"
    if ex.title is None:
        how["title"] = "guessed"
    return values, how


def _warnings(ex: ExtractedDocument, how: dict[str, str]) -> list[str]:
    """What a clerk should check, in Chinese (the extractor's own notes follow, as it wrote them)."""
    out: list[str] = []
    missing = [_LABELS[n] for n in FIELDS if how[n] == "missing"]
    if ex.title is None:
        out.append("未能从文件中识别标题，暂以文件名代替，请核对。")
    if missing:
        out.append("未找到：" + "、".join(missing) + "。请根据原件补录。")
    if ex.ocr_confidence:
        mean = sum(ex.ocr_confidence.values()) / len(ex.ocr_confidence)
        out.append(f"文字由 OCR 识别（{len(ex.ocr_confidence)} 页，平均置信度 {mean:.0f}），各项均为推测，请逐项核对。")
    if how["effective_date"] == "guessed" and ex.effective_date_basis:
        out.append(f"施行日期由条款「{ex.effective_date_basis}」推算。")
    if how["expiry_date"] == "guessed" and ex.validity_years:
        out.append(f"有效期至由「有效期{ex.validity_years}年」自施行日期推算。")
    return out


def get_item(session: Session, item_id: int) -> IntakeItem:
    item = session.get(IntakeItem, item_id)
    if item is None:
        raise NotFound(f"没有第 {item_id} 号待登记文件 (no intake item {item_id})")
    return item


def list_items(session: Session, *, reach: frozenset[int] | None, states: tuple[str, ...] = ("pending", "failed"),
               limit: int = 200) -> list[IntakeItem]:
    """Items of the offices in ``reach`` (None: every office), newest first."""
    query = select(IntakeItem).where(col(IntakeItem.state).in_(states))
    if reach is not None:
        query = query.where(col(IntakeItem.office_id).in_(reach))
    return list(session.exec(query.order_by(col(IntakeItem.id).desc()).limit(limit)))


def match_for(session: Session, item: IntakeItem, fields: dict[str, Any] | None = None) -> Document | None:
    """A document of the item's office with the same 文号 or the same title: the one an amended file
    would be a new version of. None when the item belongs to no office or nothing matches."""
    if item.office_id is None:
        return None
    values = fields or item.fields
    conditions = []
    number = doc_number_key(values.get("doc_number"))
    if number:
        conditions.append(col(Document.doc_number_key) == number)
    if values.get("title"):
        conditions.append(col(Document.title_key) == title_key(values["title"]))
    if not conditions:
        return None
    rows = list(session.exec(select(Document).where(col(Document.office_id) == item.office_id, or_(*conditions))
                             .order_by(col(Document.created_at).desc())))
    by_number = [d for d in rows if number and d.doc_number_key == number]
    best = by_number or rows
    return best[0] if best else None


def discard(session: Session, item: IntakeItem, *, actor: str) -> IntakeItem:
    """Set an item aside without registering it (the stored file stays, as every stored file does)."""
    if item.state in ("pending", "failed"):
        item.state = "discarded"
        session.add(item)
        audit.record(session, actor=actor, action="intake.discard", target=str(item.id),
                     details={"file": item.filename})
        session.commit()
    return item
