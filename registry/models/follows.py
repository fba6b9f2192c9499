"""Follows and deliveries: notices, followed documents and saved searches, webhooks, mail subscriptions.

``notices`` is the one journal writers append to (:mod:`registry.services.notices`), in their own
transaction. Everything else reads it later: a follow's Atom feed filters it, a webhook's fan-out turns
each notice it wants into one ``webhook_deliveries`` row (the queue, so it survives restarts) and a mail
subscription keeps a cursor into it for its next digest. No secret is stored here: a webhook's signing
secret and a subscription's confirm / unsubscribe tokens are HMACs of a server key kept in the data dir.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from registry.models._types import json_column, ts_column, utcnow


class Notice(SQLModel, table=True):
    """Something followers may want to hear about, written with the change it announces."""

    __tablename__ = "notices"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    document_id: str | None = Field(default=None, max_length=64, index=True)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())


class FollowBase(SQLModel):
    """A saved search's words and filters (empty for a document follow)."""

    query: str = Field(default="", max_length=500)
    filters: dict[str, Any] = Field(default_factory=dict)


class FollowCreate(FollowBase):
    """Input of ``POST /api/v1/follows``: a ``document`` (any reference), or a ``query`` with ``filters``
    (status, issuer, category, year, each a list of values)."""

    document: str | None = Field(default=None, max_length=500)


class Follow(FollowBase, table=True):
    """A follow. Its ``id`` is unguessable (it is the only key to its feed and needs no account)."""

    __tablename__ = "follows"

    id: str = Field(primary_key=True, max_length=43)
    kind: str = Field(max_length=20)  # "document" or "search"
    document_id: str | None = Field(default=None, max_length=64, index=True)
    filters: dict[str, Any] = Field(default_factory=dict, sa_column=json_column())
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())


class FollowPublic(FollowBase):
    """A follow as the API shows it, with where to read it."""

    id: str
    kind: str
    document_id: str | None
    created_at: dt.datetime
    feed_url: str
    page_url: str
    title: str | None = None


class Webhook(SQLModel, table=True):
    """An integrator's URL and the notice kinds it wants; ``cursor`` is the last notice fanned out to it."""

    __tablename__ = "webhooks"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2000)
    events: list[str] = Field(default_factory=list, sa_column=json_column())
    created_by: str = Field(max_length=200)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())
    cursor: int = 0
    disabled_at: dt.datetime | None = Field(default=None, sa_column=ts_column(nullable=True))


class WebhookDelivery(SQLModel, table=True):
    """One notice for one webhook: the exact body sent (so a retry or replay is byte-identical), its
    attempts and what the receiver answered. ``state`` is pending, delivered or failed (gave up)."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (UniqueConstraint("webhook_id", "notice_id", name="uq_webhook_deliveries_notice"),)

    id: str = Field(primary_key=True, max_length=32)
    webhook_id: int = Field(foreign_key="webhooks.id", index=True, ondelete="CASCADE")
    notice_id: int
    event: str = Field(max_length=40)
    body: str = Field(sa_column=Column(Text, nullable=False))
    state: str = Field(default="pending", max_length=20)
    attempts: int = 0
    created_at: dt.datetime = Field(sa_column=ts_column())
    next_attempt_at: dt.datetime = Field(sa_column=ts_column(index=True))
    last_attempt_at: dt.datetime | None = Field(default=None, sa_column=ts_column(nullable=True))
    delivered_at: dt.datetime | None = Field(default=None, sa_column=ts_column(nullable=True))
    last_status: int | None = None
    last_error: str | None = Field(default=None, max_length=500)


class MailSubscription(SQLModel, table=True):
    """A person's address for one follow: unconfirmed until the link in the confirmation mail is used;
    ``frequency`` is immediate or daily; ``cursor`` is the last notice considered for a digest."""

    __tablename__ = "mail_subscriptions"

    id: str = Field(primary_key=True, max_length=43)
    follow_id: str = Field(foreign_key="follows.id", index=True, ondelete="CASCADE", max_length=43)
    email: str = Field(max_length=320)
    frequency: str = Field(default="immediate", max_length=20)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=ts_column())
    confirmed_at: dt.datetime | None = Field(default=None, sa_column=ts_column(nullable=True))
    unsubscribed_at: dt.datetime | None = Field(default=None, sa_column=ts_column(nullable=True))
    cursor: int = 0
    last_sent_at: dt.datetime | None = Field(default=None, sa_column=ts_column(nullable=True))
    last_error: str | None = Field(default=None, max_length=500)
