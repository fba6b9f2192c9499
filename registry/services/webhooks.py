"""Webhooks: an integrator's URL, the notice kinds it wants, its delivery log and replays.

A webhook's signing secret is derived (:func:`registry.services.delivery_keys.derive` of the server key
and the webhook's id), shown once at registration and never stored. Only ``http``/``https`` URLs are
accepted; a target that resolves to a loopback, private, link-local, multicast or reserved address is
refused unless ``NORMREG_WEBHOOK_ALLOW_PRIVATE`` allows it (the default allows it in development and
refuses it in production), at registration and again before every delivery, so a name re-pointed at an
internal address later (DNS rebinding) reaches nothing inside.
"""

from __future__ import annotations

import ipaddress
import socket
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func
from sqlmodel import Session, col, select

from registry.errors import InvalidInput, NotFound
from registry.models import Webhook, WebhookDelivery
from registry.services import notices
from registry.services.delivery_keys import derive
from registry.services.notices import NOTICE_KINDS
from registry.settings import Settings


def check_url(url: str, *, allow_private: bool) -> str:
    """``url`` when it is an http(s) URL whose host may be reached; InvalidInput otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput("网址须以 http:// 或 https:// 开头 / the URL must be http:// or https://",
                           details={"url": url[:200]})
    if parts.username or parts.password:
        raise InvalidInput("网址中不能含用户名或密码 / the URL must not carry credentials")
    if not allow_private:
        refuse_private(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    return url.strip()


def refuse_private(host: str, port: int) -> None:
    """InvalidInput when ``host`` is, or resolves to, an address inside (loopback, private, …)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise InvalidInput(f"无法解析主机名 / the host {host!r} does not resolve") from exc
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if (addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_multicast or addr.is_reserved
                or addr.is_unspecified):
            raise InvalidInput("不允许向内部地址推送 / the URL points at an internal address",
                               details={"host": host, "address": str(addr)})


def clean_events(events: list[str]) -> list[str]:
    wanted = sorted(set(events))
    unknown = [e for e in wanted if e not in NOTICE_KINDS]
    if not wanted or unknown:
        raise InvalidInput("事件名称不正确 / unknown or no event names",
                           details={"unknown": unknown, "allowed": list(NOTICE_KINDS)})
    return wanted


def register(session: Session, settings: Settings, *, url: str, events: list[str], actor: str,
             now: datetime) -> tuple[Webhook, str]:
    """A new webhook and its secret (shown once). It hears of notices published from now on."""
    hook = Webhook(url=check_url(url, allow_private=settings.webhooks_may_reach_private),
                   events=clean_events(events), created_by=actor, created_at=now,
                   cursor=notices.latest_id(session))
    session.add(hook)
    session.commit()
    assert hook.id is not None
    return hook, secret(settings, hook.id)


def secret(settings: Settings, webhook_id: int) -> str:
    """The webhook's signing secret (derived, never stored)."""
    return derive(settings, "webhook", webhook_id)


def get(session: Session, webhook_id: int) -> Webhook:
    hook = session.get(Webhook, webhook_id)
    if hook is None:
        raise NotFound("没有这个推送地址 / no such webhook", details={"webhook": webhook_id})
    return hook


def disable(session: Session, webhook_id: int, *, now: datetime) -> Webhook:
    """Stop fanning out to the webhook; its pending deliveries are given up, its log kept."""
    hook = get(session, webhook_id)
    if hook.disabled_at is None:
        hook.disabled_at = now
        for d in session.exec(select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook_id,
                                                             WebhookDelivery.state == "pending")):
            d.state = "failed"
            d.last_error = "webhook disabled"
            session.add(d)
        session.add(hook)
        session.commit()
    return hook


def deliveries(session: Session, webhook_id: int, *, state: str | None = None, offset: int = 0,
               limit: int = 100) -> tuple[int, list[WebhookDelivery]]:
    """The webhook's delivery log, newest first."""
    get(session, webhook_id)
    where: list[Any] = [WebhookDelivery.webhook_id == webhook_id]
    if state:
        where.append(WebhookDelivery.state == state)
    total = session.exec(select(func.count()).select_from(WebhookDelivery).where(*where)).one()
    rows = session.exec(select(WebhookDelivery).where(*where)
                        .order_by(col(WebhookDelivery.created_at).desc(), col(WebhookDelivery.notice_id).desc())
                        .offset(offset).limit(limit))
    return int(total), list(rows)


def replay(session: Session, webhook_id: int, delivery_id: str, *, now: datetime) -> WebhookDelivery:
    """Send a delivery again, with the same id and body (receivers dedupe on the id), at the next pass."""
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.webhook_id != webhook_id:
        raise NotFound("没有这次推送 / no such delivery", details={"delivery": delivery_id[:40]})
    if get(session, webhook_id).disabled_at is not None:
        raise InvalidInput("推送地址已停用 / the webhook is disabled")
    delivery.state = "pending"
    delivery.next_attempt_at = now
    delivery.created_at = now  # a replay is retried for its own 24 hours
    session.add(delivery)
    session.commit()
    return delivery


def public(hook: Webhook) -> dict[str, Any]:
    return {"id": hook.id, "url": hook.url, "events": hook.events, "created_by": hook.created_by,
            "created_at": hook.created_at.isoformat(), "active": hook.disabled_at is None}


def delivery_public(d: WebhookDelivery) -> dict[str, Any]:
    return {"id": d.id, "webhook_id": d.webhook_id, "notice_id": d.notice_id, "event": d.event, "state": d.state,
            "attempts": d.attempts, "created_at": d.created_at.isoformat(),
            "next_attempt_at": d.next_attempt_at.isoformat() if d.state == "pending" else None,
            "last_attempt_at": d.last_attempt_at.isoformat() if d.last_attempt_at else None,
            "delivered_at": d.delivered_at.isoformat() if d.delivered_at else None,
            "last_status": d.last_status, "last_error": d.last_error}
