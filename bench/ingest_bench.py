"""Ingestion benchmark: normreg's pipeline against a pdfplumber-only extraction, in the same run.

Measures, with the same number of worker processes on both sides:

* text-layer PDFs (every PDF in ``../shared/corpus/pdfs`` that the pipeline reads without OCR, decided
  by the same per-page check the reader uses): pages per second end to end through
  :func:`ingest.extract_many` (text, reading order, layout of page 1 and all metadata stages)
  against pdfplumber's ``extract_text`` on every page of the same files;
* PDFs that need OCR (scans, lying text layers), when Tesseract is installed: pages per second and
  each file's time, so a scan that would be abandoned shows (``--skip-ocr`` leaves them out);
* DOCX (official-layout documents rendered from the gov.cn texts), HTML (the gov.cn pages) and
  Markdown (the 2,124 laws): documents per second.

Usage: ``python bench/ingest_bench.py [--jobs 2] [--skip-laws] [--skip-ocr] [--write]``; ``--write`` replaces the ingestion
section of ``docs/benchmarks.md`` with the figures, the machine and the commit.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import ingest  # noqa: E402
from tests.support.corpus import CORPUS  # noqa: E402

START, END = "<!-- ingest-bench:start -->", "<!-- ingest-bench:end -->"


@dataclass
class Figure:
    """One measured line of the report."""

    name: str
    files: int
    units: int
    unit: str
    seconds: float

    @property
    def rate(self) -> float:
        return self.units / self.seconds if self.seconds else float("inf")


def _plumber_pages(path: str) -> int:
    """Baseline: what a pdfplumber-only ingester does, text of every page."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def run_ours(name: str, paths: list[Path], jobs: int, unit: str,
             log: list[str] | None = None) -> tuple[Figure, list[Path]]:
    """Extract ``paths`` through the real pipeline; returns the figure and the files that succeeded.
    With ``log``, one line per file (pages, seconds since the start, outcome) is appended to it."""
    started = time.perf_counter()
    ok: list[Path] = []
    pages = 0
    for path, result in ingest.extract_many(paths, jobs=jobs):
        if isinstance(result, ingest.ExtractedDocument):
            ok.append(path)
            pages += result.pages or 1
        if log is not None:
            done = time.perf_counter() - started
            if isinstance(result, ingest.ExtractedDocument):
                conf = result.ocr_confidence
                mean = sum(conf.values()) / len(conf) if conf else 0.0
                log.append(f"| {path.name} | {result.pages} | {len(conf)} | {mean:.0f} | read, done at {done:.0f} s |")
            else:
                log.append(f"| {path.name} | | | | {type(result).__name__}: {result} |")
    elapsed = time.perf_counter() - started
    units = pages if unit == "pages" else len(ok)
    return Figure(name, len(ok), units, unit, elapsed), ok


def run_plumber(paths: list[Path], jobs: int) -> Figure:
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pages = sum(pool.map(_plumber_pages, [str(p) for p in paths]))
    return Figure("PDF, pdfplumber only (baseline)", len(paths), pages, "pages", time.perf_counter() - started)


def rendered_docx(folder: Path) -> list[Path]:
    from tests.ingest.official_layout import official_docs, render_docx

    return [render_docx(doc, folder / f"{doc.key}.docx") for doc in official_docs(CORPUS)]


def report(figures: list[Figure], ratio: float, jobs: int, load: tuple[float, float], ocr_log: list[str]) -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                            check=False).stdout.strip() or "unknown"
    lines = [
        START,
        "## Ingestion (`bench/ingest_bench.py`)",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on commit `{commit}`; machine: {os.cpu_count()} cores, "
        f"{platform.machine()}, Python {platform.python_version()}; `--jobs {jobs}` on both sides. Times are end to "
        "end: worker start-up, reading, layout of the first page and every metadata stage. "
        f"Load average from other processes: {load[0]:.1f} at the start, {load[1]:.1f} at the end "
        "(a shared machine slows both sides alike).",
        "",
        "| what | files | measured | seconds | rate |",
        "|---|---:|---:|---:|---:|",
    ]
    for f in figures:
        lines.append(f"| {f.name} | {f.files} | {f.units} {f.unit} | {f.seconds:.2f} | {f.rate:,.1f} {f.unit}/s |")
    lines += [
        "",
        f"Text-layer PDFs: normreg is **{ratio:.1f}×** faster than the pdfplumber-only baseline on the same files "
        "(acceptance: at least 10×). PDFs that need OCR (scans, and text layers detected as lying) are left out "
        "of that comparison and measured on their own: pdfplumber cannot read them at all. "
        f"Tesseract: {_tesseract_version()}.",
    ]
    if ocr_log:
        lines += ["", "| PDF needing OCR | pages | OCRed | mean confidence | outcome |", "|---|---:|---:|---:|---|",
                  *ocr_log]
    lines.append(END)
    return "\n".join(lines) + "\n"


def _tesseract_version() -> str:
    try:
        done = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, check=False)
    except OSError:
        return "not installed"
    return (done.stdout or done.stderr).splitlines()[0] if (done.stdout or done.stderr) else "unknown"


def write_section(text: str) -> Path:
    path = ROOT / "docs" / "benchmarks.md"
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    if START in current and END in current:
        head, rest = current.split(START, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
        current = head + text + ("\n" + tail if tail else "")
    else:
        current = current.rstrip("\n") + "\n\n" + text
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(current, encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--write", action="store_true", help="update the section in docs/benchmarks.md")
    parser.add_argument("--skip-laws", action="store_true", help="leave out the 2,124 Markdown laws")
    parser.add_argument("--skip-ocr", action="store_true", help="leave out the PDFs that need OCR")
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"corpus not found at {CORPUS}", file=sys.stderr)
        return 1
    load_start = os.getloadavg()[0]
    from ingest.formats.pdf import pages_needing_ocr

    pdfs = sorted((CORPUS / "pdfs").glob("*.pdf"))
    need_ocr = [p for p in pdfs if pages_needing_ocr(p)]
    plain = [p for p in pdfs if p not in need_ocr]
    ours, text_layer = run_ours("PDF with a text layer, normreg (pypdfium2 + stages)", plain, args.jobs, "pages")
    baseline = run_plumber(text_layer, args.jobs)
    figures = [ours, baseline]
    ocr_log: list[str] = []
    if need_ocr and not args.skip_ocr:
        figures.append(run_ours("PDF needing OCR, normreg (Tesseract chi_sim)", need_ocr, args.jobs, "pages",
                                log=ocr_log)[0])
    with tempfile.TemporaryDirectory(prefix="normreg-bench-") as tmp:
        docx = rendered_docx(Path(tmp))
        figures.append(run_ours("DOCX, official layout", docx, args.jobs, "docs")[0])
    figures.append(run_ours("HTML, gov.cn pages", sorted((CORPUS / "govcn").glob("*.html")), args.jobs, "docs")[0])
    if not args.skip_laws:
        laws = list(ingest.iter_files([CORPUS / "laws" / "docs"]))
        figures.append(run_ours("Markdown, national laws", laws, args.jobs, "docs")[0])
    ratio = ours.rate / baseline.rate
    text = report(figures, ratio, args.jobs, (load_start, os.getloadavg()[0]), ocr_log)
    print(text)
    if args.write:
        print(f"written to {write_section(text)}")
    return 0 if ratio >= 10 else 1


if __name__ == "__main__":
    raise SystemExit(main())
