"""Whole-registry exports stream without loading documents' texts, and are limited per client and in
concurrency (issue 18, the high finding)."""

from __future__ import annotations

import threading
import tracemalloc
from datetime import date
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from registry.http.app import create_app
from registry.models import DocumentCreate
from registry.services.documents import create_document
from tests.conftest import make_settings
from tests.support.live_server import serve

TEXT_MB = 1


def test_an_export_never_holds_the_documents_texts(client: TestClient) -> None:
    reg = client.app.state.registry  # type: ignore[attr-defined]
    body = "第一条 " + "规范性文件管理" * (TEXT_MB * 1024 * 1024 // 21)  # ≈ 1 MB of UTF-8 per document
    with reg.session() as s:
        for n in range(30):
            create_document(s, data=DocumentCreate(title=f"示例市长文本测试办法{n}", text=body,
                                                   publication_date=date(2020, 1, 1 + n % 28)), today=date(2026, 1, 1))
    tracemalloc.start()
    try:
        r = client.get("/api/v1/documents/export", params={"format": "csv"})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert r.status_code == 200 and r.text.count("示例市长文本测试办法") == 30
    assert peak < 10 * 1024 * 1024, f"the export peaked at {peak / 2**20:.1f} MiB: it read the texts"


def test_anonymous_exports_beyond_the_limit_get_429(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, export_rate_limit_per_minute=5, max_concurrent_exports=2))
    app.state.registry.init()
    statuses: list[int] = []
    with serve(app) as url:
        def one() -> None:
            with httpx.Client(base_url=url, timeout=30) as http:
                statuses.append(http.get("/api/v1/documents/export", params={"format": "csv"}).status_code)

        threads = [threading.Thread(target=one) for _ in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(statuses).count(429) >= 15 and set(statuses) <= {200, 429}
        with httpx.Client(base_url=url) as http:  # searches are not held up by the refused exports
            assert http.get("/api/v1/search", params={"q": "办法"}).status_code == 200
