"""Webhook deliveries end to end: a real receiver on loopback (http.server in a thread), real databases,
signatures checked with the secret the registry handed out, time moved with the registry's clock."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert
from sqlmodel import col, select

from registry.actions.follows import MovingClock
from registry.facade import Registry
from registry.models import Document, DocumentCreate, EventCreate
from registry.services.validity import refresh_statuses
from registry.settings import Settings
from tests.conftest import BACKENDS, make_settings


class Receiver:
    """An HTTP endpoint that keeps every POST (headers and body); :meth:`stop` / :meth:`start` take it
    down and bring it back on the same port."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.lock = threading.Lock()
        self.port = 0
        self.server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        box = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a real receiver would

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with box.lock:
                    box.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        assert self.server is not None
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/normreg-hook"

    def bodies(self) -> list[dict[str, Any]]:
        with self.lock:
            return [json.loads(body) for _, body in self.received]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    box = Receiver()
    box.start()
    yield box
    if box.server is not None:
        box.server.shutdown()
        box.server.server_close()


@pytest.fixture(params=BACKENDS)
def hook_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    url = request.getfixturevalue("pg_schema_url") if request.param == "postgres" else None
    return make_settings(tmp_path, url, index_inline=False)


def _registry(settings: Settings, clock: MovingClock) -> Registry:
    reg = Registry(settings, clock=clock)
    reg.init()
    return reg


def _documents(reg: Registry, n: int) -> list[str]:
    return [reg.create_document(DocumentCreate(title=f"示例市第{i}号管理办法", doc_number=f"示政〔2026〕{i}号",
                                               publication_date=date(2026, 1, 1), effective_date=date(2026, 1, 1)))["id"]
            for i in range(1, n + 1)]


def _repeal(reg: Registry, doc_id: str) -> None:
    reg.record_event(doc_id, EventCreate(type="repealed", date=date(2026, 11, 20)))


def _verified(receiver: Receiver, secret: str) -> list[dict[str, Any]]:
    """Every body received, after checking its signature and that header and body name the same delivery."""
    out = []
    with receiver.lock:
        received = list(receiver.received)
    for headers, body in received:
        expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["x-normreg-signature"], expected)
        data = json.loads(body)
        assert headers["x-normreg-delivery"] == data["delivery_id"]
        assert headers["x-normreg-event"] == data["event"]
        out.append(data)
    return out


def test_each_status_change_reaches_the_receiver_once_signed(hook_settings: Settings, receiver: Receiver) -> None:
    clock = MovingClock()
    reg = _registry(hook_settings, clock)
    try:
        docs = _documents(reg, 3)
        hook = reg.register_webhook(receiver.url, ["status_changed"])
        for doc_id in docs:
            _repeal(reg, doc_id)
        first = reg.deliver()
        clock.advance(minutes=5)
        second = reg.deliver()

        bodies = _verified(receiver, hook["secret"])
        assert (first["delivered"], second["delivered"]) == (3, 0)
        assert sorted(b["document"]["id"] for b in bodies) == sorted(docs)
        assert {b["data"]["new_status"] for b in bodies} == {"repealed"}
        assert len({b["delivery_id"] for b in bodies}) == 3
        total, log = reg.webhook_deliveries(hook["id"])
        assert total == 3 and {d["state"] for d in log} == {"delivered"}
        # a body signed with another secret would not pass: the check above is not vacuous
        headers, body = receiver.received[0]
        wrong = "sha256=" + hmac.new(b"not-the-secret", body, hashlib.sha256).hexdigest()
        assert headers["x-normreg-signature"] != wrong
    finally:
        reg.close()


def test_a_receiver_down_for_ten_minutes_gets_every_missed_delivery_once(hook_settings: Settings,
                                                                         receiver: Receiver) -> None:
    clock = MovingClock()
    reg = _registry(hook_settings, clock)
    try:
        docs = _documents(reg, 4)
        hook = reg.register_webhook(receiver.url, ["status_changed"])
        _repeal(reg, docs[0])
        assert reg.deliver()["delivered"] == 1
        receiver.stop()
        for doc_id in docs[1:]:
            _repeal(reg, doc_id)
        for _ in range(10):  # ten simulated minutes, a pass every minute, nobody answering
            reg.deliver()
            clock.advance(minutes=1)
        _, log = reg.webhook_deliveries(hook["id"], state="pending")
        assert len(log) == 3 and all(d["attempts"] >= 3 and d["last_error"] for d in log)
        assert len(receiver.received) == 1

        receiver.start()
        for _ in range(30):  # the next retry is at most an hour away; passes every simulated 2 minutes
            reg.deliver()
            clock.advance(minutes=2)

        bodies = _verified(receiver, hook["secret"])
        ids = [b["delivery_id"] for b in bodies]
        assert len(ids) == len(set(ids)) == 4  # every missed one, none twice
        assert sorted(b["document"]["id"] for b in bodies) == sorted(docs)
        assert reg.webhook_deliveries(hook["id"], state="pending")[0] == 0
    finally:
        reg.close()


