"""Which files are documents, and what format each really is.

The suffix decides what the user meant; the first bytes decide what the file is. A ``.pdf`` that is
really a ZIP or an HTML page is reported as such instead of producing garbage text.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ingest.errors import CorruptFile, EmptyDocument, UnsupportedFormat

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".pdf", ".docx", ".doc", ".html", ".htm", ".txt", ".md"})
FORMAT_OF_SUFFIX = {
    ".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".html": "html", ".htm": "html", ".txt": "txt", ".md": "md",
}


def is_document_path(path: Path) -> bool:
    """True for a visible file with a supported suffix. Catalogs (CSV, JSONL, XLSX) carry metadata for
    other files and have no supported suffix, so they are never taken for documents."""
    if path.name.startswith(".") or path.name.startswith("~$"):
        return False
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def iter_files(paths: Iterable[Path | str]) -> Iterator[Path]:
    """Documents under ``paths``: files as given (if supported), folders walked recursively.

    Each folder's documents come out sorted by path so runs are reproducible; hidden files and
    folders (``.git``, ``.DS_Store``) and Office lock files (``~$x.docx``) are skipped. A path given
    twice is yielded once.
    """
    seen: set[Path] = set()
    for raw in paths:
        root = Path(raw)
        if root.is_dir():
            found: list[Path] = []
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                found.extend(Path(dirpath) / name for name in filenames)
            candidates = sorted(found)
        else:
            candidates = [root]
        for path in candidates:
            if is_document_path(path) and path not in seen:
                seen.add(path)
                yield path


def sniff_format(path: Path, head: bytes) -> str:
    """The format to read ``path`` as, from its suffix checked against its first bytes.

    Raises :class:`UnsupportedFormat` for unknown suffixes, :class:`EmptyDocument` for empty files
    and :class:`CorruptFile` when the content contradicts the suffix in a way we cannot read.
    A Word 97 file named ``.docx`` (common after a bad "save as") is read as ``doc``.
    """
    suffix = path.suffix.lower()
    if suffix not in FORMAT_OF_SUFFIX:
        raise UnsupportedFormat(f"unsupported file type {suffix or '(no suffix)'}; "
                                f"normreg reads {', '.join(sorted(SUPPORTED_SUFFIXES))}")
    if not head.strip():
        raise EmptyDocument("the file is empty")
    declared = FORMAT_OF_SUFFIX[suffix]
    actual = _magic(head)
    if declared == "pdf":
        if actual != "pdf":
            raise CorruptFile(f"not a PDF: the file has a .pdf name but {_describe(actual)}")
        return "pdf"
    if declared == "docx":
        if actual == "ole":
            return "doc"
        if actual != "zip":
            raise CorruptFile(f"not a DOCX: the file has a .docx name but {_describe(actual)}")
        return "docx"
    if declared == "doc":
        if actual == "zip":
            return "docx"
        if actual != "ole":
            if actual == "text":
                return "txt"
            raise CorruptFile(f"not a Word document: the file has a .doc name but {_describe(actual)}")
        return "doc"
    # html, txt, md: text formats; binary content is refused rather than decoded into noise.
    if actual in {"pdf", "zip", "ole", "binary"}:
        raise CorruptFile(f"not a text file: the file has a {suffix} name but {_describe(actual)}")
    return declared


def _magic(head: bytes) -> str:
    if head[:1024].lstrip().startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if _looks_binary(head):
        return "binary"
    return "text"


_TEXT_BYTES = bytes([9, 10, 12, 13, 27, *range(32, 256)])


def _looks_binary(head: bytes) -> bool:
    """Control bytes that no UTF-8/GBK/UTF-16 text contains mean binary data."""
    sample = head[:8192]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in sample:
        return True
    controls = len(sample.translate(None, _TEXT_BYTES))
    return controls > max(4, len(sample) // 100)


def _describe(kind: str) -> str:
    return {
        "pdf": "its content is a PDF",
        "zip": "its content is a ZIP archive",
        "ole": "its content is a legacy Office (OLE) file",
        "binary": "its content is binary data of an unknown kind",
        "text": "its content is plain text or HTML",
    }[kind]
