"""审查建议: a citizen's suggestion is stored with its 15-day deadline, shows in the inbox of the staff whose
reach covers the document (and no one else's), and the reply reaches the citizen over real SMTP. Robots (a
filled honeypot, a forged or instant form, a flood from one address) and bad attachments are refused."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import update

from registry.errors import Conflict, Forbidden, InvalidInput, RateLimited, TooLarge
from registry.facade import Registry
from registry.models import Document, DocumentCreate, SuggestionCreate
from registry.rules.actors import Actor
from registry.services import suggestions
from registry.services.suggestions import Attachment
from tests.conftest import BACKENDS, make_settings
from tests.support import staff

TODAY = date(2026, 11, 26)


def _registry(tmp_path: Any, database_url: str | None = None, **overrides: Any) -> Registry:
    settings = make_settings(tmp_path, database_url, suggestion_min_fill_seconds=0, **overrides)
    reg = Registry(settings, clock=lambda: TODAY)
    reg.init()
    return reg


def _office_document(reg: Registry, office_name: str = staff.JUSTICE[0]) -> tuple[str, int]:
    staff.offices(reg)
    office_id = next(o["id"] for o in reg.list_offices() if o["name"] == office_name)
    doc = reg.create_document(DocumentCreate(title="示例市司法行政收费管理办法", doc_number="示司发〔2025〕3号",
                                             issuer="示例市司法局", publication_date=date(2025, 1, 2),
                                             effective_date=date(2025, 2, 1)))
    with reg.session() as s:
        s.execute(update(Document).where(Document.id == doc["id"]).values(office_id=office_id))  # type: ignore[arg-type]
        s.commit()
    return doc["id"], office_id


def _clerk(office_id: int, name: str = "li.ming") -> Actor:
    return Actor(name=name, role="clerk", office_id=office_id, reach=frozenset({office_id}))


def _send(reg: Registry, doc_id: str, *, contact: str = "wang.fang@example.com", client: str = "203.0.113.7",
          attachment: Attachment | None = None, honeypot: str = "", token: str | None = None) -> dict[str, Any]:
    data = SuggestionCreate(name="王芳", contact=contact, text="第五条的收费标准与《行政事业性收费管理条例》相抵触，建议审查。")
    return reg.submit_suggestion(doc_id, data, token=token or reg.suggestion_form_token(doc_id), honeypot=honeypot,
                                 client=client, attachment=attachment)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_suggestion_is_in_the_inbox_with_its_due_date_and_the_reply_reaches_the_citizen(
        tmp_path: Any, smtp: Any, backend: str, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("pg_schema_url") if backend == "postgres" else None
    reg = _registry(tmp_path, url, smtp_url=smtp.url)
    doc_id, office_id = _office_document(reg)
    receipt = _send(reg, doc_id)
    assert receipt["due_on"] == "2026-12-11"  # 15 days after 2026-11-26
    clerk = _clerk(office_id)
    [section] = [s for s in reg.inbox(clerk)["sections"] if s["key"] == "suggestions"]
    assert section["total"] == 1
    item = section["items"][0]
    assert item["due"] == "2026-12-11" and item["days"] == 15 and item["href"] == f"/staff/suggestions/{receipt['id']}"
    assert reg.suggestion_counts(doc_id) == {"received": 1, "answered": 0}

    sent = reg.reply_suggestion(receipt["id"], "经审查，第五条已于2026年修改，感谢您的建议。", actor=clerk)
    assert sent["mailed"] is True
    [mail] = smtp.wait(1)
    assert mail["To"] == "wang.fang@example.com"
    assert f"第 {receipt['id']} 号" in mail["Subject"]
    body = mail.get_content()
    assert "经审查，第五条已于2026年修改" in body and "示例市司法行政收费管理办法" in body and "王芳" in body
    assert reg.suggestion_counts(doc_id) == {"received": 1, "answered": 1}
    assert next(s for s in reg.inbox(clerk)["sections"] if s["key"] == "suggestions")["total"] == 0
    with pytest.raises(Conflict):
        reg.reply_suggestion(receipt["id"], "再次答复", actor=clerk)
    reg.close()


def test_staff_of_another_office_neither_see_nor_answer_it(tmp_path: Any) -> None:
    reg = _registry(tmp_path)
    doc_id, _ = _office_document(reg)
    other_id = next(o["id"] for o in reg.list_offices() if o["name"] == staff.TRANSPORT[0])
    receipt = _send(reg, doc_id)
    outsider = _clerk(other_id, "zhao.lei")
    assert all(s["total"] == 0 for s in reg.inbox(outsider)["sections"] if s["key"] == "suggestions")
    with pytest.raises(Forbidden):
        reg.suggestion(receipt["id"], actor=outsider)
    with pytest.raises(Forbidden):
        reg.reply_suggestion(receipt["id"], "越权答复", actor=outsider)
    reg.close()


def test_a_reply_that_cannot_be_mailed_is_kept_with_the_reason(tmp_path: Any) -> None:
    reg = _registry(tmp_path, smtp_url="smtp://127.0.0.1:9")
    doc_id, office_id = _office_document(reg)
    receipt = _send(reg, doc_id)
    sent = reg.reply_suggestion(receipt["id"], "答复内容", actor=_clerk(office_id))
    assert sent["mailed"] is False and "mail not sent" in sent["mail_error"]
    view = reg.suggestion(receipt["id"], actor=_clerk(office_id))["suggestion"]
    assert view["reply"] == "答复内容" and view["mailed_at"] is None
    reg.close()


def test_robots_are_refused_by_the_honeypot_and_the_signed_form_token(tmp_path: Any) -> None:
    reg = _registry(tmp_path)
    doc_id, _ = _office_document(reg)
    with pytest.raises(InvalidInput):
        _send(reg, doc_id, honeypot="http://spam.example")
    with pytest.raises(InvalidInput):
        _send(reg, doc_id, token="1700000000.abcdef.0123456789abcdef0123456789abcdef")
    other = reg.create_document(DocumentCreate(title="另一份文件", publication_date=date(2025, 1, 1)))
    with pytest.raises(InvalidInput):
        _send(reg, doc_id, token=reg.suggestion_form_token(other["id"]))  # a token for another document
    secret = suggestions.form_key(reg.signing_key)
    token = suggestions.form_token(secret, doc_id, 1000.0)
    with pytest.raises(InvalidInput, match="提交过快"):
        suggestions.check_token(secret, token, doc_id, 1001.0, min_seconds=3)
    suggestions.check_token(secret, token, doc_id, 1004.0, min_seconds=3)
    with pytest.raises(InvalidInput, match="过期"):
        suggestions.check_token(secret, token, doc_id, 1000.0 + suggestions.TOKEN_MAX_AGE + 1, min_seconds=3)
    assert reg.suggestion_counts(doc_id)["received"] == 0
    reg.close()


def test_one_address_may_send_only_so_many_a_day(tmp_path: Any) -> None:
    reg = _registry(tmp_path, suggestions_per_client_per_day=2)
    doc_id, _ = _office_document(reg)
    _send(reg, doc_id)
    _send(reg, doc_id)
    with pytest.raises(RateLimited):
        _send(reg, doc_id)
    _send(reg, doc_id, client="198.51.100.9")  # another address is not held back
    assert reg.suggestion_counts(doc_id)["received"] == 3
    reg.close()


def test_attachments_are_checked_by_content_and_size_and_kept_for_staff_only(tmp_path: Any) -> None:
    reg = _registry(tmp_path, suggestion_attachment_max_bytes=1024)
    doc_id, office_id = _office_document(reg)
    with pytest.raises(InvalidInput, match="附件只能是"):
        _send(reg, doc_id, attachment=Attachment("说明.pdf", b"MZ\x90\x00\x03\x00\x00\x00" * 8))  # an .exe named .pdf
    with pytest.raises(TooLarge):
        _send(reg, doc_id, attachment=Attachment("big.pdf", b"%PDF-1.7\n" + b"0" * 2000))
    with pytest.raises(InvalidInput):
        _send(reg, doc_id, contact="13800000000")  # a reply must be mailable
    receipt = _send(reg, doc_id, attachment=Attachment("../../证据.pdf", b"%PDF-1.7\n%%EOF\n"))
    opened, media, name = reg.suggestion_attachment(receipt["id"], actor=_clerk(office_id))
    assert media == "application/pdf" and name == "证据.pdf"
    assert b"".join(opened.chunks) == b"%PDF-1.7\n%%EOF\n" and opened.size == 15
    assert opened.name.startswith("suggestions/") and list(reg.files.names()) == [opened.name]
    assert reg.suggestion_counts(doc_id)["received"] == 1  # the refused ones left nothing behind
    reg.close()
