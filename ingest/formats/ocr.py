"""OCR of scanned PDFs with Tesseract (``chi_sim``), used only when the PDF has no text layer.

Tesseract is an optional system tool. When it (or its Chinese model) is missing the user gets
:class:`OcrUnavailable` with the exact packages to install, never an empty document.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pypdfium2 as pdfium

from ingest.errors import IngestError, OcrUnavailable
from ingest.layout import tidy
from ingest.limits import Limits

INSTALL_HINT = "install it with: apt-get install tesseract-ocr tesseract-ocr-chi-sim"


def tesseract_languages() -> set[str]:
    """Languages the installed Tesseract knows; empty when Tesseract is not installed."""
    exe = shutil.which("tesseract")
    if exe is None:
        return set()
    try:
        done = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return set()
    return {line.strip() for line in done.stdout.splitlines()[1:] if line.strip()}


def ocr_pdf(pdf: pdfium.PdfDocument, path: Path, limits: Limits) -> list[str]:
    """Text lines of a scanned PDF, page by page, at 300 dpi."""
    langs = tesseract_languages()
    if not langs:
        raise OcrUnavailable(f"scanned PDF without a text layer; OCR is not available: tesseract is not "
                             f"installed ({INSTALL_HINT})")
    if "chi_sim" not in langs:
        raise OcrUnavailable(f"scanned PDF without a text layer; tesseract has no chi_sim model ({INSTALL_HINT})")
    pages = len(pdf)
    if pages > limits.ocr_max_pages:
        raise IngestError(f"scanned PDF of {pages} pages is over the OCR limit of {limits.ocr_max_pages} pages")
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="normreg-ocr-") as tmp:
        for index in range(pages):
            image_path = Path(tmp) / f"page{index}.png"
            pdf[index].render(scale=300 / 72).to_pil().save(image_path)
            done = subprocess.run(["tesseract", str(image_path), "stdout", "-l", "chi_sim", "--psm", "6"],
                                  capture_output=True, text=True, timeout=limits.timeout_seconds, check=False)
            if done.returncode != 0:
                raise IngestError(f"OCR failed on page {index + 1}: {done.stderr.strip()[:200]}")
            lines.extend(t for t in (tidy(s) for s in done.stdout.splitlines()) if t)
    return lines
