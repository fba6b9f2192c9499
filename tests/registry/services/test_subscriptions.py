"""Mail subscriptions against a real SMTP server on loopback: the confirmation mail, the digest after a
status change, and one-click unsubscribe (RFC 8058, through the page) stopping the next one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from registry.actions.follows import MovingClock
from registry.errors import Forbidden, InvalidInput, RateLimited
from registry.facade import Registry
from registry.http.app import create_app
from registry.models import DocumentCreate, EventCreate
from tests.conftest import make_settings

LINK = re.compile(r"http://[^\s]+/follows/(confirm|unsubscribe)/([A-Za-z0-9_-]+)\?t=([0-9a-f]{64})")


@pytest.fixture
def mailing(tmp_path: Path, smtp: Any) -> Iterator[tuple[Registry, MovingClock, TestClient]]:
    settings = make_settings(tmp_path, index_inline=False, smtp_url=smtp.url, deliver_inline=False,
                             rate_limit_per_minute=0)
    clock = MovingClock(datetime.now(UTC))  # the pages' registry runs on the system clock: start together
    reg = Registry(settings, clock=clock)
    reg.init()
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield reg, clock, client
    reg.close()


def _doc(reg: Registry, n: int) -> str:
    return str(reg.create_document(DocumentCreate(title=f"示例市第{n}号管理办法", doc_number=f"示政〔2026〕{n}号",
                                                  publication_date=date(2026, 1, 1),
                                                  effective_date=date(2026, 1, 1)))["id"])


def _link(text: str, kind: str) -> tuple[str, str, str]:
    found = [m for m in LINK.finditer(text) if m.group(1) == kind]
    assert found, f"no {kind} link in {text!r}"
    return found[0].group(0), found[0].group(2), found[0].group(3)


def test_confirm_then_digest_then_one_click_unsubscribe_stops_the_next(mailing: Any, smtp: Any) -> None:
    reg, clock, client = mailing
    doc_id = _doc(reg, 1)
    follow = reg.follow(document=doc_id)
    reg.subscribe(follow["id"], email="citizen@example.com", frequency="daily")
    [confirmation] = smtp.wait(1)
    assert "citizen@example.com" in str(confirmation["To"])
    url, _, _ = _link(confirmation.get_content(), "confirm")

    reg.record_event(doc_id, EventCreate(type="amended", date=date(2026, 11, 20)))
    assert reg.deliver()["mail_sent"] == 0  # unconfirmed: nothing but the confirmation is ever sent
    page = client.get(urlsplit(url).path + "?" + urlsplit(url).query)
    assert page.status_code == 200 and "<button" in page.text  # a page with a button; GET changes nothing
    assert reg.deliver()["mail_sent"] == 0
    confirmed = client.post(urlsplit(url).path + "?" + urlsplit(url).query)
    assert confirmed.status_code == 200 and "citizen@example.com" in confirmed.text

    reg.record_event(doc_id, EventCreate(type="repealed", date=date(2026, 11, 25)))
    assert reg.deliver()["mail_sent"] == 0  # daily: not before a day has passed
    clock.advance(days=1, minutes=1)
    assert reg.deliver()["mail_sent"] == 1
    digest = smtp.wait(2)[1]
    body = digest.get_content()
    assert "已废止" in body and "示例市第1号管理办法" in body
    assert "有 1 项新变化" in body and "→ 已修改" not in body  # the change before confirmation is not in it
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsub_url = digest["List-Unsubscribe"].strip("<>")
    assert _link(body, "unsubscribe")[0] == unsub_url

    # what a mail program does for RFC 8058: POST the header's URL with the one-click body
    parts = urlsplit(unsub_url)
    answer = client.post(f"{parts.path}?{parts.query}", content=b"List-Unsubscribe=One-Click",
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 200
    other = _doc(reg, 2)
    reg.record_event(other, EventCreate(type="repealed", date=date(2026, 11, 25)))
    with reg.session() as s:  # the followed document changes again
        from registry.services import notices
        notices.publish(s, "version_added", doc_id, {"version_no": 2})
        s.commit()
    clock.advance(days=2)
    assert reg.deliver()["mail_sent"] == 0
    assert len(smtp.messages) == 2


def test_immediate_digest_of_a_saved_search_lists_only_matching_new_documents(mailing: Any, smtp: Any) -> None:
    reg, _, _ = mailing
    follow = reg.follow(query="管理办法", filters={"year": ["2026"]})
    reg.subscribe(follow["id"], email="watcher@example.com", frequency="immediate")
    _, sub_id, token = _link(smtp.wait(1)[0].get_content(), "confirm")
    reg.confirm_subscription(sub_id, token)
    _doc(reg, 7)
    reg.create_document(DocumentCreate(title="示例市会议纪要", publication_date=date(2026, 2, 1)))
    reg.create_document(DocumentCreate(title="示例市旧管理办法", publication_date=date(2019, 2, 1)))
    assert reg.deliver()["mail_sent"] == 1
    body = smtp.wait(2)[1].get_content()
    assert "示例市第7号管理办法" in body
    assert "会议纪要" not in body and "旧管理办法" not in body
    assert [i["title"] for i in reg.follow_notices(follow["id"])] == ["示例市第7号管理办法"]


def test_wrong_tokens_bad_addresses_and_mail_bombing_are_refused(mailing: Any, smtp: Any) -> None:
    reg, _, client = mailing
    follow = reg.follow(document=_doc(reg, 3))
    with pytest.raises(InvalidInput):
        reg.subscribe(follow["id"], email="not an address")
    reg.subscribe(follow["id"], email="a@example.com")
    _, sub_id, token = _link(smtp.wait(1)[0].get_content(), "confirm")
    with pytest.raises(Forbidden):
        reg.confirm_subscription(sub_id, token[:-1] + ("0" if token[-1] != "0" else "1"))
    assert client.post(f"/follows/unsubscribe/{sub_id}?t={'0' * 64}").status_code == 403
    reg.subscribe(follow["id"], email="A@example.com")
    reg.subscribe(follow["id"], email="a@example.com")
    with pytest.raises(RateLimited):
        reg.subscribe(follow["id"], email="a@example.com")
    assert len(smtp.wait(3)) == 3


def test_a_refused_confirmation_mail_keeps_no_subscription(tmp_path: Path) -> None:
    from sqlmodel import select

    from registry.models import MailSubscription
    from registry.services.mail import MailError

    reg = Registry(make_settings(tmp_path, index_inline=False, smtp_url="smtp://127.0.0.1:9"))
    reg.init()
    try:
        follow = reg.follow(document=_doc(reg, 9))
        with pytest.raises(MailError) as err:
            reg.subscribe(follow["id"], email="b@example.com")
        assert err.value.status_code == 502
        with reg.read_session() as s:
            assert s.exec(select(MailSubscription)).all() == []
    finally:
        reg.close()
