"""Webhook deliveries: fan notices out into the queue, then send what is due, signed, with backoff.

Two steps, both outside any writer's transaction (they run in ``Registry.deliver``: the server's
background thread on one machine, or ``normreg worker`` / ``normreg deliver``):

1. :func:`fan_out` reads the notices after each active webhook's cursor and writes one
   ``webhook_deliveries`` row per notice of a wanted kind, with the exact JSON body, advancing the cursor in
   the same transaction. The cursor moves by compare-and-set, so two processes never fan out one notice
   twice; the queue is in the database, so a restart loses nothing.
2. :func:`send_due` claims due rows (a lease: ``next_attempt_at`` moved 5 minutes ahead in one UPDATE),
   POSTs each body with ``X-Normreg-Signature: sha256=<HMAC-SHA256(secret, body)>``,
   ``X-Normreg-Delivery: <id>`` and ``X-Normreg-Event``, then records the outcome. A 2xx answer is
   delivered; anything else is retried after 30 s, 1, 2, 4 … minutes (capped at an hour) until 24 hours
   have passed since the row was queued (or replayed), then it is ``failed`` and stays in the log.

Delivery is at least once: a process that dies between the POST and the record leaves the lease to
expire and the row is sent again with the same id, which is why receivers dedupe on it. Times come from
the registry's clock (``now``), so tests move time without waiting.
"""

from __future__ import annotations

import functools
import json
import secrets
import ssl
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import insert, update
from sqlmodel import Session, col, select

from registry.errors import InvalidInput
from registry.models import Notice, Webhook, WebhookDelivery
from registry.services import follows, notices
from registry.services.delivery_keys import sign
from registry.services.webhooks import refuse_private, secret
from registry.settings import Settings

