"""Concurrent writers against a real server (uvicorn on a random port) on SQLite and PostgreSQL.

Eight clerks PATCH with the same ETag: exactly one wins, seven get 412 and nothing is lost. Two hundred
notes arrive at once on one document: all two hundred are stored.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlmodel import select

from registry.http.app import create_app
from registry.models import Document, Event
from registry.services.auth import create_token
from registry.settings import Settings
from tests.registry.api.conftest import bearer
from tests.support.live_server import serve

pytestmark = pytest.mark.slow


@pytest.fixture
def live(settings: Settings):  # type: ignore[no-untyped-def]
    app = create_app(settings)
    reg = app.state.registry
    reg.init()
    with reg.session() as session:
        _, token = create_token(session, name="clerk-concurrent", role="clerk")
    with serve(app) as url:
        yield url, token, reg


def test_eight_patches_with_one_etag_one_wins(live) -> None:  # type: ignore[no-untyped-def]
    url, token, reg = live
    with httpx.Client(base_url=url, timeout=60) as c:
        r = c.post("/api/v1/documents", json={"title": "示例市并发测试办法", "effective_date": "2024-01-01",
                                              "publication_date": "2024-01-01"}, headers=bearer(token))
        doc_id, etag = r.json()["id"], r.headers["ETag"]
    barrier = threading.Barrier(8)

    def patch(i: int) -> int:
        with httpx.Client(base_url=url, timeout=60) as c:
            barrier.wait()
            return c.patch(f"/api/v1/documents/{doc_id}", json={"title": f"示例市并发测试办法（第{i}稿）"},
                           headers={**bearer(token), "If-Match": etag}).status_code

    with ThreadPoolExecutor(8) as pool:
        codes = Counter(pool.map(patch, range(8)))
    assert codes == Counter({200: 1, 412: 7}), codes
    with reg.session() as session:
        doc = session.get(Document, doc_id)
        assert doc is not None and doc.version == 2 and "第" in doc.title
        edits = [e for e in session.exec(select(Event).where(Event.document_id == doc_id))
                 if e.payload.get("action") == "edited"]
        assert len(edits) == 1


def test_two_hundred_concurrent_notes_are_all_stored(live) -> None:  # type: ignore[no-untyped-def]
    url, token, reg = live
    with httpx.Client(base_url=url, timeout=60) as c:
        doc_id = c.post("/api/v1/documents", json={"title": "示例市备注并发测试"}, headers=bearer(token)).json()["id"]
    limits = httpx.Limits(max_connections=50)
    with httpx.Client(base_url=url, timeout=120, limits=limits) as c:

        def note(i: int) -> int:
            return c.post(f"/api/v1/documents/{doc_id}/events", json={"type": "note", "text": f"备注{i}"},
                          headers=bearer(token)).status_code

        with ThreadPoolExecutor(50) as pool:
            codes = Counter(pool.map(note, range(200)))
    assert codes == Counter({201: 200}), codes
    with reg.session() as session:
        texts = {e.text for e in session.exec(select(Event).where(Event.document_id == doc_id, Event.type == "note"))}
        assert {f"备注{i}" for i in range(200)} <= texts


def test_a_streamed_upload_without_length_is_cut_off_at_the_limit(settings: Settings) -> None:
    """Chunked transfer declares no size: the limit is enforced while the body arrives."""
    app = create_app(settings.model_copy(update={"max_upload_bytes": 10_000}))
    reg = app.state.registry
    reg.init()
    with reg.session() as session:
        _, token = create_token(session, name="clerk-stream", role="clerk")
    boundary = "normregboundary"

    def body():  # type: ignore[no-untyped-def]
        yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
               "Content-Type: text/plain\r\n\r\n").encode()
        for _ in range(200):
            yield "测试".encode() * 500
        yield f"\r\n--{boundary}--\r\n".encode()

    with serve(app) as url, httpx.Client(base_url=url, timeout=60) as c:
        r = c.post("/api/v1/files", content=body(),
                   headers={**bearer(token), "Content-Type": f"multipart/form-data; boundary={boundary}"})
        assert r.status_code == 413, r.text
        assert r.json()["error"]["code"] == "payload_too_large"
        assert c.get("/healthz").json()["documents"] == 0
