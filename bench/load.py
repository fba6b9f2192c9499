"""Load benchmark: search, validity checks and writes together against a real ``normreg serve``.

Starts the server on 127.0.0.1 (a random free port) over a temporary data dir holding the demo documents,
or over ``--data-dir``; creates a clerk token with ``normreg token create``; then ``--clients`` threads,
each with its own HTTP connection, drive a mix of operations for ``--seconds``:

- ``search``   GET /api/v1/search with a keyword from the documents' titles;
- ``validity`` GET /api/v1/validity?ref=<文号>&at=<a date>;
- ``note``     POST /api/v1/documents/{id}/events (a ``note``, audited like every write);
- ``patch``    GET the document for its ETag, then PATCH it with If-Match.

A 412 on a PATCH is the ETag rule working (another client edited the same document between the read and
the write) and is counted as a conflict, not an error; any other non-2xx answer or transport failure is
an error, and the run exits 1 if there was one. Loopback only: nothing leaves the machine.

    .venv/bin/python bench/load.py [--seconds 60] [--clients 8] [--data-dir DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "registry" / "demo" / "documents"
NORMREG = [sys.executable, "-m", "registry.cli"]
MIX = (("search", 45), ("validity", 35), ("note", 10), ("patch", 10))
WORDS = ("管理办法", "公共租赁住房", "食品", "课后服务", "营商环境", "停车", "宅基地", "合法性审核", "通知", "清理")


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    conflicts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, op: str, seconds: float) -> None:
        with self.lock:
            self.latencies.setdefault(op, []).append(seconds)

    def error(self, op: str, detail: str) -> None:
        with self.lock:
            self.errors.append(f"{op}: {detail}"[:300])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(args: list[str], env: dict[str, str]) -> Any:
    done = subprocess.run([*NORMREG, *args, "--json"], env=env, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"normreg {' '.join(args)} failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def _wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("normreg serve exited before it was ready")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("normreg serve did not answer /healthz in time")


def _client_loop(base: str, token: str, docs: list[dict[str, Any]], stop: float, stats: Stats, seed: int) -> None:
    rnd = random.Random(seed)
    ops = [op for op, weight in MIX for _ in range(weight)]
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, timeout=30) as http:
        while time.monotonic() < stop:
            op = rnd.choice(ops)
            doc = rnd.choice(docs)
            started = time.perf_counter()
            try:
                if op == "search":
                    r = http.get("/api/v1/search", params={"q": rnd.choice(WORDS), "per_page": 10})
                elif op == "validity":
                    ref = doc.get("doc_number") or doc["id"]
                    r = http.get("/api/v1/validity", params={"ref": ref, "at": f"{rnd.randint(2016, 2030)}-06-01"})
                elif op == "note":
                    r = http.post(f"/api/v1/documents/{doc['id']}/events", headers=auth,
                                  json={"type": "note", "text": f"负载测试备注 {seed}-{rnd.randint(0, 10**9)}"})
                else:
                    current = http.get(f"/api/v1/documents/{doc['id']}")
                    if current.status_code != 200:
                        stats.error(op, f"GET {current.status_code} {current.text[:200]}")
                        continue
                    r = http.patch(f"/api/v1/documents/{doc['id']}", json={"topic": f"负载{rnd.randint(0, 999)}"},
                                   headers={**auth, "If-Match": current.headers["etag"]})
                    if r.status_code == 412:
                        with stats.lock:
                            stats.conflicts += 1
                        stats.add(op, time.perf_counter() - started)
                        continue
            except httpx.HTTPError as exc:
                stats.error(op, f"{type(exc).__name__}: {exc}")
                continue
            elapsed = time.perf_counter() - started
            if r.status_code >= 300:
                stats.error(op, f"{r.status_code} {r.text[:200]}")
            else:
                stats.add(op, elapsed)


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--seconds", type=float, default=60.0, help="how long to drive the load (default 60)")
    ap.add_argument("--clients", type=int, default=8, help="concurrent clients (threads), default 8")
    ap.add_argument("--data-dir", type=Path, help="reuse this data dir (default: a temporary one with the demo)")
    ap.add_argument("--json", action="store_true", help="print one JSON document")
    args = ap.parse_args()

    tmp = None
    if args.data_dir is None:
        tmp = Path(tempfile.mkdtemp(prefix="normreg-load-"))
        data_dir = tmp / "data"
    else:
        data_dir = args.data_dir
    env = {**os.environ, "NORMREG_DATA_DIR": str(data_dir), "NORMREG_RATE_LIMIT_PER_MINUTE": "0"}
    if args.data_dir is None:
        env.pop("NORMREG_DATABASE_URL", None)  # the temporary registry is SQLite in its own data dir
    proc: subprocess.Popen[bytes] | None = None
    doctor: subprocess.CompletedProcess[str] | None
    try:
        _run(["init"], env)
        if tmp is not None:
            _run(["ingest", str(DEMO), "--catalog", str(DEMO / "catalog.csv")], env)
        token = _run(["token", "create", "--name", f"load-clerk-{os.getpid()}-{int(time.time())}",
                      "--role", "clerk"], env)["token"]
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        proc = subprocess.Popen([*NORMREG, "serve", "--host", "127.0.0.1", "--port", str(port)],
                                env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_ready(base, proc)
        listing = httpx.get(f"{base}/api/v1/documents", params={"per_page": 100}, timeout=30).json()
        docs = listing["items"]
        if not docs:
            raise SystemExit("the registry holds no documents to drive")

        stats = Stats()
        started = time.monotonic()
        stop = started + args.seconds
        threads = [threading.Thread(target=_client_loop, args=(base, token, docs, stop, stats, n))
                   for n in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - started
        health = httpx.get(f"{base}/healthz", timeout=30).status_code
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        if tmp is not None:
            doctor = subprocess.run([*NORMREG, "doctor", "--json"], env=env, capture_output=True, text=True, cwd=ROOT)
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            doctor = None  # a --data-dir given: doctor is the owner's to run

    total = sum(len(v) for v in stats.latencies.values())
    report: dict[str, Any] = {
        "seconds": round(wall, 1), "clients": args.clients, "documents": len(docs), "requests": total,
        "throughput_rps": round(total / wall, 1), "errors": len(stats.errors), "patch_conflicts_412": stats.conflicts,
        "healthz_after": health,
        "doctor_ok": json.loads(doctor.stdout)["ok"] if doctor is not None and doctor.stdout else None,
        "operations": {op: {"count": len(v), "rps": round(len(v) / wall, 1),
                            "p50_ms": round(_percentile(v, 50) * 1000, 1),
                            "p99_ms": round(_percentile(v, 99) * 1000, 1)}
                       for op, v in sorted(stats.latencies.items())},
        "first_errors": stats.errors[:10],
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(f"{report['requests']} requests in {report['seconds']} s with {args.clients} clients: "
              f"{report['throughput_rps']} req/s, {report['errors']} errors, {stats.conflicts} PATCH conflicts (412)")
        print(f"{'operation':<10} {'count':>7} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8}")
        for op, o in report["operations"].items():
            print(f"{op:<10} {o['count']:>7} {o['rps']:>7} {o['p50_ms']:>8} {o['p99_ms']:>8}")
        for e in report["first_errors"]:
            print(f"  error {e}")
        print(f"doctor after the run: {report['doctor_ok']}")
    return 1 if stats.errors or report["doctor_ok"] is False else 0


if __name__ == "__main__":
    sys.exit(main())
