"""A clerk's upload of one file into a large registry: how long it takes, side against side.

The registry is one a bulk import left (``bench/bulk_import.py --docs N`` keeps it in its data dir, one per
side name); each side gets its own copy of it, so both start from the same rows, and uploads through the
registry's own ``ingest_upload`` (what the staff pages call) a few files: some citing a law and repealing
an earlier document (new references to resolve), some citing nothing. Reported per upload: wall and CPU
seconds of the whole call (extraction, storage, reference resolution, index feed). Sides alternate, A B A B
with ``--rounds 2``.

    python bench/upload_latency.py --registry /tmp/normreg-bulk-data/new \\
        --side old=/work/base/.venv/bin/python:/work/base --side new=.venv/bin/python:. [--rounds 2] [--json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bulk_import import Side

UPLOADS = 4  # of each kind per round

# Run by each side's interpreter with its own tree on PYTHONPATH: the upgrade (if its schema is newer)
# happens in init(), before any upload is timed.
_CHILD = r"""
import json, sys, time
from pathlib import Path
from registry.facade import Registry
from registry.settings import Settings

data, files, n = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
reg = Registry(Settings(data_dir=data))
reg.init()
reg.backend  # noqa: B018 - open the index before timing, as a running server has
out = []
for path in sorted(files.iterdir()):
    wall, cpu = time.perf_counter(), time.process_time()
    with path.open("rb") as fh:
        report = reg.ingest_upload(fh, filename=path.name, actor=None)
    out.append({"file": path.name, "wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu,
                "added": report["added"]})
reg.close()
print(json.dumps(out))
"""


def write_uploads(folder: Path, round_no: int) -> None:
    """UPLOADS files with references and UPLOADS without, unique per round (so each is added, not skipped)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(UPLOADS):
        n = round_no * 100 + i
        (folder / f"cites-{n:04d}.txt").write_text(
            f"示例市财政局关于印发预算绩效管理办法（第{n}号）的通知\n示财〔2026〕{n + 10}号\n"
            "第一条 为了规范预算绩效管理，根据《中华人民共和国预算法》，制定本办法。\n"
            f"第二条 本办法自印发之日起施行。《示例市预算绩效管理暂行办法》（示财〔2019〕{n + 2}号）同时废止。\n",
            encoding="utf-8")
        (folder / f"plain-{n:04d}.txt").write_text(
            f"示例市民政局关于开展第{n}批养老服务评估工作的通知\n示民〔2026〕{n + 5}号\n"
            "第一条 为了做好养老服务评估工作，制定本通知。\n第二条 本通知自印发之日起施行。\n", encoding="utf-8")


def run_side(side: Side, registry: Path, work: Path, round_no: int) -> list[dict[str, object]]:
    copy = work / f"{side.name}-registry"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(registry, copy)
    files = work / f"uploads-{round_no}"
    write_uploads(files, round_no)
    done = subprocess.run([side.python, "-c", _CHILD, str(copy), str(files), str(UPLOADS)], cwd="/tmp",
                          env=side.env(copy), capture_output=True, text=True)
    shutil.rmtree(copy, ignore_errors=True)
    if done.returncode != 0:
        raise SystemExit(f"{side.name}: {done.stderr[-2000:]}")
    rows: list[dict[str, object]] = json.loads(done.stdout.strip().splitlines()[-1])
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--registry", type=Path, required=True, help="data dir of a registry a bulk import left")
    ap.add_argument("--side", action="append", required=True, help="NAME=PYTHON:ROOT (repeatable)")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if not (args.registry / "normreg.db").exists():
        raise SystemExit(f"{args.registry} holds no registry: run bench/bulk_import.py --docs N first")
    sides = [Side.parse(s) for s in args.side]
    results: dict[str, list[dict[str, object]]] = {s.name: [] for s in sides}
    with tempfile.TemporaryDirectory(prefix="normreg-upload-bench-") as tmp:
        for r in range(args.rounds):
            for side in sides:
                results[side.name] += run_side(side, args.registry, Path(tmp), r)
    summary = {}
    for name, rows in results.items():
        for kind in ("cites", "plain"):
            mine = [row for row in rows if str(row["file"]).startswith(kind)]
            walls = [float(str(row["wall_s"])) for row in mine]
            cpus = [float(str(row["cpu_s"])) for row in mine]
            summary[f"{name}:{kind}"] = {"uploads": len(mine), "added": sum(int(str(row["added"])) for row in mine),
                                         "wall_median_s": round(statistics.median(walls), 3),
                                         "wall_max_s": round(max(walls), 3),
                                         "cpu_median_s": round(statistics.median(cpus), 3)}
            s = summary[f"{name}:{kind}"]
            print(f"{name:>6} {kind:>5}: {s['uploads']} uploads, wall median {s['wall_median_s']} s "
                  f"(max {s['wall_max_s']}), CPU median {s['cpu_median_s']} s")
    if args.json:
        print(json.dumps(summary))


if __name__ == "__main__":
    main()
