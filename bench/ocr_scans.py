"""OCR of scanned official documents beyond the suite's sample: character accuracy, title and 文号 exactness.

The suite scans 4 set-aside documents; this scans ``--docs`` documents of each part of the typesetter's
split (``tests/support/layouts.part``: set aside, tuned) with other noise seeds, reads each with
``ingest.extract`` and compares with what the typesetter set. Every miss is printed, so a rule can be
written from the class of error rather than from a file.

    .venv/bin/python bench/ocr_scans.py --docs 10 [--shared-corpus ../shared/corpus] [--seed 100]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz.distance import Levenshtein

from bench.stard_eval import DEFAULT_CORPUS
from ingest import extract
from scripts.typeset import official_docs, render_pdf
from scripts.typeset.scan import compared_chars, scan, text_layer
from tests.support.layouts import part


def measure(corpus: Path, per_part: int, seed: int, work: Path) -> dict[str, dict[str, object]]:
    docs = official_docs(corpus)
    out: dict[str, dict[str, object]] = {}
    for which in ("set-aside", "tuned"):
        chosen = [d for d in docs if part(d.key) == which][:per_part]
        total = errors = titles = numbers = 0
        misses: list[dict[str, object]] = []
        for i, doc in enumerate(chosen):
            typeset = render_pdf(doc, work / f"{doc.key}.pdf")
            got = extract(scan(typeset, work / f"{doc.key}-scan.pdf", seed=seed + i))
            want = compared_chars(text_layer(typeset))
            errors += Levenshtein.distance(want, compared_chars(got.text))
            total += len(want)
            titles += got.title == doc.title
            numbers += got.doc_number == doc.doc_number
            if got.title != doc.title or got.doc_number != doc.doc_number:
                misses.append({"key": doc.key, "title": got.title, "want_title": doc.title,
                               "doc_number": got.doc_number, "want_doc_number": doc.doc_number})
        out[which] = {"documents": len(chosen), "char_accuracy": round(1 - errors / max(total, 1), 4),
                      "title_exact": titles, "doc_number_exact": numbers, "misses": misses}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10, help="documents of each part")
    ap.add_argument("--seed", type=int, default=100, help="first noise seed (the suite uses 0–3)")
    ap.add_argument("--shared-corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="normreg-ocr-") as tmp:
        print(json.dumps(measure(args.shared_corpus, args.docs, args.seed, Path(tmp)), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
