"""Whole-registry exports against a running ``normreg serve``: the server's memory while one export of
every document streams, and search latency while twenty anonymous clients ask for exports at once.

    .venv/bin/python bench/export_bench.py --registry /tmp/reg100k --docs 100000

The registry is loaded the way ``bench/search_bench.py --registry`` loads it (rows in bulk, then the
index by ``reindex``), and kept for the next run. Reported:

- ``stream``: a streamed export of the largest publication year at or under
  ``NORMREG_EXPORT_STREAM_MAX_ROWS`` (10,000), read to the end; ``rss_before_mb`` / ``peak_rss_mb`` /
  ``growth_mb`` are the server's resident memory before anything ran, its peak (VmHWM) after, and their
  difference;
- ``job``: then an export of every document, which is a job: asked for, run by the server's background
  thread, its file downloaded; growth over the same starting RSS (so it includes the stream's);
- ``search_idle``: p50/p95 of first-time questions with nothing else running; ``search_during_exports``: the
  same kind of questions (other ones) while 20 threads keep asking for exports, and ``p95_ratio``;
- ``exports``: how the 20 clients' export requests were answered (200 / 429).

Run it from two checkouts (before and after a change) into two data dirs for a comparison in one run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import QUESTION_QUERIES, make_corpus
from bench.search_bench import load_registry, peak_rss_mb, serve
from bench.stard_eval import DEFAULT_CORPUS


def rss_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024)
    return 0


def _stream_year(data_dir: Path, limit: int) -> tuple[int, int]:
    """The publication year with the most published documents at or under ``limit`` (a streamed export)."""
    import sqlite3

    with sqlite3.connect(data_dir / "normreg.db") as db:
        counts = db.execute("SELECT substr(publication_date, 1, 4), count(*) FROM documents WHERE published_at "
                            "IS NOT NULL AND publication_date IS NOT NULL GROUP BY 1").fetchall()
    year, rows = max(((int(y), n) for y, n in counts if n <= limit), key=lambda p: p[1])
    return year, rows


def questions(corpus: Any, n: int, skip: int) -> list[str]:
    """``n`` distinct first-time questions (the bench's own, varied by a generated subject)."""
    subjects = [d.title[:12] for d in corpus.docs(n + skip)][skip:]
    return [f"{subjects[i]}{QUESTION_QUERIES[i % len(QUESTION_QUERIES)]}" for i in range(n)]


def latency(url: str, qs: list[str]) -> dict[str, float]:
    import httpx

    times = []
    with httpx.Client(base_url=url, timeout=60) as http:
        for q in qs:
            started = time.perf_counter()
            http.get("/api/v1/search", params={"q": q}).raise_for_status()
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50": round(statistics.median(times), 2), "p95": round(times[int(len(times) * 0.95) - 1], 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--registry", type=Path, required=True, help="data dir (loaded unless it holds a registry)")
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--shared-corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--questions", type=int, default=100)
    ap.add_argument("--clients", type=int, default=20)
    args = ap.parse_args(argv)
    corpus = make_corpus("realistic", args.shared_corpus)
    out: dict[str, Any] = {"docs": args.docs}
    args.registry.mkdir(parents=True, exist_ok=True)
    if not (args.registry / "normreg.db").exists():
        out["load"] = load_registry(args.registry, corpus, args.docs)
    import os

    os.environ.pop("NORMREG_RATE_LIMIT_PER_MINUTE", None)
    proc, url = serve(args.registry)  # the search rate limit is off; the export limits are the defaults
    try:
        import httpx

        before = rss_mb(proc.pid)  # every growth below is over this: VmHWM only rises
        year, rows = _stream_year(args.registry, 10_000)
        started = time.perf_counter()
        size = 0
        with httpx.stream("GET", f"{url}/api/v1/documents/export", params={"format": "csv", "year": year},
                          timeout=600) as r:
            r.raise_for_status()
            for chunk in r.iter_bytes():
                size += len(chunk)
        peak = peak_rss_mb(proc.pid)
        out["stream"] = {"year": year, "rows": rows, "seconds": round(time.perf_counter() - started, 1),
                         "mb": round(size / 2**20, 1), "rss_before_mb": before, "peak_rss_mb": peak,
                         "growth_mb": peak - before}
        started = time.perf_counter()
        job = httpx.post(f"{url}/api/v1/exports", params={"format": "csv"}, timeout=60).json()
        if "state" not in job:
            raise SystemExit(f"the export job was refused: {job}")
        while job["state"] in ("queued", "running"):
            time.sleep(0.5)
            job = httpx.get(f"{url}/api/v1/exports/{job['id']}", timeout=60).json()
        seconds = time.perf_counter() - started
        size = 0
        with httpx.stream("GET", f"{url}/api/v1/exports/{job['id']}/file", timeout=600) as r:
            r.raise_for_status()
            for chunk in r.iter_bytes():
                size += len(chunk)
        peak = peak_rss_mb(proc.pid)
        out["job"] = {"state": job["state"], "rows": job["rows_done"], "seconds": round(seconds, 1),
                      "mb": round(size / 2**20, 1), "rss_before_mb": before, "peak_rss_mb": peak,
                      "growth_mb": peak - before}

        out["search_idle"] = latency(url, questions(corpus, args.questions, 0))
        stop = threading.Event()
        answers: dict[int, int] = {}
        lock = threading.Lock()

        def client() -> None:
            with httpx.Client(base_url=url, timeout=600) as http:
                while not stop.is_set():
                    with http.stream("GET", "/api/v1/documents/export", params={"format": "csv"}) as res:
                        for _ in res.iter_bytes():
                            if stop.is_set():
                                break
                        with lock:
                            answers[res.status_code] = answers.get(res.status_code, 0) + 1
                    if res.status_code == 429:
                        time.sleep(0.5)

        threads = [threading.Thread(target=client, daemon=True) for _ in range(args.clients)]
        for t in threads:
            t.start()
        time.sleep(1)
        out["search_during_exports"] = latency(url, questions(corpus, args.questions, args.questions))
        stop.set()
        for t in threads:
            t.join(timeout=60)
        out["exports"] = {str(k): v for k, v in sorted(answers.items())}
        out["p95_ratio"] = round(out["search_during_exports"]["p95"] / out["search_idle"]["p95"], 2)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
