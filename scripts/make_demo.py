#!/usr/bin/env python3
"""Build the bundled demo documents (registry/demo/documents/) from their sources, then check them.

A source (registry/demo/sources/*.md) is TOML front matter between ``+++`` lines (catalog row, layout,
what ``normreg check`` answers on 2026-11-26), then the text; ``# title`` starts the enclosed document.
``scripts.typeset`` sets them, the same sources giving the same bytes. The check runs ``normreg`` on
throw-away registries: without the catalog, the title and 文号 extracted from each file must be the
source's; with it (as ``make run`` loads them), so must the dates, status and successor.

Usage:  .venv/bin/python scripts/make_demo.py [--out DIR] [--check-only]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a file, the typesetter is still importable as a package
from scripts import typeset  # noqa: E402

SOURCES, OUT = ROOT / "registry" / "demo" / "sources", ROOT / "registry" / "demo" / "documents"
AS_OF = date(2026, 11, 26)  # the day registry/demo/README.md describes
CATALOG_COLUMNS = ["file", "title", "doc_number", "registration_number", "issuer", "category", "region",
                   "written_date", "publication_date", "effective_date", "expiry_date", "status", "repealed_by",
                   "amended_by", "interprets", "status_basis", "status_date"]
WRITERS = {".docx": typeset.render_docx, ".pdf": typeset.render_pdf, ".html": typeset.render_html,
           ".txt": typeset.render_text, ".md": typeset.render_markdown}
CHECKED = ("title", "doc_number", "publication_date", "effective_date", "expiry_date")


@dataclass(frozen=True)
class Source:
    """One demo document as its source file states it: front matter tables, body and enclosure lines."""

    file: str
    order: int
    catalog: dict[str, Any]
    layout: dict[str, Any]
    expected: dict[str, str]
    body: list[str]
    enclosure: list[str]  # the enclosed document's title, then its lines; empty when there is none


def read_sources(folder: Path = SOURCES) -> list[Source]:
    """All sources in catalog order (their ``order``); two sharing an order or an output file is an error."""
    sources = []
    for path in folder.glob("*.md"):
        _, head, text = path.read_text(encoding="utf-8").split("+++\n", 2)
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        cut = next((i for i, line in enumerate(lines) if line.startswith("# ")), len(lines))
        enclosure = [line.removeprefix("# ") for line in lines[cut:]]
        sources.append(Source(**tomllib.loads(head), body=lines[:cut], enclosure=enclosure))
    sources.sort(key=lambda s: s.order)
    if len({s.order for s in sources}) != len(sources) or len({s.file for s in sources}) != len(sources):
        raise SystemExit(f"make_demo: two sources in {folder} share an order or an output file")
    return sources


def document(src: Source) -> typeset.OfficialDoc:
    """The source as the typesetter's document: registered, printed by its office, copied by its website."""
    c, signed = src.catalog, src.catalog["category"] != "政策解读"
    written = c.get("written_date", c["publication_date"])  # an interpretation is not signed
    return typeset.OfficialDoc(
        **{"addressee": "", "cc": "", "printer": "", **src.layout}, key=Path(src.file).stem,
        issuers=[c["issuer"]], doc_number=c.get("doc_number", ""), title=c["title"], body=src.body,
        written_date=written, publication_date=c["publication_date"], printed_on=written, title_width=0,
        registration_number=c.get("registration_number", ""), signed=signed, public_note=signed,
        enclosure_title=src.enclosure[0] if src.enclosure else "", enclosure=src.enclosure[1:],
        category=c["category"], region=c["region"], effective_date=c.get("effective_date"),
        expiry_date=c.get("expiry_date"), interprets=c.get("interprets", ""), from_website=True)


def build(sources: list[Source], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for old in (p for p in out.iterdir() if p.is_file()):
        old.unlink()
    for src in sources:
        WRITERS[Path(src.file).suffix](document(src), out / src.file)
    with (out / "catalog.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CATALOG_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: str(s.catalog.get(k, "")) for k in CATALOG_COLUMNS} | {"file": s.file} for s in sources)


def normreg(data_dir: str, *args: str) -> Any:
    """Run one ``normreg`` command on the registry in ``data_dir`` and return its JSON answer."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NORMREG_")} | {"NORMREG_DATA_DIR": data_dir}
    done = subprocess.run([sys.executable, "-m", "registry.cli", *args, "--json"], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"make_demo: normreg {' '.join(args)} failed: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout)


def check(sources: list[Source], out: Path) -> list[str]:
    """What in the built folder the registry sees otherwise than the sources say; empty when nothing."""
    with tempfile.TemporaryDirectory(prefix="demo-") as bare, tempfile.TemporaryDirectory(prefix="demo-") as full:
        ingested = normreg(bare, "ingest", str(out), "--as-of", str(AS_OF))
        files = {d["id"]: Path(d["path"]).name for d in ingested["documents"]}
        found = {files[h["id"]]: h for h in normreg(bare, "search", "示例", "--limit", "100")["hits"]}
        problems = [f"{s.file}: extracted {k} {found.get(s.file, {}).get(k)!r}, the source says {s.catalog.get(k)!r}"
                    for s in sources for k in ("title", "doc_number") if found.get(s.file, {}).get(k) != s.catalog.get(k)]
        report = normreg(full, "ingest", str(out), "--catalog", str(out / "catalog.csv"), "--as-of", str(AS_OF))
        problems += [f"{Path(f['path']).name}: not ingested: {f['error']}" for f in report["failed"]]

        def compare(s: Source) -> list[str]:
            answer = normreg(full, "check", s.catalog.get("doc_number") or s.catalog["title"], "--at", str(AS_OF))
            got = {k: answer["document"][k] for k in CHECKED} | {
                "status": answer["status"], "successor": (answer["successor"] or {}).get("doc_number")}
            want = {k: str(s.catalog[k]) for k in CHECKED if k in s.catalog} | {
                "status": s.expected["status"], "successor": s.expected.get("successor")}
            return [f"{s.file}: {k} is {got[k]!r}, the source says {v!r}" for k, v in want.items() if got[k] != v]

        with ThreadPoolExecutor(max_workers=2) as pool:
            problems += [p for ps in pool.map(compare, sources) for p in ps]
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT, help="the folder to build (default: registry/demo/documents)")
    ap.add_argument("--check-only", action="store_true", help="only check the files already built")
    args = ap.parse_args(argv)
    sources = read_sources()
    if not args.check_only:
        if not typeset.FONT.exists():
            raise SystemExit(f"make_demo: no CJK font at {typeset.FONT}; run `bash scripts/ensure-system.sh` as root")
        build(sources, args.out)
    problems = check(sources, args.out)
    for problem in problems:
        print("make_demo:", problem, file=sys.stderr)
    print(f"make_demo: {len(sources)} documents in {args.out}, checked with normreg as of {AS_OF}: "
          f"{f'{len(problems)} problem(s)' if problems else 'OK'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
