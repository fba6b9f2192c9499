"""Search quality on real citizen questions: STARD over the national laws corpus.

Builds an embedded index of ``../shared/corpus/laws`` (status from the catalog's status_code, articles
from ingest.articles.split_articles after stripping the Markdown markup), runs every question of
``queries/stard-train.jsonl`` and prints document-level Recall@10, MRR@10, nDCG@10 and article-level
Recall@10, for all questions, the training part and the part set aside (``bench/splits.py``: the part that
nothing is learned from). ``--http URL`` runs the questions through ``GET /api/v1/search`` of a running server instead
(the server must have ingested the same corpus).

    .venv/bin/python bench/stard_eval.py [--corpus DIR] [--index-dir DIR] [--limit N] [--json]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.splits import set_aside
from ingest.articles import split_articles
from search.embedded import EmbeddedBackend
from search.model import IndexArticle, IndexDocument, SearchQuery

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
_MARKUP = re.compile(r"^\s*(?:[#>]+|[-*+](?=\s))\s*")
_BOLD = re.compile(r"\*\*")


def strip_markdown(md: str) -> str:
    """Plain text of a corpus file: list markers, headings, quotes and bold markers removed."""
    return "\n".join(_BOLD.sub("", _MARKUP.sub("", line)) for line in md.splitlines())


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def load_laws(corpus: Path, limit: int | None = None) -> Iterator[IndexDocument]:
    """IndexDocuments for the laws corpus, in catalog order."""
    laws = corpus / "laws"
    with (laws / "catalog.jsonl").open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if limit is not None and n >= limit:
                return
            row = json.loads(line)
            body = strip_markdown((laws / row["file"]).read_text(encoding="utf-8"))
            articles = [IndexArticle(ordinal=a.ordinal, number=a.number, text=a.text, heading=a.chapter)
                        for a in split_articles(body)]
            yield IndexDocument(
                id=row["id"], title=row["title"], body=body, issuer=row.get("issuer"),
                category=row.get("category"), status=row.get("status_code") or "in_force",
                publication_date=_date(row.get("publication_date")), articles=articles, version="1",
            )


def load_queries(corpus: Path) -> list[dict[str, Any]]:
    path = corpus / "queries" / "stard-train.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def build_index(corpus: Path, directory: Path, limit: int | None = None) -> tuple[EmbeddedBackend, float]:
    backend = EmbeddedBackend(directory)
    started = time.perf_counter()
    if not backend.ids_with_versions():
        batch: list[IndexDocument] = []
        for doc in load_laws(corpus, limit):
            batch.append(doc)
            if len(batch) >= 200:
                backend.index(batch)
                batch = []
        backend.index(batch)
        backend.optimize()
    return backend, time.perf_counter() - started


def evaluate(search: Any, queries: list[dict[str, Any]], k: int = 10) -> dict[str, float]:
    """Averages over queries; ``search(text)`` returns [(doc_id, article_label or None)] best first."""
    recall = mrr = ndcg = art_recall = 0.0
    latencies: list[float] = []
    for row in queries:
        rel_docs = {r["doc_id"] for r in row["relevant"]}
        rel_arts = {(r["doc_id"], r.get("article")) for r in row["relevant"] if r.get("article")}
        started = time.perf_counter()
        hits = search(row["query"])[:k]
        latencies.append((time.perf_counter() - started) * 1000)
        ids = [h[0] for h in hits]
        recall += len(rel_docs & set(ids)) / len(rel_docs)
        first = next((i for i, d in enumerate(ids) if d in rel_docs), None)
        mrr += 1.0 / (first + 1) if first is not None else 0.0
        dcg = sum(1.0 / math.log2(i + 2) for i, d in enumerate(ids) if d in rel_docs)
        ideal = sum(1.0 / math.log2(i + 2) for i in range(min(k, len(rel_docs))))
        ndcg += dcg / ideal
        if rel_arts:
            art_recall += len(rel_arts & set(hits)) / len(rel_arts)
    n = len(queries) or 1
    n_art = sum(1 for row in queries if any(r.get("article") for r in row["relevant"])) or 1
    latencies.sort()
    return {
        "queries": len(queries),
        "recall@10": round(recall / n, 4),
        "mrr@10": round(mrr / n, 4),
        "ndcg@10": round(ndcg / n, 4),
        "article_recall@10": round(art_recall / n_art, 4),
        "p50_ms": round(latencies[len(latencies) // 2], 2) if latencies else 0.0,
        "p95_ms": round(latencies[int(len(latencies) * 0.95)], 2) if latencies else 0.0,
    }


def evaluate_parts(search: Any, parts: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, float]]:
    """:func:`evaluate` for each part, every question sent once: the first part (all questions) is timed,
    the others reuse its answers (so their latency figures are left out)."""
    answers: dict[str, list[tuple[str, str | None]]] = {}

    def once(text: str) -> list[tuple[str, str | None]]:
        if text not in answers:
            answers[text] = search(text)
        return answers[text]

    out: dict[str, dict[str, float]] = {}
    for n, (name, rows) in enumerate(parts.items()):
        metrics = evaluate(once, rows)
        if n:
            metrics = {k: v for k, v in metrics.items() if not k.endswith("_ms")}
        out[name] = metrics
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--index-dir", type=Path, help="reuse (or create) an index here instead of a temporary one")
    ap.add_argument("--limit", type=int, help="only the first N queries")
    ap.add_argument("--http", help="base URL of a running normreg server to query instead")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    queries = load_queries(args.corpus)[: args.limit]
    info: dict[str, Any] = {}
    parts = {"all": queries, "train": [r for r in queries if not set_aside(r["qid"])],
             "set_aside": [r for r in queries if set_aside(r["qid"])]}
    if args.http:
        import httpx

        client = httpx.Client(base_url=args.http, timeout=30)

        def search(text: str) -> list[tuple[str, str | None]]:
            body = client.get("/api/v1/search", params={"q": text, "per_page": 10}).json()
            return [(h["id"], h.get("article")) for h in body["hits"]]

        info.update(evaluate_parts(search, parts))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            backend, took = build_index(args.corpus, args.index_dir or Path(tmp))
            info["index_seconds"] = round(took, 1)

            def search(text: str) -> list[tuple[str, str | None]]:
                res = backend.search(SearchQuery(q=text, per_page=10))
                return [(h.id, h.article) for h in res.hits]

            info.update(evaluate_parts(search, parts))
            backend.close()
    if args.json:
        print(json.dumps(info, ensure_ascii=False))
    else:
        for key, value in info.items():
            if isinstance(value, dict):
                print(f"{key:>20}: " + ", ".join(f"{k} {v}" for k, v in value.items()))
            else:
                print(f"{key:>20}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
