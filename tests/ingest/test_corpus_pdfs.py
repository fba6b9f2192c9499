"""Every real PDF and legacy .doc in the corpus either extracts or fails with a reason a user can act on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest import IngestError, OcrUnavailable, ToolMissing, extract
from ingest.formats.doc import soffice
from ingest.formats.ocr import tesseract_languages
from tests.support.corpus import corpus_path


def _files(suffix: str) -> list[Path]:
    return sorted(corpus_path("pdfs").glob(f"*{suffix}"))


@pytest.mark.slow
def test_every_corpus_pdf_extracts_or_names_its_reason() -> None:
    outcomes: dict[str, int] = {}
    for path in _files(".pdf"):
        try:
            doc = extract(path)
        except IngestError as exc:
            assert str(exc), f"{path.name}: empty error message"
            assert isinstance(exc, OcrUnavailable) or tesseract_languages(), f"{path.name}: {exc!r}"
            outcomes[type(exc).__name__] = outcomes.get(type(exc).__name__, 0) + 1
            continue
        assert doc.pages and doc.pages >= 1
        assert len(doc.text) > 100, path.name
        assert doc.sha256 and doc.size_bytes == path.stat().st_size
        outcomes["extracted"] = outcomes.get("extracted", 0) + 1
    print("corpus PDFs:", outcomes)
    assert outcomes.get("extracted", 0) >= 60


def test_scanned_pdf_without_ocr_says_what_to_install() -> None:
    if tesseract_languages():
        pytest.skip("tesseract is installed here; the error path cannot be observed")
    with pytest.raises(OcrUnavailable, match="tesseract-ocr-chi-sim"):
        extract(corpus_path("pdfs", "470fc22059.pdf"))


@pytest.mark.skipif("chi_sim" not in tesseract_languages(), reason="tesseract with chi_sim is not installed")
def test_scanned_pdf_is_ocred_when_tesseract_is_installed() -> None:
    doc = extract(corpus_path("pdfs", "470fc22059.pdf"))
    assert len(doc.text) > 100
    assert any("OCR" in w for w in doc.warnings)


def test_legacy_doc_without_libreoffice_says_what_to_install() -> None:
    if soffice():
        pytest.skip("LibreOffice is installed here; the error path cannot be observed")
    for path in _files(".doc"):
        with pytest.raises(ToolMissing, match="LibreOffice"):
            extract(path)


@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None,
                    reason="LibreOffice is not installed")
def test_legacy_doc_is_converted_when_libreoffice_is_installed() -> None:
    for path in _files(".doc"):
        doc = extract(path)
        assert doc.source_format == "doc" and doc.text
        assert "涉嫌环境违法" in doc.text, path.name  # Chinese read as Chinese, not as mojibake
        assert doc.title and not doc.title.startswith("附件"), doc.title


def test_standard_cover_gives_title_and_dates() -> None:
    doc = extract(corpus_path("pdfs", "05d6ea3a61.pdf"))
    assert doc.title == "平板玻璃工业大气污染物排放标准"
    assert str(doc.publication_date) == "2011-04-02"
    assert str(doc.effective_date) == "2011-10-01"
    assert doc.category == "标准"


@pytest.mark.slow
def test_pdf_with_a_broken_font_encoding_is_flagged() -> None:
    doc = extract(corpus_path("pdfs", "e2e20056bc.pdf"))
    assert any("unreliable" in w for w in doc.warnings)
    if "chi_sim" in tesseract_languages():
        assert doc.ocr_confidence and "员猿郾" not in doc.text
    clean = extract(corpus_path("pdfs", "05d6ea3a61.pdf"))
    assert not any("unreliable" in w for w in clean.warnings)
