"""Offices, staff accounts and browser sessions: the people who work in the registry."""

from __future__ import annotations

from typing import Any

from registry.actions.scope import ActorLike, ScopedRuntime
from registry.errors import Forbidden
from registry.models import StaffSession
from registry.rules.actors import Actor
from registry.services import accounts, sessions


class AccountActions(ScopedRuntime):
    """Account actions of :class:`registry.facade.Registry` (``normreg office``/``user``, ``/staff/sign-in``)."""

    def add_office(self, name: str, *, code: str, parent: str | None = None, region: str | None = None,
                   number_pattern: str | None = None, actor: ActorLike = None) -> dict[str, Any]:
        """Create an office (机关) with its short code, under ``parent`` (a name or code) if given."""
        with self.session() as s:
            office = accounts.add_office(s, name=name, code=code, parent=parent, region=region,
                                         number_pattern=number_pattern, actor=self._who(actor).name)
            return accounts.office_public(office, {o.id: o for o in accounts.list_offices(s)})  # type: ignore[misc]

    def list_offices(self) -> list[dict[str, Any]]:
        """Every office, in the order they were created, with its parent's name."""
        with self.read_session() as s:
            rows = accounts.list_offices(s)
            by_id = {o.id: o for o in rows}
            return [accounts.office_public(o, by_id) for o in rows]  # type: ignore[arg-type]

    def add_user(self, username: str, *, office: str, role: str, password: str, display_name: str | None = None,
                 actor: ActorLike = None) -> dict[str, Any]:
        """Create a staff account; the password is checked (≥ 10 characters) and kept as an argon2 hash."""
        with self.session() as s:
            user = accounts.add_user(s, username=username, office=office, role=role, password=password,
                                     display_name=display_name, actor=self._who(actor).name)
            return accounts.user_public(user, {o.id: o for o in accounts.list_offices(s)})  # type: ignore[misc]

    def list_users(self) -> list[dict[str, Any]]:
        """Every staff account (never a password hash or a second-factor secret)."""
        with self.read_session() as s:
            offices = {o.id: o for o in accounts.list_offices(s)}
            return [accounts.user_public(u, offices) for u in accounts.list_users(s)]  # type: ignore[arg-type]

    def sign_in(self, username: str, password: str, *, totp: str | None = None, client: str | None = None,
                user_agent: str | None = None) -> tuple[Actor, str]:
        """Check the credentials and open a browser session; returns the actor and the cookie secret.
        Unauthorized with one message for a wrong username or password."""
        with self.session() as s:
            user = sessions.check_credentials(s, username=username, password=password, totp=totp)
            _, secret = sessions.start_session(s, user, hours=self.settings.staff_session_hours, client=client,
                                               user_agent=user_agent)
            return accounts.actor_for(s, user), secret

    def session_actor(self, secret: str) -> Actor | None:
        """The actor of a live browser session, or None when it is unknown, ended or expired."""
        with self.session() as s:
            actor = sessions.session_actor(s, secret, idle_minutes=self.settings.staff_session_idle_minutes)
            s.commit()
            return actor

    def sign_out(self, secret: str) -> bool:
        """End a browser session at once; its cookie is refused from then on."""
        with self.session() as s:
            return sessions.end_session(s, secret)

    def change_password(self, actor: Actor, *, current: str, new: str, keep: str | None = None) -> int:
        """Change the signed-in user's password; every other session of the user ends (returns how many)."""
        if actor.user_id is None:
            raise Forbidden("only a staff account has a password")
        with self.session() as s:
            user = accounts.find_user(s, actor.name)
            return sessions.change_password(s, user, current=current, new=new, keep=keep)

    def list_sessions(self, actor: Actor) -> list[StaffSession]:
        """The signed-in user's browser sessions, newest first."""
        if actor.user_id is None:
            return []
        with self.read_session() as s:
            return sessions.list_sessions(s, actor.user_id)
