"""Every real PDF and legacy .doc in the corpus either extracts or fails with a reason a user can act on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest import ExtractedDocument, IngestError, OcrUnavailable, ToolMissing, extract, extract_many
from ingest.formats.doc import soffice
from ingest.formats.ocr import tesseract_languages
from tests.support.corpus import corpus_path


def _files(suffix: str) -> list[Path]:
    return sorted(corpus_path("pdfs").glob(f"*{suffix}"))


#: Scans in ../shared/corpus/pdfs (no text layer) and the file whose fonts map to the wrong characters.
CORPUS_SCANS = ("470fc22059", "4e01f8ca5e", "6abcc0a38e", "6c73e3fd65", "7f487df3f0", "7fdac0a33d", "cc0abc797b",
                "ec68ab4e9a", "fecd1f9696")
LYING_LAYER = "e2e20056bc"
needs_ocr = pytest.mark.skipif("chi_sim" not in tesseract_languages(),
                               reason="tesseract with chi_sim is not installed (scripts/ensure-system.sh)")


@pytest.fixture(scope="module")
def corpus_reads() -> dict[str, ExtractedDocument | Exception]:
    """Every corpus PDF read once, through the batch API with two worker processes, by file stem.

    The tests below look at different properties of the same reads (OCR of the scans above all is what
    takes the time), so the module reads each file once instead of once per test.
    """
    return {p.stem: r for p, r in extract_many(_files(".pdf"), jobs=2)}


@pytest.mark.slow
def test_every_corpus_pdf_extracts_or_names_its_reason(corpus_reads: dict[str, ExtractedDocument | Exception]) -> None:
    outcomes: dict[str, int] = {}
    for name, doc in sorted(corpus_reads.items()):
        path = corpus_path("pdfs", f"{name}.pdf")
        if isinstance(doc, Exception):
            assert isinstance(doc, IngestError), f"{name}: {doc!r}"
            assert str(doc), f"{name}: empty error message"
            assert isinstance(doc, OcrUnavailable) or tesseract_languages(), f"{name}: {doc!r}"
            outcomes[type(doc).__name__] = outcomes.get(type(doc).__name__, 0) + 1
            continue
        assert doc.pages and doc.pages >= 1
        assert len(doc.text) > 100, name
        assert doc.sha256 and doc.size_bytes == path.stat().st_size
        outcomes["extracted"] = outcomes.get("extracted", 0) + 1
    print("corpus PDFs:", outcomes)
    assert outcomes.get("extracted", 0) >= 60


@pytest.mark.slow
@needs_ocr
def test_every_corpus_scan_is_read_and_the_lying_layer_is_ocred(corpus_reads: dict[str, ExtractedDocument | Exception]) -> None:
    results = {name: corpus_reads[name] for name in (*CORPUS_SCANS, LYING_LAYER)}
    abandoned = {name: str(r) for name, r in results.items() if isinstance(r, Exception)}
    assert not abandoned
    for name, doc in results.items():
        assert not isinstance(doc, Exception)
        assert doc.ocr_confidence, name
        assert len(doc.text) > 500, name
    lying = results[LYING_LAYER]
    assert not isinstance(lying, Exception)
    assert any("unreliable" in w for w in lying.warnings)
    assert "员猿郾" not in lying.text and "GB" in lying.text


def test_scanned_pdf_without_ocr_says_what_to_install() -> None:
    if tesseract_languages():
        pytest.skip("tesseract is installed here; the error path cannot be observed")
    with pytest.raises(OcrUnavailable, match="tesseract-ocr-chi-sim"):
        extract(corpus_path("pdfs", "470fc22059.pdf"))


@needs_ocr
def test_scanned_pdf_is_ocred_when_tesseract_is_installed(corpus_reads: dict[str, ExtractedDocument | Exception]) -> None:
    doc = corpus_reads["470fc22059"]
    assert not isinstance(doc, Exception), doc
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


def test_standard_cover_gives_title_and_dates(corpus_reads: dict[str, ExtractedDocument | Exception]) -> None:
    doc = corpus_reads["05d6ea3a61"]
    assert not isinstance(doc, Exception), doc
    assert doc.title == "平板玻璃工业大气污染物排放标准"
    assert str(doc.publication_date) == "2011-04-02"
    assert str(doc.effective_date) == "2011-10-01"
    assert doc.category == "标准"


@pytest.mark.slow
def test_pdf_with_a_broken_font_encoding_is_flagged(corpus_reads: dict[str, ExtractedDocument | Exception]) -> None:
    doc = corpus_reads[LYING_LAYER]
    assert not isinstance(doc, Exception), doc
    assert any("unreliable" in w for w in doc.warnings)
    if "chi_sim" in tesseract_languages():
        assert doc.ocr_confidence and "员猿郾" not in doc.text
    clean = corpus_reads["05d6ea3a61"]
    assert not isinstance(clean, Exception), clean
    assert not any("unreliable" in w for w in clean.warnings)
