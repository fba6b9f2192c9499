"""Signed statements against the answer they sign: what issuing (check + sign + store) and verifying
(signature + a fresh check) cost per call, compared with a plain ``check`` in the same run.

    .venv/bin/python bench/statement_bench.py --docs 200 --rounds 5 --calls 100

A temporary SQLite registry gets ``--docs`` documents, half of them repealed by the other half (so answers
carry evidence and a successor). Each round runs ``--calls`` of each operation, in rotating order so none
always goes first; reported per operation: the median over rounds of CPU (user+sys of this process) and wall
milliseconds per call, their ratios to ``check``, and the 1-minute load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from registry.facade import Registry
from registry.models import DocumentCreate, EventCreate
from registry.settings import Settings


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def load_registry(data: Path, docs: int) -> tuple[Registry, list[str]]:
    reg = Registry(Settings(data_dir=data))  # type: ignore[call-arg]
    reg.init()
    ids = []
    for i in range(docs):
        d = reg.create_document(DocumentCreate(title=f"示例市第{i}号管理办法", doc_number=f"示政发〔2020〕{i + 1}号",
                                               issuer="示例市人民政府", publication_date=date(2020, 1, 1),
                                               effective_date=date(2020, 2, 1)))
        ids.append(d["id"])
    half = docs // 2
    for old, new in zip(ids[:half], ids[half:], strict=False):
        reg.record_event(old, EventCreate(type="repealed", date=date(2024, 1, 1), payload={"successor": new}))
    return reg, ids


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--calls", type=int, default=100)
    args = ap.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        reg, ids = load_registry(Path(tmp) / "data", args.docs)
        issued = [reg.issue_statement(i) for i in ids[: args.calls]]
        ops: dict[str, Callable[[int], Any]] = {
            "check": lambda k: reg.check(ids[k % len(ids)]),
            "issue": lambda k: reg.issue_statement(ids[k % len(ids)]),
            "verify": lambda k: reg.verify_statement(issued[k % len(issued)]),
        }
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in ops}
        names = list(ops)
        for r in range(args.rounds):
            for name in names[r % 3:] + names[: r % 3]:
                c0, w0 = cpu(), time.perf_counter()
                for k in range(args.calls):
                    ops[name](k)
                runs[name].append(((cpu() - c0) / args.calls * 1000, (time.perf_counter() - w0) / args.calls * 1000))
        reg.close()
    med = {n: (statistics.median(c for c, _ in v), statistics.median(w for _, w in v)) for n, v in runs.items()}
    base_cpu, base_wall = med["check"]
    print(json.dumps({
        "docs": args.docs, "rounds": args.rounds, "calls": args.calls,
        "load_before": round(load_before, 2), "load_after": round(os.getloadavg()[0], 2),
        "per_call_ms": {n: {"cpu": round(c, 3), "wall": round(w, 3), "cpu_ratio_to_check": round(c / base_cpu, 2),
                            "wall_ratio_to_check": round(w / base_wall, 2)} for n, (c, w) in med.items()},
    }, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
