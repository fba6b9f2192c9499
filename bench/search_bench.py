"""Search speed on a synthetic corpus: index time, full-page latency (total, four facets, ten snippets),
requests per second and peak memory, for keyword and question queries.

    .venv/bin/python bench/search_bench.py --docs 100000            # embedded engine, in process
    .venv/bin/python bench/search_bench.py --docs 20000 --engine fts5  # the SQLite FTS5 alternative
    .venv/bin/python bench/search_bench.py --http http://127.0.0.1:8000  # a running server
    .venv/bin/python bench/search_bench.py --docs 100000 --registry /tmp/reg100k  # registry + normreg serve
    .venv/bin/python bench/search_bench.py --docs 100000 --corpus dense  # the broad-query worst case
    .venv/bin/python bench/search_bench.py --docs 100000 --corpus lawmix --registry /tmp/mix100k  # broad, real

Latency is reported twice: for the fixed query lists sent repeatedly (a popular query, a page reload,
paging) and for ``--cold`` distinct queries sent once each (a query not seen since the last write).

The corpus is generated deterministically (seeded), about 2,000 characters of articles per document under
generated titles, 文号, issuers, dates and statuses (see bench/corpus.py): ``--corpus realistic`` (the
default) recombines the articles of the real laws in ../shared/corpus/laws, so term frequencies are those
of real legal texts; ``--corpus dense`` writes every document from a few dozen phrases, the broad-query
worst case where most queries match most of the index.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import KEYWORD_QUERIES, QUESTION_QUERIES, Corpus, batched, make_corpus
from bench.stard_eval import DEFAULT_CORPUS
from search.embedded import EmbeddedBackend
from search.model import IndexDocument, SearchQuery
from search.normalize import normalize
from search.query import plan_query
from search.snippets import make_snippet
from search.tokenize import index_stream, run_bigrams, units


def peak_rss_mb(pid: int | str = "self") -> int:
    """A process's peak resident memory (VmHWM; this process by default), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return 0


def measure(run: Callable[[str], Any], queries: list[str], rounds: int, warm: bool = True) -> dict[str, float]:
    """Latency of full pages; ``warm`` first sends every query once (so repeats hit warm caches)."""
    if warm:
        for q in queries:
            run(q)
    times: list[float] = []
    took: list[float] = []  # the server's own figure (backend + registry rows), when it reports one
    started = time.perf_counter()
    for _ in range(rounds):
        for q in queries:
            t = time.perf_counter()
            res = run(q)
            times.append((time.perf_counter() - t) * 1000)
            if isinstance(res, dict) and "took_ms" in res:
                took.append(float(res["took_ms"]))
    elapsed = time.perf_counter() - started
    times.sort()
    out = {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(len(times) * 0.95)], 2),
           "req_per_s": round(len(times) / elapsed, 1), "n": len(times)}
    if took:
        took.sort()
        out["server_took_p50_ms"] = round(statistics.median(took), 2)
        out["server_took_p95_ms"] = round(took[int(len(took) * 0.95)], 2)
    return out


def measure_all(run: Callable[[str], Any], corpus: Corpus, rounds: int, cold: int,
                cpu: Callable[[], float] | None = None) -> dict[str, Any]:
    """Repeated queries (the fixed lists, warm) and first-time queries (``cold`` of each kind, sent once).

    ``cpu()``, when given, is the server's CPU time so far (seconds): each first-time list then also
    reports the server's CPU per request (user + sys), steadier than wall time on a loaded machine.
    """
    out: dict[str, Any] = {"keywords": measure(run, KEYWORD_QUERIES, rounds),
                           "questions": measure(run, QUESTION_QUERIES, rounds)}
    if cold:
        cold_kw, cold_q = corpus.cold(cold)
        for name, queries in (("keywords_first_time", cold_kw), ("questions_first_time", cold_q)):
            before = cpu() if cpu else 0.0
            out[name] = measure(run, queries, 1, warm=False)
            if cpu:
                out[name]["server_cpu_ms_per_req"] = round((cpu() - before) * 1000 / max(1, len(queries)), 2)
    return out


