"""Which files a batch picks up, and what each one really is."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import SUPPORTED_SUFFIXES, iter_files
from ingest.errors import CorruptFile, UnsupportedFormat
from ingest.files import sniff_format


def test_iter_files_walks_folders_sorted_and_skips_hidden_catalogs_and_lock_files(tmp_path: Path) -> None:
    for name in ["b/2.pdf", "b/1.docx", "a.md", ".hidden/x.pdf", "b/.secret.txt", "catalog.csv", "catalog.jsonl",
                 "list.xlsx", "~$draft.docx", "c/page.HTM", "notes.rtf"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path, tmp_path / "a.md"])]
    assert found == ["a.md", "b/1.docx", "b/2.pdf", "c/page.HTM"]


def test_supported_suffixes_match_the_spec() -> None:
    assert {".pdf", ".docx", ".doc", ".html", ".htm", ".txt", ".md"} == SUPPORTED_SUFFIXES


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("a.pdf", b"%PDF-1.7\n", "pdf"),
        ("a.docx", b"PK\x03\x04rest", "docx"),
        ("a.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc"),
        ("a.doc", b"PK\x03\x04rest", "docx"),
        ("a.htm", "<html>关于</html>".encode("gbk"), "html"),
        ("a.md", "# 标题".encode(), "md"),
    ],
)
def test_content_decides_the_reader(name: str, head: bytes, expected: str) -> None:
    assert sniff_format(Path(name), head) == expected


def test_fake_extension_is_named_in_the_error() -> None:
    with pytest.raises(CorruptFile, match="ZIP"):
        sniff_format(Path("x.pdf"), b"PK\x03\x04")
    with pytest.raises(UnsupportedFormat, match=r"unsupported file type \.rtf"):
        sniff_format(Path("x.rtf"), b"{\\rtf1")
