"""Bulk import at speed (issue 14, item 5): ``normreg ingest DIR --catalog catalog.jsonl --jobs 2``.

The corpus is the search benchmark's realistic one (:func:`bench.corpus.realistic_docs`: real law
articles under generated titles, 文号, issuers, dates and statuses), written out the way an office hands
over its archive: one text file per document (title, 文号, articles) and a JSONL catalog with the
metadata and the status as published. Generation is seeded, so the same ``--docs`` always gives the
same files.

Each side of a comparison is a Python interpreter and a source tree (``--side NAME=PYTHON:ROOT``), run
as ``PYTHON -m registry.cli`` with ``ROOT`` on ``PYTHONPATH`` and ``/tmp`` as the working directory (so
``python -m ingest.worker`` never picks up another checkout's package from the cwd). Every run gets a
fresh data dir and reports wall time, the user+sys CPU time of the command and everything it waited for
(its extraction workers), peak RSS, the load average before and after, and the result counts; then
``normreg doctor`` must say ok. Sides run one after the other, A B A B with ``--rounds 2``.

    python bench/bulk_import.py --docs 10000 --side old=/work/base/.venv/bin/python:/work/base \
        --side new=.venv/bin/python:. [--rounds 2] [--corpus-dir /tmp/bulk10k] [--json]

``--kill-after SECONDS`` instead runs the last side once, kills it with SIGKILL after that many
seconds, runs it again to the end and reports the document count and doctor's answer (nothing lost,
nothing repeated).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import load_sources, realistic_docs

LABELS = {"in_force": "有效", "repealed": "已废止", "amended": "已修改", "invalid": "失效",
          "not_yet_effective": "尚未生效", "partially_invalid": "部分失效"}
PER_FOLDER = 1000  # files per sub-folder, as archives are usually split


def generate(out: Path, n: int, seed: int = 42) -> Path:
    """Write ``n`` documents and their catalog under ``out`` (kept when already complete); returns the catalog."""
    catalog = out / "catalog.jsonl"
    marker = out / f".complete-{n}-{seed}"
    if marker.exists():
        return catalog
    out.mkdir(parents=True, exist_ok=True)
    docs = out / "docs"
    with catalog.open("w", encoding="utf-8") as fh:
        for i, doc in enumerate(realistic_docs(n, load_sources(), seed=seed)):
            rel = Path("docs") / f"{i // PER_FOLDER:04d}" / f"{doc.id}.txt"
            (docs / rel.parent.name).mkdir(parents=True, exist_ok=True)
            (out / rel).write_text(doc.body, encoding="utf-8")
            pub = doc.publication_date or date(2000, 1, 1)
            row: dict[str, Any] = {"title": doc.title, "doc_number": doc.doc_number, "issuer": doc.issuer,
                                   "category": doc.category, "publication_date": pub.isoformat(),
                                   "effective_date": (pub + timedelta(days=30 * (i % 3))).isoformat(),
                                   "status": LABELS[doc.status], "file": rel.as_posix()}
            if doc.status == "not_yet_effective":
                row["effective_date"] = (date(2030, 1, 1) + timedelta(days=i % 365)).isoformat()
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    marker.touch()
    return catalog


@dataclass
class Side:
    name: str
    python: str
    root: str

    @classmethod
    def parse(cls, spec: str) -> Side:
        name, _, rest = spec.partition("=")
        python, _, root = rest.partition(":")
        if not (name and python and root):
            raise SystemExit(f"--side wants NAME=PYTHON:ROOT, not {spec!r}")
        return cls(name, str(Path(python).absolute()), str(Path(root).resolve()))

    def command(self, *args: str) -> list[str]:
        return [self.python, "-m", "registry.cli", *args]

    def env(self, data_dir: Path) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NORMREG_")}
        return {**env, "PYTHONPATH": self.root, "NORMREG_DATA_DIR": str(data_dir)}


@dataclass
class Run:
    side: str
    docs: int
    wall_s: float
    cpu_s: float  # user + sys of the command and the workers it waited for
    peak_rss_mb: float
    load_before: float
    load_after: float
    added: int
    failed: int
    doctor_ok: bool
    documents: int


def _children_cpu() -> tuple[float, float]:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024


def _count(side: Side, data_dir: Path) -> int:
    code = "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from documents').fetchone()[0])"
    out = subprocess.run([side.python, "-c", code, str(data_dir / "normreg.db")], capture_output=True, text=True,
                         check=True)
    return int(out.stdout)


def _doctor(side: Side, data_dir: Path) -> bool:
    done = subprocess.run(side.command("doctor", "--json"), env=side.env(data_dir), cwd="/tmp",
                          capture_output=True, text=True)
    return done.returncode == 0 and json.loads(done.stdout or "{}").get("ok") is True


def ingest_once(side: Side, corpus: Path, data_dir: Path, n: int, as_of: str, jobs: int) -> Run:
    """One fresh import, timed; then doctor."""
    subprocess.run(["rm", "-rf", str(data_dir)], check=True)
    args = side.command("ingest", str(corpus / "docs"), "--catalog", str(corpus / "catalog.jsonl"),
                        "--jobs", str(jobs), "--as-of", as_of, "--json")
    load_before = os.getloadavg()[0]
    cpu0, _ = _children_cpu()
    t0 = time.perf_counter()
    done = subprocess.run(args, env=side.env(data_dir), cwd="/tmp", capture_output=True, text=True)
    wall = time.perf_counter() - t0
    cpu1, rss = _children_cpu()
    load_after = os.getloadavg()[0]
    if done.returncode != 0:
        raise SystemExit(f"{side.name}: ingest failed ({done.returncode}): {done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    return Run(side=side.name, docs=n, wall_s=round(wall, 1), cpu_s=round(cpu1 - cpu0, 1), peak_rss_mb=round(rss),
               load_before=round(load_before, 1), load_after=round(load_after, 1), added=report["added"],
               failed=len(report["failed"]), doctor_ok=_doctor(side, data_dir), documents=_count(side, data_dir))


def kill_and_resume(side: Side, corpus: Path, data_dir: Path, after: float, as_of: str, jobs: int) -> dict[str, Any]:
    """SIGKILL an import after ``after`` seconds, run it again, and say what the registry holds."""
    subprocess.run(["rm", "-rf", str(data_dir)], check=True)
    args = side.command("ingest", str(corpus / "docs"), "--catalog", str(corpus / "catalog.jsonl"),
                        "--jobs", str(jobs), "--as-of", as_of, "--json")
    first = subprocess.Popen(args, env=side.env(data_dir), cwd="/tmp", stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(after)
    os.killpg(first.pid, signal.SIGKILL)  # the command and its workers, as a power cut would
    first.wait()
    stored = _count(side, data_dir)
    t0 = time.perf_counter()
    done = subprocess.run(args, env=side.env(data_dir), cwd="/tmp", capture_output=True, text=True)
    report = json.loads(done.stdout)
    return {"side": side.name, "killed_after_s": after, "documents_when_killed": stored,
            "rerun": {"wall_s": round(time.perf_counter() - t0, 1), "added": report["added"],
                      "unchanged": report["unchanged"], "updated": report["updated"],
                      "failed": len(report["failed"])},
            "documents": _count(side, data_dir), "doctor_ok": _doctor(side, data_dir)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--side", action="append", required=True, help="NAME=PYTHON:ROOT (repeatable)")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--corpus-dir", type=Path, default=None, help="default /tmp/normreg-bulk-{docs}")
    ap.add_argument("--data-dir", type=Path, default=Path("/tmp/normreg-bulk-data"))
    ap.add_argument("--as-of", default="2025-12-01")
    ap.add_argument("--kill-after", type=float, default=None)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    sides = [Side.parse(s) for s in args.side]
    corpus = args.corpus_dir or Path(f"/tmp/normreg-bulk-{args.docs}")
    t0 = time.perf_counter()
    generate(corpus, args.docs)
    print(f"corpus {corpus}: {args.docs} documents ready in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    if args.kill_after is not None:
        result: Any = kill_and_resume(sides[-1], corpus, args.data_dir, args.kill_after, args.as_of, args.jobs)
        print(json.dumps(result, ensure_ascii=False, indent=None if args.json else 2))
        return
    runs: list[Run] = []
    for _ in range(args.rounds):
        for side in sides:
            run = ingest_once(side, corpus, args.data_dir / side.name, args.docs, args.as_of, args.jobs)
            runs.append(run)
            print(f"{run.side}: {run.wall_s} s wall, {run.cpu_s} s CPU, load {run.load_before}->{run.load_after}, "
                  f"added {run.added}, failed {run.failed}, documents {run.documents}, doctor ok {run.doctor_ok}",
                  file=sys.stderr)
    if args.json:
        print(json.dumps([asdict(r) for r in runs], ensure_ascii=False))


if __name__ == "__main__":
    main()
