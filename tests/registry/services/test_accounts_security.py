"""Throttled sign-in, the second factor, a user's own tokens and deactivation, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import text

from registry.errors import Conflict, Forbidden, InvalidInput, NotFound, RateLimited, Unauthorized
from registry.facade import Registry
from registry.models._types import utcnow
from registry.rules.actors import Actor
from registry.services.auth import authenticate
from registry.services.sessions import session_id
from tests.support import staff


def _fail(registry: Registry, username: str, client: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(Unauthorized):
            registry.sign_in(username, "wrong-password-1", client=client)


def test_five_failures_lock_the_username_with_a_time_to_retry(registry: Registry) -> None:
    staff.user(registry, "li.ming", role="clerk")
    _fail(registry, "li.ming", "10.0.0.1", 5)
    with pytest.raises(RateLimited) as info:  # even the right password is refused while locked
        registry.sign_in("li.ming", staff.PASSWORD, client="10.0.0.1")
    details = info.value.details
    assert 14 * 60 < details["retry_after"] <= 15 * 60 and details["minutes"] == 15
    assert "15 分钟" in info.value.message and "UTC" in info.value.message
    with registry.engine.begin() as conn:  # a quarter of an hour later the oldest failure has left the window
        conn.execute(text("UPDATE sign_in_failures SET failed_at = :t"), {"t": utcnow() - timedelta(minutes=16)})
    assert registry.sign_in("li.ming", staff.PASSWORD, client="10.0.0.1")[0].name == "li.ming"


def test_a_lock_looks_the_same_for_a_username_that_does_not_exist(registry: Registry) -> None:
    staff.user(registry, "li.ming", role="clerk")
    answers = []
    for username in ("li.ming", "no.such.user"):
        _fail(registry, username, f"10.0.0.{len(answers) + 1}", 5)
        with pytest.raises(RateLimited) as info:
            registry.sign_in(username, staff.PASSWORD, client="10.0.0.9")
        answers.append((info.value.status_code, info.value.details["minutes"], info.value.message[:12]))
    assert answers[0] == answers[1]


def test_a_success_does_not_reset_another_clients_failures(registry: Registry) -> None:
    staff.user(registry, "li.ming", role="clerk")
    _fail(registry, "li.ming", "203.0.113.7", 3)  # someone elsewhere guessing
    _fail(registry, "li.ming", "10.0.0.1", 1)  # the clerk mistypes once, then gets it right
    registry.sign_in("li.ming", staff.PASSWORD, client="10.0.0.1")
    _fail(registry, "li.ming", "203.0.113.7", 2)  # the guesser's fourth and fifth failures: 5 in all
    with pytest.raises(RateLimited):
        registry.sign_in("li.ming", staff.PASSWORD, client="203.0.113.7")


def test_one_client_is_limited_across_usernames(registry: Registry) -> None:
    staff.user(registry, "li.ming", role="clerk")
    for i in range(20):  # never five on one name, but twenty from one address
        _fail(registry, f"guess{i}", "198.51.100.4", 1)
    with pytest.raises(RateLimited):
        registry.sign_in("li.ming", staff.PASSWORD, client="198.51.100.4")
    assert registry.sign_in("li.ming", staff.PASSWORD, client="10.0.0.1")[0].name == "li.ming"


def test_the_second_factor_is_switched_on_only_with_a_matching_code(registry: Registry) -> None:
    staff.user(registry, "li.ming", role="clerk")
    actor, _ = registry.sign_in("li.ming", staff.PASSWORD)
    secret = pyotp.random_base32(32)
    wrong = "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    with pytest.raises(InvalidInput):
        registry.enable_totp(actor, secret=secret, code=wrong)
    assert registry.account_overview(actor)["user"]["totp"] is False
    registry.enable_totp(actor, secret=secret, code=pyotp.TOTP(secret).now())
    assert registry.account_overview(actor)["user"]["totp"] is True
    with pytest.raises(Conflict):
        registry.enable_totp(actor, secret=secret, code=pyotp.TOTP(secret).now())
    with pytest.raises(Unauthorized):
        registry.sign_in("li.ming", staff.PASSWORD)
    with pytest.raises(Unauthorized):
        registry.disable_totp(actor, password="not-the-password")
    registry.disable_totp(actor, password=staff.PASSWORD)
    assert registry.sign_in("li.ming", staff.PASSWORD)[0].name == "li.ming"


def _li_and(registry: Registry, username: str, *, role: str, office: str) -> tuple[Actor, str, Actor]:
    """li.ming (a clerk of the justice bureau) and one more user, both signed in: (li, li's cookie, other)."""
    staff.user(registry, "li.ming", role="clerk")
    staff.user(registry, username, role=role, office=office)
    li, cookie = registry.sign_in("li.ming", staff.PASSWORD)
    return li, cookie, registry.sign_in(username, staff.PASSWORD)[0]


def test_a_users_token_acts_as_the_user_within_the_users_role(registry: Registry) -> None:
    li, cookie, chen = _li_and(registry, "chen.jing", role="clerk", office=staff.TRANSPORT[0])
    with pytest.raises(Forbidden):
        registry.create_own_token(li, "script", role="reviewer")
    row, secret = registry.create_own_token(li, "script", role="clerk")
    assert row.name == "li.ming/script"
    with registry.read_session() as s:
        holder = authenticate(s, secret)
    assert holder is not None and holder.name == "li.ming" and holder.reach == li.reach
    assert registry.session_actor(secret) is None  # a token is never a browser session
    assert authenticate_cookie_as_token(registry, cookie) is None  # nor a session a token
    assert [t.name for t in registry.list_own_tokens(chen)] == []
    with pytest.raises(NotFound):
        registry.revoke_own_token(chen, "li.ming/script")
    registry.revoke_own_token(li, "li.ming/script")
    with registry.read_session() as s:
        assert authenticate(s, secret) is None


def authenticate_cookie_as_token(registry: Registry, cookie: str) -> object:
    with registry.read_session() as s:
        return authenticate(s, cookie)


def test_deactivation_ends_sessions_and_tokens_at_once_and_is_audited(registry: Registry) -> None:
    staff.user(registry, "li.ming", role="clerk")
    staff.user(registry, "root", role="admin", office=staff.CITY[0])
    admin, _ = registry.sign_in("root", staff.PASSWORD)
    li, cookie = registry.sign_in("li.ming", staff.PASSWORD)
    _, secret = registry.create_own_token(li, "laptop", role="clerk")
    with pytest.raises(Forbidden):
        registry.set_user_active("root", active=False, actor=li)
    assert registry.set_user_active("li.ming", active=False, actor=admin) == {"sessions_ended": 1,
                                                                              "tokens_revoked": 1}
    assert registry.session_actor(cookie) is None
    with registry.read_session() as s:
        assert authenticate(s, secret) is None
    with pytest.raises(Unauthorized):
        registry.sign_in("li.ming", staff.PASSWORD)
    with registry.engine.connect() as conn:
        entry = conn.execute(text("SELECT actor, details FROM audit_log WHERE action = 'user.deactivate'")).one()
    assert entry.actor == "root"
    registry.set_user_active("li.ming", active=True, actor=admin)
    assert registry.sign_in("li.ming", staff.PASSWORD)[0].name == "li.ming"
    with registry.read_session() as s:
        assert authenticate(s, secret) is None  # reactivation does not revive a revoked token


def test_an_admin_changes_role_and_office_and_the_reach_follows(registry: Registry) -> None:
    li, cookie, admin = _li_and(registry, "root", role="admin", office=staff.CITY[0])
    with pytest.raises(Forbidden):
        registry.update_user("li.ming", role="admin", actor=li)
    out = registry.update_user("li.ming", office=staff.TRANSPORT[1], role="reviewer", actor=admin)
    assert out["office"] == staff.TRANSPORT[0] and out["role"] == "reviewer"
    after = registry.session_actor(cookie)
    assert after is not None and after.role == "reviewer" and after.office_id != li.office_id
    with pytest.raises(InvalidInput):
        registry.update_user("li.ming", role="king", actor=admin)


def test_admin_sees_live_sessions_and_ends_any(registry: Registry) -> None:
    staff.user(registry, "li.ming", role="clerk")
    staff.user(registry, "root", role="admin", office=staff.CITY[0])
    admin, _ = registry.sign_in("root", staff.PASSWORD)
    li, cookie = registry.sign_in("li.ming", staff.PASSWORD, client="10.1.1.1", user_agent="Firefox")
    live = registry.live_sessions(actor=admin)
    mine = [x for x in live if x["username"] == "li.ming"]
    assert len(mine) == 1 and mine[0]["client"] == "10.1.1.1" and mine[0]["user_agent"] == "Firefox"
    with pytest.raises(Forbidden):
        registry.live_sessions(actor=li)
    registry.revoke_session(mine[0]["id"], actor=admin)
    assert registry.session_actor(cookie) is None
    assert "li.ming" not in {x["username"] for x in registry.live_sessions(actor=admin)}


def test_a_user_ends_only_own_sessions(registry: Registry) -> None:
    staff.user(registry, "li.ming", role="clerk")
    staff.user(registry, "chen.jing", role="clerk", office=staff.TRANSPORT[0])
    li, here = registry.sign_in("li.ming", staff.PASSWORD)
    _, there = registry.sign_in("li.ming", staff.PASSWORD)
    chen, chens = registry.sign_in("chen.jing", staff.PASSWORD)
    ids = [r.id for r in registry.list_sessions(li)]
    chen_id = registry.list_sessions(chen)[0].id
    with pytest.raises(NotFound):
        registry.end_own_session(li, chen_id)
    assert registry.session_actor(chens) is not None
    other = next(i for i in ids if i != session_id(here))
    registry.end_own_session(li, other)
    assert registry.session_actor(there) is None and registry.session_actor(here) is not None


def test_an_office_pattern_is_checked_when_the_office_is_added(registry: Registry) -> None:
    staff.offices(registry)
    for bad in ("{region}{code}-{year}", "{region}{cod}-{year}-{seq:04}"):
        with pytest.raises(InvalidInput):
            registry.add_office("示例市审计局", code="SJ07", parent=staff.CITY[0], number_pattern=bad)
    made = registry.add_office("示例市审计局", code="SJ07", parent=staff.CITY[0],
                               number_pattern="SJ-{year}-{seq:03}")
    assert made["number_pattern"] == "SJ-{year}-{seq:03}"