def process_cpu_s(pid: int) -> float:
    """User + system CPU time of a process so far, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _dir_size_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20, 1)


# -- SQLite FTS5 over the same bigram streams: the measured alternative ------------------------------
class Fts5Probe:
    """Document-level FTS5 with the same tokenisation, weights, facets and snippets, for comparison."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path / "fts5.db", check_same_thread=False)
        self.db.executescript(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
            "CREATE TABLE meta(id INTEGER PRIMARY KEY, doc_id TEXT, status TEXT, issuer TEXT, category TEXT,"
            " year INT, day INT, weight REAL, title TEXT, body TEXT);"
            "CREATE VIRTUAL TABLE fts USING fts5(title, docno, heading, body, tokenize='unicode61', detail=full);")

    def index(self, docs: list[IndexDocument]) -> None:
        from search.ranking import prior

        rows, fts = [], []
        start = self.db.execute("SELECT coalesce(max(id), 0) FROM meta").fetchone()[0]
        for n, d in enumerate(docs, start=start + 1):
            rows.append((n, d.id, d.status, d.issuer, d.category, d.publication_date.year if d.publication_date
                         else None, d.publication_date.toordinal() if d.publication_date else 0,
                         prior(d.status, d.publication_date, d.pinned), d.title, d.body))
            fts.append((n, index_stream(normalize(d.title)), index_stream(normalize(d.doc_number or "")),
                        index_stream(normalize(" ".join(a.heading or "" for a in d.articles))),
                        index_stream(normalize(d.body))))
        self.db.executemany("INSERT INTO meta VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
        self.db.executemany("INSERT INTO fts(rowid, title, docno, heading, body) VALUES (?,?,?,?,?)", fts)
        self.db.commit()

    def match(self, q: str) -> str | None:
        plan = plan_query(q)
        parts = []
        for c in plan.required:
            for r in c.runs:
                us = units(r)
                toks = run_bigrams(us) if len(us) > 1 else [us[0] + "*"]
                parts.append('"' + " ".join(toks) + '"' if len(toks) > 1 or "*" not in toks[0] else toks[0])
        if plan.mode == "best":
            return " OR ".join(f'"{t}"' for t in plan.terms) or None
        return " AND ".join(parts) or None

    def page(self, q: str) -> dict[str, Any]:
        expr = self.match(q)
        if expr is None:
            return {"total": 0}
        cur = self.db.cursor()
        cur.execute("CREATE TEMP TABLE IF NOT EXISTS m(id INTEGER PRIMARY KEY, score REAL)")
        cur.execute("DELETE FROM m")
        cur.execute("INSERT INTO m SELECT rowid, bm25(fts, 6.0, 4.0, 2.0, 1.0) FROM fts WHERE fts MATCH ?", (expr,))
        total = cur.execute("SELECT count(*) FROM m").fetchone()[0]
        facets = {f: dict(cur.execute(f"SELECT {f}, count(*) FROM m JOIN meta USING(id) GROUP BY {f}").fetchall())
                  for f in ("status", "issuer", "category", "year")}
        top = cur.execute("SELECT meta.body FROM m JOIN meta USING(id) ORDER BY m.score * meta.weight LIMIT 10")
        terms = plan_query(q).highlight_terms()
        snippets = [make_snippet(body, terms) for (body,) in top.fetchall()]
        return {"total": total, "facets": facets, "snippets": snippets}


def load_registry(data_dir: Path, corpus: Corpus, n: int) -> dict[str, Any]:
    """Put the synthetic corpus into a registry at ``data_dir`` and build its index the registry's way.

    Rows go into the registry's own tables in bulk (the ingest pipeline, which extracts files, is not
    what is measured here); the index is then built by ``registry.storage.indexing.reindex`` exactly as
    ``normreg reindex`` does: documents and articles read back from the database in batches of 500 and
    handed to the backend. So the served index is the registry's projection, and search hits resolve
    against registry rows, as in production.
    """
    import os
    from datetime import UTC, datetime

    os.environ["NORMREG_DATA_DIR"] = str(data_dir)
    from sqlalchemy import insert

    from registry.facade import Registry
    from registry.models import Article, Document
    from registry.rules.refs import doc_number_key, title_key
    from registry.settings import Settings
    from registry.storage.indexing import reindex

    reg = Registry(Settings())
    reg.init()
    now = datetime.now(UTC)
    started = time.perf_counter()
    docs: list[dict[str, Any]] = []
    arts: list[dict[str, Any]] = []

    def flush() -> None:
        with reg.engine.begin() as conn:
            conn.execute(insert(Document.__table__), docs)  # type: ignore[attr-defined]
            conn.execute(insert(Article.__table__), arts)  # type: ignore[attr-defined]
        docs.clear()
        arts.clear()

    for d in corpus.docs(n):
        docs.append({"id": d.id, "title": d.title, "title_key": title_key(d.title), "doc_number": d.doc_number,
                     "doc_number_key": doc_number_key(d.doc_number), "issuer": d.issuer, "category": d.category,
                     "publication_date": d.publication_date, "pinned": d.pinned, "text": d.body, "status": d.status,
                     "status_reason": "", "version": 1, "co_issuers": [], "created_at": now, "updated_at": now,
                     "published_at": now})  # published: reindex reads published documents only
        arts.extend({"document_id": d.id, "ordinal": a.ordinal, "number": a.number, "chapter": a.heading,
                     "text": a.text} for a in d.articles)
        if len(docs) == 2000:
            flush()
    if docs:
        flush()
    rows_seconds = time.perf_counter() - started
    started = time.perf_counter()
    count = reindex(reg.engine, reg.backend)  # ends with the backend's optimize(), as the command does
    index_seconds = time.perf_counter() - started
    reg.close()
    return {"rows_seconds": round(rows_seconds, 1), "reindex_seconds": round(index_seconds, 1), "indexed": count,
            "index_mb": _dir_size_mb(data_dir / "search")}


def serve(data_dir: Path) -> tuple[Any, str]:
    """Start ``normreg serve`` on a free port of 127.0.0.1 (rate limit off: the bench is one client)."""
    import os
    import socket
    import subprocess

    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "NORMREG_DATA_DIR": str(data_dir), "NORMREG_RATE_LIMIT_PER_MINUTE": "0"}
    exe = Path(sys.executable).with_name("normreg")
    proc = subprocess.Popen([str(exe), "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit("normreg serve did not come up")


def floor(data_dir: Path, corpus: Corpus, cold: int) -> dict[str, Any]:
    """The floor of a first-time page: tantivy's own top-10 for the same first-time queries, in process,
    on the served index (the document query the engine builds; no count, facets, articles, snippets,
    registry rows or HTTP). Reported beside the HTTP figures as their ratio."""
    import tantivy

    from search.embedded.articles import build_article_schema
    from search.embedded.queries import build
    from search.embedded.schema import SCHEMA_VERSION, build_schema

    index = tantivy.Index(build_schema(), path=str(data_dir / "search" / f"embedded-v{SCHEMA_VERSION}"), reuse=True)
    searcher = index.searcher()
    article_schema = build_article_schema()
    out: dict[str, Any] = {}
    cold_kw, cold_q = corpus.cold(cold)
    for name, queries in (("keywords_first_time", cold_kw), ("questions_first_time", cold_q)):
        built = [build(index.schema, article_schema, plan_query(q), SearchQuery(q=q)) for q in queries]

        def run(i: str, built: list[Any] = built) -> Any:
            b = built[int(i)]
            return searcher.search(b.docs, limit=10, count=False) if b is not None else None

        out[name] = measure(run, [str(i) for i in range(len(queries))], 1, warm=False)
    return out


def http_runner(url: str, client: str = "stdlib") -> Callable[[str], Any]:
    """GET /api/v1/search?q=…&per_page=10 on one kept-alive connection, accepting gzip as browsers do.

    ``stdlib`` (http.client) costs the measuring side about 0.15 ms a request; ``httpx`` about 0.9 ms,
    which the first sessions' figures include (both clients run on the same two cores as the server).
    """
    if client == "httpx":
        import httpx

        session = httpx.Client(base_url=url, timeout=30)

        def run_httpx(q: str) -> Any:
            res = session.get("/api/v1/search", params={"q": q, "per_page": 10})
            res.raise_for_status()
            data = res.json()
            assert len(data["facets"]) == 4
            return data

        return run_httpx

    import gzip
    import http.client
    import urllib.parse

    parsed = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parsed.hostname or "127.0.0.1", parsed.port or 80, timeout=30)

    def run(q: str) -> Any:
        conn.request("GET", "/api/v1/search?" + urllib.parse.urlencode({"q": q, "per_page": 10}),
                     headers={"Accept-Encoding": "gzip"})
        res = conn.getresponse()
        body = res.read()
        assert res.status == 200, (res.status, body[:200])
        if res.getheader("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        data = json.loads(body)
        assert len(data["facets"]) == 4
        return data

    return run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--corpus", choices=["realistic", "lawmix", "dense"], default="realistic",
                    help="realistic: real law articles recombined (needs ../shared/corpus); lawmix: sentences "
                    "of 600 laws recombined at random, broad questions (needs it too); dense: worst case")
    ap.add_argument("--shared-corpus", type=Path, default=DEFAULT_CORPUS, help="the shared corpus directory")
    ap.add_argument("--engine", choices=["embedded", "fts5"], default="embedded")
    ap.add_argument("--index-dir", type=Path, help="keep the index here (reused when it exists)")
    ap.add_argument("--http", help="base URL of a running server: measure GET /api/v1/search there instead")
    ap.add_argument("--registry", type=Path, help="data dir: load the corpus into a registry there (unless it "
                    "holds documents already), start normreg serve on a free port and measure over HTTP")
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--cold", type=int, default=100, help="first-time queries of each kind (0: none)")
    ap.add_argument("--client", choices=["stdlib", "httpx"], default="stdlib",
                    help="HTTP client of the measuring side (see http_runner)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    out: dict[str, Any] = {"docs": None if args.http else args.docs, "corpus": args.corpus,
                           "engine": "http" if args.http or args.registry else args.engine}
    corpus = make_corpus(args.corpus, args.shared_corpus)

    if args.http:
        out["client"] = args.client
        out.update(measure_all(http_runner(args.http, args.client), corpus, args.rounds, args.cold))
        print(json.dumps(out, ensure_ascii=False) if args.json else json.dumps(out, ensure_ascii=False, indent=1))
        return 0

    if args.registry:
        args.registry.mkdir(parents=True, exist_ok=True)
        if not (args.registry / "normreg.db").exists():
            out["load"] = load_registry(args.registry, corpus, args.docs)
            out["load"]["peak_rss_mb"] = peak_rss_mb()
        proc, url = serve(args.registry)
        try:
            out["client"] = args.client
            out.update(measure_all(http_runner(url, args.client), corpus, args.rounds, args.cold,
                                   cpu=lambda: process_cpu_s(proc.pid)))
            out["server_peak_rss_mb"] = peak_rss_mb(proc.pid)
            out["server_cpu_s"] = round(process_cpu_s(proc.pid), 1)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        if args.cold:
            out["floor_in_process_top10"] = floor(args.registry, corpus, args.cold)
            for kind in ("keywords_first_time", "questions_first_time"):
                base = out["floor_in_process_top10"][kind]
                out[kind]["ratio_to_floor_p50"] = round(out[kind]["p50_ms"] / max(0.01, base["p50_ms"]), 1)
                out[kind]["ratio_to_floor_p95"] = round(out[kind]["p95_ms"] / max(0.01, base["p95_ms"]), 1)
        out["loadavg"] = Path("/proc/loadavg").read_text().split()[:3]
        print(json.dumps(out, ensure_ascii=False) if args.json else json.dumps(out, ensure_ascii=False, indent=1))
        return 0

    tmp = tempfile.TemporaryDirectory()
    directory = args.index_dir or Path(tmp.name)
    directory.mkdir(parents=True, exist_ok=True)
    backend: Any = EmbeddedBackend(directory) if args.engine == "embedded" else Fts5Probe(directory)
    started = time.perf_counter()
    if args.engine == "fts5":
        for batch in batched(corpus.docs(args.docs), 500):
            backend.index(batch)
    elif not backend.ids_with_versions():
        # as `normreg reindex` does: batches of the registry's size, one rebuild
        backend.rebuild(batched(corpus.docs(args.docs), 500))
        backend.optimize()
    out["index_seconds"] = round(time.perf_counter() - started, 1)
    out["index_mb"] = _dir_size_mb(directory)
    out["rss_after_index_mb"] = peak_rss_mb()

    if args.engine == "embedded":
        def run(q: str) -> Any:
            res = backend.search(SearchQuery(q=q, per_page=10))
            assert len(res.facets) == 4
            return res
    else:
        run = backend.page
    out.update(measure_all(run, corpus, args.rounds, args.cold))
    out["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(out, ensure_ascii=False) if args.json else json.dumps(out, ensure_ascii=False, indent=1))
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
