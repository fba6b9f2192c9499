"""Mail subscriptions: confirm by link, an immediate or daily digest, one-click unsubscribe.

A subscription attaches an address to a follow. It sends nothing but the confirmation mail until the
link in that mail is used (so nobody can subscribe someone else). Each digest lists the notices the
follow wants since the subscription's cursor; ``immediate`` sends at the next delivery pass after
something happened, ``daily`` at most once a day. Every digest carries ``List-Unsubscribe`` and
``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058): a POST to that URL unsubscribes with
no further step; a GET shows a page with one button (mail scanners fetch links; they never POST).
The tokens in those links are HMACs of the server key and the subscription's id
(:mod:`registry.services.delivery_keys`): nothing secret is stored. A mail server that refuses keeps
the cursor where it was, so the next pass tries again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from registry.errors import Forbidden, InvalidInput, NotFound, RateLimited
from registry.models import Follow, MailSubscription, Notice
from registry.services import follows, notices
from registry.services.delivery_keys import check, derive
from registry.services.mail import MailError, send_mail
from registry.settings import Settings

FREQUENCIES = ("immediate", "daily")
DAY = timedelta(days=1)
DIGEST_LIMIT = 200
MAX_UNCONFIRMED = 3  # confirmation mails to one address per day while none is confirmed
_ADDRESS = re.compile(r"^[^@\s<>()\[\],;:\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$")


def clean_email(address: str) -> str:
    address = (address or "").strip()
    if len(address) > 254 or not _ADDRESS.match(address):
        raise InvalidInput("邮箱地址不正确 / that is not an e-mail address", details={"field": "email"})
    return address


def create(session: Session, follow: Follow, *, email: str, frequency: str, now: datetime) -> MailSubscription:
    """An unconfirmed subscription (its confirmation mail is sent by the caller after the commit)."""
    if frequency not in FREQUENCIES:
        raise InvalidInput("频率须为 immediate 或 daily / frequency must be immediate or daily",
                           details={"field": "frequency"})
    email = clean_email(email)
    pending = session.exec(select(func.count()).select_from(MailSubscription).where(
        func.lower(MailSubscription.email) == email.lower(), col(MailSubscription.confirmed_at).is_(None),
        col(MailSubscription.created_at) > now - DAY)).one()
    if pending >= MAX_UNCONFIRMED:  # nobody can make the registry mail-bomb an address
        raise RateLimited("该地址已有多封待确认邮件，请先确认 / this address has unconfirmed subscriptions; confirm "
                          "one first", details={"retry_after": 86400})
    sub = MailSubscription(id=follows.new_id(), follow_id=follow.id, email=email,
                           frequency=frequency, created_at=now)
    session.add(sub)
    session.commit()
    return sub


def discard(session: Session, sub_id: str) -> None:
    """Forget an unconfirmed subscription (its confirmation mail could not be sent)."""
    sub = session.get(MailSubscription, sub_id)
    if sub is not None and sub.confirmed_at is None:
        session.delete(sub)
        session.commit()


def links(settings: Settings, sub: MailSubscription) -> dict[str, str]:
    base = settings.public_url.rstrip("/")
    return {"confirm": f"{base}/follows/confirm/{sub.id}?t={derive(settings, 'confirm', sub.id)}",
            "unsubscribe": f"{base}/follows/unsubscribe/{sub.id}?t={derive(settings, 'unsubscribe', sub.id)}",
            "follow": f"{base}/follows/{sub.follow_id}"}


def what(follow: Follow, title: str | None) -> str:
    if follow.kind == "document":
        return f"《{title or follow.document_id}》"
    filters = "；".join(f"{k}={','.join(v)}" for k, v in follow.filters.items())
    return f"检索“{follow.query}”" + (f"（{filters}）" if filters else "")


def send_confirmation(settings: Settings, sub: MailSubscription, subject_of: str) -> str:
    """The confirmation mail with the link; raises MailError when the server refuses."""
    url = links(settings, sub)
    text = (f"您（或他人）请求订阅 {subject_of} 的变更通知。\n请打开以下链接确认：\n{url['confirm']}\n\n"
            f"如非本人操作，请忽略本邮件，不会再收到任何邮件。\n\n"
            f"Someone (probably you) asked to be told of changes to {subject_of}. Confirm here:\n{url['confirm']}\n"
            "If it was not you, ignore this mail; nothing more will be sent.\n")
    return send_mail(settings, sub.email, f"请确认订阅 / confirm your subscription: {subject_of}", text)


def get(session: Session, sub_id: str) -> MailSubscription:
    sub = session.get(MailSubscription, sub_id) if sub_id and len(sub_id) <= 43 else None
    if sub is None:
        raise NotFound("没有这个订阅 / no such subscription")
    return sub


def confirm(session: Session, settings: Settings, sub_id: str, token: str, *, now: datetime) -> MailSubscription:
    """Confirm with the token from the mail; the digest starts from what happens after now."""
    sub = get(session, sub_id)
    if not check(settings, "confirm", sub.id, token):
        raise Forbidden("确认链接无效 / the confirmation link is not valid")
    if sub.confirmed_at is None and sub.unsubscribed_at is None:
        sub.confirmed_at = now
        sub.cursor = notices.latest_id(session)
        sub.last_sent_at = now
        session.add(sub)
        session.commit()
    return sub


def unsubscribe(session: Session, settings: Settings, sub_id: str, token: str, *, now: datetime) -> MailSubscription:
    """Stop the subscription (one click; doing it twice is harmless)."""
    sub = get(session, sub_id)
    if not check(settings, "unsubscribe", sub.id, token):
        raise Forbidden("退订链接无效 / the unsubscribe link is not valid")
    if sub.unsubscribed_at is None:
        sub.unsubscribed_at = now
        session.add(sub)
        session.commit()
    return sub


def _due(sub: MailSubscription, now: datetime) -> bool:
    if sub.frequency == "immediate":
        return True
    return sub.last_sent_at is None or now - sub.last_sent_at >= DAY


def send_digests(open_session: Callable[[], Session], settings: Settings, *, now: datetime) -> dict[str, int]:
    """One digest to every confirmed subscription that is due and has news; returns sent / failed."""
    counts = {"sent": 0, "failed": 0}
    with open_session() as session:
        top = notices.latest_id(session)
        subs = [s for s in session.exec(select(MailSubscription).where(
            col(MailSubscription.confirmed_at).is_not(None), col(MailSubscription.unsubscribed_at).is_(None),
            MailSubscription.cursor < top)) if _due(s, now)]
        session.expunge_all()
    for sub in subs:
        with open_session() as session:
            follow = session.get(Follow, sub.follow_id)
            if follow is None:
                continue
            batch = list(session.exec(select(Notice).where(col(Notice.id) > sub.cursor, col(Notice.id) <= top)
                                      .order_by(col(Notice.id)).limit(5000)))
            last = int(batch[-1].id or sub.cursor) if batch else top
            items = [i for i in follows.describe(session, follows.wanted_by(session, follow, batch)[:DIGEST_LIMIT])
                     if i["public"]]
            fresh = session.get(MailSubscription, sub.id)
            if fresh is None or fresh.unsubscribed_at is not None:
                continue
            if items:
                try:
                    _send_digest(settings, fresh, follow, items)
                except MailError as exc:
                    fresh.last_error = exc.message[:500]
                    session.add(fresh)
                    session.commit()
                    counts["failed"] += 1
                    continue
                fresh.last_sent_at = now
                fresh.last_error = None
                counts["sent"] += 1
            fresh.cursor = last
            session.add(fresh)
            session.commit()
    return counts


def _send_digest(settings: Settings, sub: MailSubscription, follow: Follow, items: list[dict[str, Any]]) -> None:
    url = links(settings, sub)
    base = settings.public_url.rstrip("/")
    subject_of = what(follow, items[0]["title"] if follow.kind == "document" else None)
    lines = [f"{subject_of} 有 {len(items)} 项新变化 / {len(items)} new changes:", ""]
    for item in items:
        number = f" {item['doc_number']}" if item["doc_number"] else ""
        lines += [f"· 《{item['title']}》{number}", f"  {item['summary']}",
                  f"  {base}/documents/{item['document_id']}", ""]
    lines += ["退订 / unsubscribe:", url["unsubscribe"], "", "关注页面 / follow page:", url["follow"]]
    send_mail(settings, sub.email, f"变更通知 / changes: {subject_of}", "\n".join(lines),
              unsubscribe_url=url["unsubscribe"])


def public(sub: MailSubscription) -> dict[str, Any]:
    """What the subscriber may see of a subscription (the address is theirs)."""
    return {"id": sub.id, "follow_id": sub.follow_id, "email": sub.email, "frequency": sub.frequency,
            "confirmed": sub.confirmed_at is not None, "unsubscribed": sub.unsubscribed_at is not None}
