"""Offices, users and browser sessions through the registry, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlmodel import select

from registry.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from registry.facade import Registry
from registry.models import DocumentCreate, EventCreate, StaffSession
from registry.models._types import utcnow
from registry.rules.actors import Actor
from tests.support import staff


def test_a_password_is_stored_as_an_argon2_hash_only(registry: Registry) -> None:
    staff.user(registry, "li.ming", role="clerk")
    with registry.engine.connect() as conn:
        stored = conn.execute(text("SELECT password_hash FROM users WHERE username = 'li.ming'")).scalar_one()
    assert stored.startswith("$argon2id$") and staff.PASSWORD not in stored
    assert all(staff.PASSWORD not in str(v) for u in registry.list_users() for v in u.values())


@pytest.mark.parametrize("password", ["short-1", "li.ming", "LI.MING   "])
def test_weak_passwords_are_refused_with_a_reason(registry: Registry, password: str) -> None:
    staff.offices(registry)
    with pytest.raises(InvalidInput, match="密码"):
        registry.add_user("li.ming", office=staff.JUSTICE[0], role="clerk", password=password)
    assert registry.list_users() == []


def test_offices_and_users_are_unique_and_must_exist(registry: Registry) -> None:
    staff.offices(registry)
    with pytest.raises(Conflict):
        registry.add_office(staff.JUSTICE[0], code="XX1")
    with pytest.raises(Conflict):
        registry.add_office("示例市另一个局", code=staff.JUSTICE[1].lower())  # codes compare upper-cased
    with pytest.raises(NotFound):
        registry.add_office("示例市某局", code="MJ", parent="没有这个机关")
    with pytest.raises(NotFound):
        registry.add_user("wang.fang", office="没有这个机关", role="clerk", password=staff.PASSWORD)
    staff.user(registry, "wang.fang", role="clerk")
    with pytest.raises(Conflict):
        registry.add_user("Wang.Fang", office=staff.JUSTICE[0], role="clerk", password=staff.PASSWORD)
    bureau = next(o for o in registry.list_offices() if o["name"] == staff.JUSTICE[0])
    assert bureau["parent"] == staff.CITY[0] and bureau["region"] == "SL"  # the region is inherited


def test_sign_in_gives_the_users_reach_and_one_answer_for_every_failure(registry: Registry) -> None:
    staff.user(registry, "li.ming", role="clerk")
    staff.user(registry, "zhao.lei", role="reviewer", office=staff.CITY[0])
    clerk, _ = registry.sign_in("li.ming", staff.PASSWORD)
    reviewer, _ = registry.sign_in("zhao.lei", staff.PASSWORD)
    ids = {o["name"]: o["id"] for o in registry.list_offices()}
    assert clerk.reach == {ids[staff.JUSTICE[0]]}
    assert reviewer.reach == set(ids.values())  # the city's legal office reaches both bureaus under it
    messages = set()
    for username, password in (("li.ming", "wrong-password"), ("nobody.here", staff.PASSWORD)):
        with pytest.raises(Unauthorized) as info:
            registry.sign_in(username, password)
        messages.add(info.value.message)
    assert len(messages) == 1


def test_sign_out_and_expiry_end_a_session(registry: Registry) -> None:
    staff.user(registry, "li.ming", role="clerk")
    _, first = registry.sign_in("li.ming", staff.PASSWORD)
    _, second = registry.sign_in("li.ming", staff.PASSWORD)
    assert registry.session_actor(first) is not None
    assert registry.sign_out(first) is True
    assert registry.session_actor(first) is None and registry.sign_out(first) is False
    assert registry.session_actor(second) is not None
    with registry.session() as s:  # a working day later
        for row in s.exec(select(StaffSession)).all():
            row.expires_at = utcnow() - timedelta(seconds=1)
            s.add(row)
        s.commit()
    assert registry.session_actor(second) is None


def test_a_password_change_ends_every_other_session(registry: Registry) -> None:
    staff.user(registry, "li.ming", role="clerk")
    actor, here = registry.sign_in("li.ming", staff.PASSWORD)
    _, elsewhere = registry.sign_in("li.ming", staff.PASSWORD)
    with pytest.raises(Unauthorized):
        registry.change_password(actor, current="not-my-password", new="another-horse-43")
    assert registry.change_password(actor, current=staff.PASSWORD, new="another-horse-43", keep=here) == 1
    assert registry.session_actor(here) is not None and registry.session_actor(elsewhere) is None
    with pytest.raises(Unauthorized):
        registry.sign_in("li.ming", staff.PASSWORD)
    assert registry.sign_in("li.ming", "another-horse-43")[0].name == "li.ming"


def test_a_second_factor_is_required_once_enrolled(registry: Registry) -> None:
    import pyotp

    staff.user(registry, "li.ming", role="clerk")
    secret = pyotp.random_base32()
    with registry.engine.begin() as conn:
        conn.execute(text("UPDATE users SET totp_secret = :s WHERE username = 'li.ming'"), {"s": secret})
    with pytest.raises(Unauthorized) as info:
        registry.sign_in("li.ming", staff.PASSWORD)
    assert info.value.details == {"totp_required": True}
    with pytest.raises(Unauthorized):
        registry.sign_in("li.ming", staff.PASSWORD, totp="000000" if pyotp.TOTP(secret).now() != "000000" else "1")
    assert registry.sign_in("li.ming", staff.PASSWORD, totp=pyotp.TOTP(secret).now())[0].name == "li.ming"


def _office_doc(registry: Registry, actor: Actor, title: str) -> str:
    data = registry.create_document(DocumentCreate(title=title, issuer=staff.JUSTICE[0],
                                                   publication_date=date(2026, 3, 1)), actor=actor)
    return str(data["id"])


def test_a_clerk_edits_the_own_offices_documents_only(registry: Registry) -> None:
    staff.user(registry, "li.ming", role="clerk")
    staff.user(registry, "chen.jing", role="clerk", office=staff.TRANSPORT[0])
    staff.user(registry, "zhao.lei", role="reviewer", office=staff.CITY[0])
    li, _ = registry.sign_in("li.ming", staff.PASSWORD)
    chen, _ = registry.sign_in("chen.jing", staff.PASSWORD)
    zhao, _ = registry.sign_in("zhao.lei", staff.PASSWORD)
    doc_id = _office_doc(registry, li, "示例市司法局关于规范行政执法证件管理的通知")
    with pytest.raises(Forbidden):
        registry.record_filing(doc_id, filed_on=date(2026, 3, 10), filed_with="示例市人民政府", actor=chen)
    filed = registry.record_filing(doc_id, filed_on=date(2026, 3, 10), filed_with="示例市人民政府", actor=li)
    assert filed.event_id is not None
    registry.record_legality_review(doc_id, reviewed_on=date(2026, 2, 20), reviewer="示例市司法局", actor=zhao)
    actors = [e.actor for e in registry.list_events(doc_id)[1]]
    assert "li.ming" in actors and "zhao.lei" in actors and "chen.jing" not in actors


def test_the_library_keeps_four_eyes_for_a_clerk_as_the_api_does(registry: Registry) -> None:
    staff.user(registry, "li.ming", role="clerk")
    li, _ = registry.sign_in("li.ming", staff.PASSWORD)
    doc_id = _office_doc(registry, li, "示例市司法局关于行政复议听证的规定")
    with pytest.raises(Forbidden):
        registry.record_filing_review(doc_id, reviewed_on=date(2026, 4, 1), outcome="撤销", actor=li)
    with pytest.raises(Forbidden):
        registry.record_event(doc_id, EventCreate(type="repealed", date=date(2026, 5, 1)), actor=li)
    with pytest.raises(Forbidden):
        registry.apply_campaign("no-such-campaign", actor=li)  # refused before the campaign is even looked up
    assert registry.check(doc_id)["status"] != "repealed"
