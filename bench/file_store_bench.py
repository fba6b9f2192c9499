"""Stored files (issue 18): what the database store costs beside the local disk.

Two measures, each on the local store and on the database store (PostgreSQL, a schema of its own, dropped
afterwards):

1. one large file: ``put``, a streamed read (``iter_bytes``), a ``local_path`` copy, and the peak of Python
   allocations while streaming (tracemalloc), for ``--mib`` MiB of random bytes;
2. an import of ``--laws`` laws of the shared corpus on PostgreSQL, once with ``NORMREG_FILE_STORE=local`` and
   once with ``database``: what keeping every source file in the database adds to a bulk import.

Run: ``PYTHONPATH=$PWD NORMREG_CORPUS=/work/shared/corpus nice -n 5 .venv/bin/python bench/file_store_bench.py``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from registry.facade import Registry
from registry.settings import Settings
from registry.storage.files import FileStore
from tests.conftest import pg_schema
from tests.support.corpus import corpus_path


def _one_file(store: FileStore, source: Path, sha: str) -> dict[str, Any]:
    size = source.stat().st_size
    t0 = time.perf_counter()
    store.put("be/bench.bin", source)
    put_s = time.perf_counter() - t0
    tracemalloc.start()
    t0 = time.perf_counter()
    digest = hashlib.sha256()
    for block in store.iter_bytes("be/bench.bin"):
        digest.update(block)
    read_s = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert digest.hexdigest() == sha
    t0 = time.perf_counter()
    with store.local_path("be/bench.bin") as path:
        assert path.stat().st_size == size
    copy_s = time.perf_counter() - t0
    store.delete("be/bench.bin")
    mib = size / (1 << 20)
    return {"store": store.kind, "mib": round(mib), "put_mib_s": round(mib / put_s), "read_mib_s": round(mib / read_s),
            "local_path_s": round(copy_s, 3), "read_peak_mib": round(peak / (1 << 20), 1)}


def _import(url: str, tmp: Path, store: str, laws: int) -> dict[str, Any]:
    docs = sorted((corpus_path("laws") / "docs").glob("*"))[:laws]
    folder = tmp / f"laws-{store}"
    folder.mkdir()
    for path in docs:
        os.symlink(path, folder / path.name)
    reg = Registry(Settings(data_dir=tmp / f"data-{store}", database_url=url, file_store=store,  # type: ignore[arg-type]
                            index_inline=False))
    reg.init()
    try:
        t0 = time.perf_counter()
        report = reg.ingest([folder], jobs=2)
        seconds = time.perf_counter() - t0
        assert report.added == laws and not report.failed, report.failed[:2]
        stored = sum(1 for _ in reg.files.names())
        return {"store": store, "laws": laws, "import_s": round(seconds, 1), "stored_files": stored,
                "source_mib": round(sum(p.stat().st_size for p in docs) / (1 << 20), 1)}
    finally:
        reg.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=64)
    parser.add_argument("--laws", type=int, default=500)
    args = parser.parse_args()
    out: dict[str, Any] = {"load": os.getloadavg(), "one_file": [], "import": []}
    with tempfile.TemporaryDirectory(prefix="normreg-files-bench-") as name:
        tmp = Path(name)
        source = tmp / "big.bin"
        with source.open("wb") as fh:
            for _ in range(args.mib):
                fh.write(os.urandom(1 << 20))
        sha = hashlib.sha256(source.read_bytes()).hexdigest()
        local = Registry(Settings(data_dir=tmp / "local"))
        out["one_file"].append(_one_file(local.files, source, sha))
        local.close()
        with pg_schema("fbench") as url:
            db = Registry(Settings(data_dir=tmp / "db", database_url=url))
            db.init()
            out["one_file"].append(_one_file(db.files, source, sha))
            db.close()
        for store in ("local", "database"):
            with pg_schema("fbench") as url:
                out["import"].append(_import(url, tmp, store, args.laws))
        shutil.rmtree(tmp / "local", ignore_errors=True)
    out["load_after"] = os.getloadavg()
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