FIRST_RETRY = timedelta(seconds=30)
MAX_RETRY = timedelta(hours=1)
RETRY_WINDOW = timedelta(hours=24)
LEASE = timedelta(minutes=5)
FAN_OUT_BATCH = 1000
SEND_BATCH = 200
USER_AGENT = "normreg-webhook/1"


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt (1, 2, …): 30 s doubling, at most 1 h."""
    return min(FIRST_RETRY * (2 ** max(0, min(attempts - 1, 20))), MAX_RETRY)


def fan_out(session: Session, *, now: datetime, base_url: str) -> int:
    """Queue one delivery per new notice each active webhook wants; returns how many were queued."""
    queued = 0
    top = notices.latest_id(session)
    hooks = list(session.exec(select(Webhook).where(col(Webhook.disabled_at).is_(None), Webhook.cursor < top)))
    for hook in hooks:
        cursor = hook.cursor
        while cursor < top:
            batch = list(session.exec(select(Notice).where(col(Notice.id) > cursor, col(Notice.id) <= top)
                                      .order_by(col(Notice.id)).limit(FAN_OUT_BATCH)))
            if not batch:
                break
            last = int(batch[-1].id or cursor)
            moved = session.execute(update(Webhook).where(col(Webhook.id) == hook.id, col(Webhook.cursor) == cursor)
                                    .values(cursor=last))
            if moved.rowcount != 1:  # type: ignore[attr-defined]  # another process fanned out this batch
                session.rollback()
                break
            wanted = [n for n in batch if n.kind in hook.events]
            rows = []
            for item in follows.describe(session, wanted):
                if not item["public"]:  # a registered, unpublished document is nobody's business outside
                    continue
                delivery_id = secrets.token_hex(16)
                rows.append({"id": delivery_id, "webhook_id": hook.id, "notice_id": item["notice_id"],
                             "event": item["kind"], "body": body_of(delivery_id, item, base_url), "state": "pending",
                             "attempts": 0, "created_at": now, "next_attempt_at": now})
            if rows:
                session.execute(insert(WebhookDelivery.__table__), rows)  # type: ignore[attr-defined]
            session.commit()
            queued += len(rows)
            cursor = last
    return queued


def body_of(delivery_id: str, item: dict[str, Any], base_url: str) -> str:
    """The JSON a receiver gets: the delivery id (for idempotency), the event and what it is about."""
    doc = None
    if item["document_id"]:
        doc = {"id": item["document_id"], "title": item["title"], "doc_number": item["doc_number"],
               "url": f"{base_url}/documents/{item['document_id']}"}
    return json.dumps({"delivery_id": delivery_id, "event": item["kind"], "notice_id": item["notice_id"],
                       "created_at": item["created_at"], "document": doc, "data": item["data"],
                       "summary": item["summary"]}, ensure_ascii=False, sort_keys=True)


def send_due(open_session: Callable[[], Session], settings: Settings, *, now: datetime,
             client: httpx.Client | None = None) -> dict[str, int]:
    """Send every delivery due at ``now`` (in batches); returns counts of delivered and failed attempts.
    One HTTP client (keep-alive) serves the pass; it is made only when something is due."""
    counts = {"delivered": 0, "retrying": 0, "failed": 0}
    own = client is None
    try:
        for _ in range(1000):  # bounded: a pass never runs forever
            claimed, hooks = _claim(open_session, now)
            if not claimed:
                break
            if client is None:
                client = httpx.Client(timeout=10.0, follow_redirects=False, verify=_tls())
            _send(open_session, settings, now, client, claimed, hooks, counts)
    finally:
        if own and client is not None:
            client.close()
    return counts


def _send(open_session: Callable[[], Session], settings: Settings, now: datetime, client: httpx.Client,
          claimed: list[WebhookDelivery], hooks: dict[int, Webhook], counts: dict[str, int]) -> None:
    """POST a claimed batch and record each outcome (delivered, retry later, or given up)."""
    refused = _refused_targets(settings, hooks.values())
    outcomes = [(None, refused[d.webhook_id]) if refused.get(d.webhook_id) else _post(client, settings, hooks[d.webhook_id], d)
                for d in claimed]
    rows: list[dict[str, Any]] = []
    for d, (status, error) in zip(claimed, outcomes, strict=True):
        row: dict[str, Any] = {"id": d.id, "state": "pending", "attempts": d.attempts + 1, "last_attempt_at": now,
                               "last_status": status, "last_error": error, "delivered_at": None,
                               "next_attempt_at": now + backoff(d.attempts + 1)}
        if status is not None and 200 <= status < 300:
            row.update(state="delivered", delivered_at=now, next_attempt_at=now)
            counts["delivered"] += 1
        elif now - d.created_at >= RETRY_WINDOW:
            row.update(state="failed", next_attempt_at=now)
            counts["failed"] += 1
        else:
            counts["retrying"] += 1
        rows.append(row)
    with open_session() as session:
        session.execute(update(WebhookDelivery), rows)  # one executemany by primary key for the batch
        session.commit()


@functools.cache
def _tls() -> ssl.SSLContext:
    """One verifying TLS context per process (building one costs tens of milliseconds)."""
    return ssl.create_default_context()


def _claim(open_session: Callable[[], Session], now: datetime) -> tuple[list[WebhookDelivery], dict[int, Webhook]]:
    """Take a lease on up to ``SEND_BATCH`` due rows; only rows carrying our lease instant are ours."""
    lease = now + LEASE + timedelta(microseconds=secrets.randbelow(999_999) + 1)
    with open_session() as session:
        due = list(session.exec(select(WebhookDelivery.id).where(
            WebhookDelivery.state == "pending", col(WebhookDelivery.next_attempt_at) <= now)
            .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.notice_id)).limit(SEND_BATCH)))
        if not due:
            return [], {}
        session.execute(update(WebhookDelivery).where(
            col(WebhookDelivery.id).in_(due), col(WebhookDelivery.state) == "pending",
            col(WebhookDelivery.next_attempt_at) <= now).values(next_attempt_at=lease))
        session.commit()
        claimed = list(session.exec(select(WebhookDelivery).where(
            col(WebhookDelivery.id).in_(due), WebhookDelivery.next_attempt_at == lease)
            .order_by(col(WebhookDelivery.notice_id))))
        ids = {d.webhook_id for d in claimed}
        hooks = {h.id: h for h in session.exec(select(Webhook).where(col(Webhook.id).in_(ids)))}
        session.expunge_all()
    return claimed, {k: v for k, v in hooks.items() if k is not None}


def _refused_targets(settings: Settings, hooks: Iterable[Webhook]) -> dict[int, str]:
    """Webhooks whose host now resolves inside (checked once per batch, not per delivery), with the reason;
    nothing when internal targets are allowed."""
    if settings.webhooks_may_reach_private:
        return {}
    out: dict[int, str] = {}
    for hook in hooks:
        parts = urlsplit(hook.url)
        try:
            refuse_private(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
        except InvalidInput as exc:
            out[hook.id or 0] = exc.message[:500]
    return out


def _post(client: httpx.Client, settings: Settings, hook: Webhook, d: WebhookDelivery) -> tuple[int | None, str | None]:
    """POST one delivery; (HTTP status, None) when answered, (status or None, error text) otherwise."""
    body = d.body.encode()
    assert hook.id is not None
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT,
               "X-Normreg-Event": d.event, "X-Normreg-Delivery": d.id,
               "X-Normreg-Signature": sign(secret(settings, hook.id), body)}
    try:
        answer = client.post(hook.url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]
    if 200 <= answer.status_code < 300:
        return answer.status_code, None
    return answer.status_code, f"HTTP {answer.status_code}"
