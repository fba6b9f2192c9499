"""Offices, staff accounts and browser sessions: the people who work in the registry."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import Session

from registry.actions.scope import ActorLike, ScopedRuntime
from registry.errors import Forbidden
from registry.models import ApiToken, StaffSession, User
from registry.models._types import utcnow
from registry.rules.actors import Actor
from registry.services import accounts, auth, second_factor, sessions, throttle
from registry.services import demo_accounts as demo


class AccountActions(ScopedRuntime):
    """Account actions of :class:`registry.facade.Registry` (``normreg office``/``user``, ``/staff/sign-in``)."""

    def add_office(self, name: str, *, code: str, parent: str | None = None, region: str | None = None,
                   number_pattern: str | None = None, actor: ActorLike = None) -> dict[str, Any]:
        """Create an office (机关) with its short code, under ``parent`` (a name or code) if given."""
        who = _admin(self._who(actor))
        with self.session() as s:
            office = accounts.add_office(s, name=name, code=code, parent=parent, region=region,
                                         number_pattern=number_pattern, actor=who.name)
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
        who = _admin(self._who(actor))
        with self.session() as s:
            user = accounts.add_user(s, username=username, office=office, role=role, password=password,
                                     display_name=display_name, actor=who.name)
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
            user, secret = sessions.sign_in(s, username=username, password=password, totp=totp, client=client,
                                            user_agent=user_agent, hours=self.settings.staff_session_hours,
                                            limits=self._sign_in_limits())
            return accounts.actor_for(s, user), secret

    def _sign_in_limits(self) -> throttle.Limits:
        st = self.settings
        return throttle.Limits(per_account=st.sign_in_account_failures, per_client=st.sign_in_client_failures,
                               window=timedelta(minutes=st.sign_in_window_minutes))

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
        with self.session() as s:
            return sessions.change_password(s, _own(s, actor), current=current, new=new, keep=keep)

    def list_sessions(self, actor: Actor) -> list[StaffSession]:
        """The signed-in user's browser sessions, newest first."""
        if actor.user_id is None:
            return []
        with self.read_session() as s:
            return sessions.list_sessions(s, actor.user_id)

    def end_own_session(self, actor: Actor, sid: str) -> StaffSession:
        """End one of the signed-in user's own sessions by its id (another user's is NotFound)."""
        with self.session() as s:
            return sessions.revoke_session(s, sid=sid, actor=actor.name, user_id=_own(s, actor).id)

    def account_overview(self, actor: Actor, *, current: str | None = None) -> dict[str, Any]:
        """What the account page shows: the user (never the hash or the second-factor secret), the user's
        last 50 sessions with their state (``this`` for the session whose cookie secret is ``current``,
        ``live``, ``ended``, ``expired``) and the user's API tokens."""
        here = sessions.session_id(current) if current else None
        now = utcnow()
        with self.read_session() as s:
            user = _own(s, actor)
            rows = sessions.list_sessions(s, actor.user_id)  # type: ignore[arg-type]
            return {
                "user": accounts.user_public(user, {o.id: o for o in accounts.list_offices(s)}),  # type: ignore[misc]
                "sessions": [{"id": r.id, "created_at": r.created_at, "last_seen_at": r.last_seen_at,
                              "client": r.client, "user_agent": r.user_agent,
                              "state": "ended" if r.revoked_at else "expired" if r.expires_at <= now
                              else "this" if r.id == here else "live"} for r in rows],
                "tokens": [auth.token_public(tk) for tk in auth.list_tokens(s, user_id=user.id)],
            }

    def enable_totp(self, actor: Actor, *, secret: str, code: str) -> None:
        """Switch the second factor on with ``secret``, once ``code`` (from the app) matches it."""
        with self.session() as s:
            second_factor.enable(s, _own(s, actor), secret=secret, code=code)

    def disable_totp(self, actor: Actor, *, password: str) -> None:
        """Switch the second factor off; needs the password."""
        with self.session() as s:
            second_factor.disable(s, _own(s, actor), password=password)

    def create_own_token(self, actor: Actor, name: str, *, role: str) -> tuple[ApiToken, str]:
        """An API token of the signed-in user, at most in the user's role; the secret is returned once."""
        with self.session() as s:
            return auth.create_token(s, name=name, role=role, actor=actor.name, user=_own(s, actor))

    def list_own_tokens(self, actor: Actor) -> list[ApiToken]:
        """The signed-in user's API tokens (revoked ones too)."""
        with self.read_session() as s:
            return auth.list_tokens(s, user_id=_own(s, actor).id)

    def revoke_own_token(self, actor: Actor, name: str) -> ApiToken:
        """Revoke one of the signed-in user's tokens (another's is NotFound)."""
        with self.session() as s:
            return auth.revoke_token(s, name=name, actor=actor.name, user_id=_own(s, actor).id)

    # ------------------------------------------------------------------------------ administration

    def update_user(self, username: str, *, role: str | None = None, office: str | None = None,
                    display_name: str | None = None, actor: ActorLike = None) -> dict[str, Any]:
        """Change a user's role, office or shown name (admin); audited with before and after."""
        who = _admin(self._who(actor))
        with self.session() as s:
            user = accounts.update_user(s, username=username, role=role, office=office, display_name=display_name,
                                        actor=who.name)
            return accounts.user_public(user, {o.id: o for o in accounts.list_offices(s)})  # type: ignore[misc]

    def set_user_active(self, username: str, *, active: bool, actor: ActorLike = None) -> dict[str, int]:
        """Deactivate (ending every session and token of the user at once) or reactivate a user (admin)."""
        who = _admin(self._who(actor))
        if not active and who.name == username.strip().lower():
            raise Forbidden("不能停用自己的账号 (you cannot deactivate your own account)")
        with self.session() as s:
            return sessions.set_active(s, username=username, active=active, actor=who.name)

    def live_sessions(self, actor: ActorLike = None) -> list[dict[str, Any]]:
        """Every session still working, newest first, with its user (admin)."""
        _admin(self._who(actor))
        with self.read_session() as s:
            return _live(s)

    def admin_overview(self, actor: ActorLike = None) -> dict[str, Any]:
        """What the admin page shows, read at one moment: offices (with parents), users (with offices), the
        live sessions, and the 统一登记号 pattern an office without its own uses (admin)."""
        _admin(self._who(actor))
        with self.read_session() as s:
            rows = accounts.list_offices(s)
            by_id = {o.id: o for o in rows}
            return {"offices": [accounts.office_public(o, by_id) for o in rows],  # type: ignore[arg-type]
                    "users": [accounts.user_public(u, by_id) for u in accounts.list_users(s)],  # type: ignore[arg-type]
                    "live_sessions": _live(s), "default_pattern": self.settings.registration_pattern}

    def revoke_session(self, sid: str, *, actor: ActorLike = None) -> StaffSession:
        """End any user's session by its id (admin); audited."""
        who = _admin(self._who(actor))
        with self.session() as s:
            return sessions.revoke_session(s, sid=sid, actor=who.name)

    def demo_accounts(self, *, actor: ActorLike = None) -> dict[str, Any]:
        """Create the demo offices and users (fixed, printed passwords) and give the demo documents their
        office. Refused unless ``NORMREG_ENVIRONMENT=development`` was set explicitly."""
        if "environment" not in self.settings.model_fields_set or self.settings.environment != "development":
            raise Forbidden("演示账号只能在开发环境中创建，请设置 NORMREG_ENVIRONMENT=development "
                            "(demo accounts are for development only; set NORMREG_ENVIRONMENT=development)")
        who = _admin(self._who(actor))
        with self.session() as s:
            return demo.ensure(s, actor=who.name)


def _own(session: Session, actor: Actor) -> User:
    """The signed-in user's row; Forbidden for an actor that is no staff account (the operator, a machine)."""
    if actor.user_id is None:
        raise Forbidden("只有工作人员账号才有此功能 (only a staff account has this)")
    user = session.get(User, actor.user_id)
    if user is None or not user.active:
        raise Forbidden("账号已停用 (this account is deactivated)")
    return user


def _live(session: Session) -> list[dict[str, Any]]:
    return [{"id": row.id, "username": user.username, "display_name": user.display_name,
             "created_at": row.created_at, "last_seen_at": row.last_seen_at, "client": row.client,
             "user_agent": row.user_agent} for row, user in sessions.live_sessions(session)]


def _admin(actor: Actor) -> Actor:
    if not actor.may("admin"):
        raise Forbidden("此操作需要系统管理员角色 (this needs the admin role)", details={"required_role": "admin"})
    return actor
