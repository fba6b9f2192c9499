"""Follows and deliveries: followed documents and saved searches, webhooks and mail subscriptions.

Following needs no account (the follow's unguessable id is its key); webhooks are an admin's. Writers
only publish notices (:mod:`registry.services.notices`); :meth:`FollowActions.deliver` does the rest in
a pass of its own: the server's background thread runs it every ``NORMREG_DELIVER_INTERVAL_SECONDS``
(``NORMREG_DELIVER_INLINE``, one machine) and ``normreg worker`` / ``normreg deliver`` run it elsewhere.

Delivery time is the registry's clock: a clock that also has a ``now()`` method (a :class:`MovingClock`
in tests) gives the instant; a plain date clock leaves the instant to the system.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from registry.actions.background import PassThread
from registry.actions.scope import ActorLike, ScopedRuntime
from registry.errors import Forbidden
from registry.models import Document
from registry.services import deliveries, follows, subscriptions, webhooks
from registry.services.mail import MailError


@dataclass
class MovingClock:
    """A clock for ``Registry(clock=...)`` whose time a test moves: ``clock()`` is the day, ``now()`` the
    instant (timezone-aware UTC), ``advance(minutes=10)`` moves it."""

    instant: datetime = field(default_factory=lambda: datetime(2026, 11, 26, 9, 0, tzinfo=UTC))

    def __call__(self) -> date:
        return self.instant.date()

    def now(self) -> datetime:
        return self.instant

    def advance(self, **delta: float) -> datetime:
        self.instant += timedelta(**delta)
        return self.instant


class FollowActions(ScopedRuntime):
    """Follows and deliveries actions of :class:`registry.facade.Registry`."""

    @property
    def _base_url(self) -> str:
        return self.settings.public_url.rstrip("/")

    # --- follows and feeds -------------------------------------------------------------------------------

    def follow(self, *, document: str | None = None, query: str = "",
               filters: dict[str, Any] | None = None) -> dict[str, Any]:
        """Follow a published document (any reference) or a saved search; the answer's ``id`` is the
        only key to the follow (its feed, its page, mail subscriptions)."""
        with self.session() as s:
            return follows.public(follows.create(s, document=document, query=query, filters=filters),
                                  self._base_url)

    def get_follow(self, follow_id: str) -> dict[str, Any]:
        """A follow, with the title of a followed document."""
        with self.read_session() as s:
            follow = follows.get(s, follow_id)
            out = follows.public(follow, self._base_url)
            doc = s.get(Document, follow.document_id) if follow.document_id else None
            out["title"] = doc.title if doc else None
            return out

    def follow_notices(self, follow_id: str, *, limit: int = follows.FEED_LIMIT) -> list[dict[str, Any]]:
        """What the follow has heard of, newest first."""
        with self.read_session() as s:
            return follows.describe(s, follows.recent(s, follows.get(s, follow_id), limit))

    def follow_feed(self, follow_id: str) -> bytes:
        """The follow's Atom feed."""
        with self.read_session() as s:
            follow = follows.get(s, follow_id)
            items = follows.describe(s, follows.recent(s, follow))
            doc = s.get(Document, follow.document_id) if follow.document_id else None
            title = subscriptions.what(follow, doc.title if doc else None)
        return follows.atom(items, feed_url=f"{self._base_url}/feeds/follows/{follow_id}.atom",
                            title=f"关注 / following: {title}", base_url=self._base_url)

    def search_feed(self, query: str, filters: dict[str, Any] | None = None) -> bytes:
        """An Atom feed of new documents answering a saved search, without creating a follow."""
        cleaned = follows.clean_filters(filters)
        with self.read_session() as s:
            items = follows.describe(s, follows.search_recent(s, query, cleaned))
        return follows.atom(items, feed_url=f"{self._base_url}/feeds/search.atom", base_url=self._base_url,
                            title=f"新文件 / new documents: {query}")

    # --- mail ---------------------------------------------------------------------------------------------

    def subscribe(self, follow_id: str, *, email: str, frequency: str = "immediate") -> dict[str, Any]:
        """Attach an address to a follow and mail it the confirmation link (nothing else is sent before
        it is used). A mail server that refuses is a 502 (:class:`registry.services.mail.MailError`) and
        the subscription is not kept."""
        with self.session() as s:
            follow = follows.get(s, follow_id)
            doc = s.get(Document, follow.document_id) if follow.document_id else None
            sub = subscriptions.create(s, follow, email=email, frequency=frequency, now=self.now())
            subject_of = subscriptions.what(follow, doc.title if doc else None)
        try:
            subscriptions.send_confirmation(self.settings, sub, subject_of)
        except MailError:  # nothing half-made is kept: asking again starts afresh
            with self.session() as s:
                subscriptions.discard(s, sub.id)
            raise
        return subscriptions.public(sub)

    def confirm_subscription(self, subscription_id: str, token: str) -> dict[str, Any]:
        """Confirm with the link's token; digests start with what happens from now on."""
        with self.session() as s:
            return subscriptions.public(subscriptions.confirm(s, self.settings, subscription_id, token,
                                                              now=self.now()))

    def unsubscribe(self, subscription_id: str, token: str) -> dict[str, Any]:
        """Stop a subscription (the one-click link of every digest)."""
        with self.session() as s:
            return subscriptions.public(subscriptions.unsubscribe(s, self.settings, subscription_id, token,
                                                                  now=self.now()))

    # --- webhooks (admin) ---------------------------------------------------------------------------------

    def _admin(self, actor: ActorLike) -> str:
        who = self._who(actor)
        if not who.may("admin"):
            raise Forbidden("推送地址须由系统管理员管理 / webhooks are an admin's",
                            details={"required_role": "admin", "role": who.role})
        return who.name

    def register_webhook(self, url: str, events: list[str], *, actor: ActorLike = None) -> dict[str, Any]:
        """Register a webhook; the answer carries its signing ``secret``, shown this once."""
        name = self._admin(actor)
        with self.session() as s:
            hook, secret = webhooks.register(s, self.settings, url=url, events=events, actor=name, now=self.now())
            return {**webhooks.public(hook), "secret": secret}

    def list_webhooks(self, *, actor: ActorLike = None) -> list[dict[str, Any]]:
        """Every webhook, active or disabled (never a secret)."""
        self._admin(actor)
        from sqlmodel import select

        from registry.models import Webhook

        with self.read_session() as s:
            return [webhooks.public(h) for h in s.exec(select(Webhook).order_by(Webhook.id))]  # type: ignore[arg-type]

    def disable_webhook(self, webhook_id: int, *, actor: ActorLike = None) -> dict[str, Any]:
        """Stop a webhook; pending deliveries are given up, the log is kept."""
        self._admin(actor)
        with self.session() as s:
            return webhooks.public(webhooks.disable(s, webhook_id, now=self.now()))

    def webhook_deliveries(self, webhook_id: int, *, state: str | None = None, offset: int = 0, limit: int = 100,
                           actor: ActorLike = None) -> tuple[int, list[dict[str, Any]]]:
        """A webhook's delivery log, newest first."""
        self._admin(actor)
        with self.read_session() as s:
            total, rows = webhooks.deliveries(s, webhook_id, state=state, offset=offset, limit=limit)
            return total, [webhooks.delivery_public(d) for d in rows]

    def replay_delivery(self, webhook_id: int, delivery_id: str, *, actor: ActorLike = None) -> dict[str, Any]:
        """Send a delivery again (same id, same body) at the next pass."""
        self._admin(actor)
        with self.session() as s:
            return webhooks.delivery_public(webhooks.replay(s, webhook_id, delivery_id, now=self.now()))

    # --- the delivery pass --------------------------------------------------------------------------------

    def deliver(self) -> dict[str, int]:
        """One delivery pass: fan new notices out to webhooks, send what is due, send due mail digests."""
        now = self.now()
        with self.session() as s:
            queued = deliveries.fan_out(s, now=now, base_url=self._base_url)
        sent = deliveries.send_due(self.session, self.settings, now=now)
        mail = subscriptions.send_digests(self.session, self.settings, now=now) if self.settings.smtp_url else {}
        return {"queued": queued, **sent, "mail_sent": mail.get("sent", 0), "mail_failed": mail.get("failed", 0)}

    def start_delivering(self, interval: float | None = None) -> PassThread:
        """Run :meth:`deliver` every ``interval`` seconds in a daemon thread (the server, one machine)."""
        thread = PassThread("normreg-deliver", lambda _stop: self.deliver(),
                            interval or self.settings.deliver_interval_seconds)
        thread.start()
        return thread