def test_a_delivery_is_given_up_after_24_hours_and_a_replay_sends_it_again(tmp_path: Path,
                                                                          receiver: Receiver) -> None:
    clock = MovingClock()
    reg = _registry(make_settings(tmp_path, index_inline=False), clock)
    try:
        [doc_id] = _documents(reg, 1)
        hook = reg.register_webhook(receiver.url, ["status_changed"])
        receiver.stop()
        _repeal(reg, doc_id)
        attempts = 0
        for _ in range(26):  # hourly passes: retried through the whole first day, then failed
            attempts += reg.deliver()["retrying"]
            clock.advance(hours=1)
        [failed] = reg.webhook_deliveries(hook["id"])[1]
        assert failed["state"] == "failed" and attempts >= 24
        tried_for = datetime.fromisoformat(failed["last_attempt_at"]) - datetime.fromisoformat(failed["created_at"])
        assert tried_for >= timedelta(hours=24)
        receiver.start()
        replayed = reg.replay_delivery(hook["id"], failed["id"])
        assert replayed["state"] == "pending"
        assert reg.deliver()["delivered"] == 1
        [body] = _verified(receiver, hook["secret"])
        assert body["delivery_id"] == failed["id"]  # same id: a receiver that saw it before can drop it
    finally:
        reg.close()


@pytest.mark.slow
def test_a_thousand_changes_queued_across_a_restart_are_all_delivered(tmp_path: Path, receiver: Receiver) -> None:
    settings = make_settings(tmp_path, index_inline=False)
    clock = MovingClock()
    first = _registry(settings, clock)
    hook = first.register_webhook(receiver.url, ["status_changed"])
    changed = _bulk(first, clock, [f"bulk{i:04d}" for i in range(1000)])
    assert changed == 1000
    receiver.stop()
    assert first.deliver()["queued"] == 1000  # queued, every first attempt refused
    first.close()

    receiver.start()
    clock.advance(minutes=1)
    second = _registry(settings, clock)  # a new registry over the same database: the queue is all there is
    try:
        delivered = second.deliver()["delivered"]
        bodies = _verified(receiver, hook["secret"])
        assert delivered == 1000
        assert len({b["delivery_id"] for b in bodies}) == len(bodies) == 1000
        assert {b["document"]["id"] for b in bodies} == {f"bulk{i:04d}" for i in range(1000)}
    finally:
        second.close()


def _bulk(reg: Registry, clock: MovingClock, ids: list[str], *, published: bool = True) -> int:
    """Documents inserted in one statement, then one batch status refresh: the bulk import's path."""
    with reg.session() as s:
        s.execute(insert(Document.__table__), [  # type: ignore[attr-defined]
            {"id": i, "title": f"批量文件{i}", "title_key": f"批量文件{i}", "co_issuers": [], "text": "",
             "status": "unknown", "status_reason": "", "version": 1, "pinned": False,
             "effective_date": date(2026, 1, 1), "created_at": clock.now(), "updated_at": clock.now(),
             "published_at": clock.now() if published else None} for i in ids])
        docs = list(s.exec(select(Document).where(col(Document.id).in_(ids))))
        changed = refresh_statuses(s, [(d, [], None) for d in docs], clock())
        s.commit()
    return changed


def test_two_registries_delivering_at_once_send_each_change_once(hook_settings: Settings,
                                                                 receiver: Receiver) -> None:
    clock = MovingClock()
    regs = [_registry(hook_settings, clock), _registry(hook_settings, clock)]
    try:
        hook = regs[0].register_webhook(receiver.url, ["status_changed"])
        assert _bulk(regs[0], clock, [f"c{i:03d}" for i in range(120)]) == 120
        errors: list[BaseException] = []

        def run(reg: Registry) -> None:
            try:
                for _ in range(3):
                    reg.deliver()
            except BaseException as exc:  # reported below, not swallowed
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(r,)) for r in regs]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert errors == []
        bodies = _verified(receiver, hook["secret"])
        assert len(bodies) == 120 and len({b["notice_id"] for b in bodies}) == 120
    finally:
        for r in regs:
            r.close()


def test_unpublished_documents_are_not_announced(tmp_path: Path, receiver: Receiver) -> None:
    clock = MovingClock()
    reg = _registry(make_settings(tmp_path, index_inline=False), clock)
    try:
        hook = reg.register_webhook(receiver.url, ["status_changed"])
        _bulk(reg, clock, ["hidden1"], published=False)
        _bulk(reg, clock, ["public1"])
        assert reg.deliver()["delivered"] == 1
        assert [b["document"]["id"] for b in _verified(receiver, hook["secret"])] == ["public1"]
    finally:
        reg.close()


def test_the_server_delivers_from_its_own_thread(tmp_path: Path, receiver: Receiver) -> None:
    from fastapi.testclient import TestClient

    from registry.http.app import create_app

    app = create_app(make_settings(tmp_path, index_inline=False, deliver_interval_seconds=0.1))
    app.state.registry.init()
    with TestClient(app):
        hook = app.state.registry.register_webhook(receiver.url, ["document_added"])
        _documents(app.state.registry, 1)
        for _ in range(100):
            if receiver.received:
                break
            threading.Event().wait(0.1)
        [body] = _verified(receiver, hook["secret"])
        assert body["event"] == "document_added"
    assert not any(t.name == "normreg-deliver" for t in threading.enumerate())  # stopped with the app


def test_a_target_inside_is_refused_at_delivery_time_too(tmp_path: Path, receiver: Receiver) -> None:
    """Registered while allowed (or by a name that later resolves inside): production never sends to it."""
    settings = make_settings(tmp_path, index_inline=False)
    clock = MovingClock()
    dev = _registry(settings, clock)
    hook = dev.register_webhook(receiver.url, ["status_changed"])
    dev.close()
    prod = Registry(settings.model_copy(update={"webhook_allow_private": False}), clock=clock)
    try:
        _repeal(prod, _documents(prod, 1)[0])
        assert prod.deliver()["retrying"] == 2  # the new document's first status, then its repeal
        entries = prod.webhook_deliveries(hook["id"])[1]
        assert all("internal" in (e["last_error"] or "") for e in entries) and receiver.received == []
    finally:
        prod.close()
