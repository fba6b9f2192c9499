"""Every write the façade offers reaches the search index by itself: the caller does nothing after it.

The set of writes is read off ``Registry`` (every method that opens a writing session), so a new write
method without a case here fails the coverage test instead of going unchecked.
"""

from __future__ import annotations

import inspect
import io
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pyotp
import pytest

from registry.facade import Registry
from registry.models import DocumentCreate, DocumentUpdate, EventCreate, Follow
from registry.models.versions import TextVersionCreate
from registry.rules.actors import Actor
from registry.services import subscriptions
from registry.services.delivery_keys import derive
from registry.services.mail import MailError
from registry.services.sessions import session_id
from registry.storage.indexing import compare, pending_outbox
from search.model import SearchQuery
from tests.support import staff

TODAY = date(2026, 11, 26)


def writes_of_registry() -> set[str]:
    return {name for name, fn in inspect.getmembers(Registry, inspect.isfunction)
            if not name.startswith("_") and ("self.session()" in inspect.getsource(fn)
                                             or "self._batch()" in inspect.getsource(fn))}


def _doc(reg: Registry, title: str, **extra: Any) -> str:
    data = reg.create_document(DocumentCreate(title=title, issuer="示例市人民政府", publication_date=date(2024, 1, 5),
                                              effective_date=date(2024, 2, 1), text="第一条 测试条文。", **extra),
                               actor="clerk-a")
    return str(data["id"])


def _list(tmp: Path, title: str) -> Path:
    path = tmp / "list.csv"
    path.write_text(f"序号,文件名称,文号,清理结果\n1,{title},示政发〔2024〕1号,废止\n", encoding="utf-8")
    return path


def _sign_in(reg: Registry) -> tuple[Actor, str]:
    return reg.sign_in(reg.list_users()[0]["username"], staff.PASSWORD)


def _me(reg: Registry) -> Actor:
    return _sign_in(reg)[0]


def _with_totp(reg: Registry, username: str) -> Actor:
    """A new user with the second factor switched on; returns the user signed in before it was."""
    staff.user(reg, username, role="clerk")
    actor, _ = reg.sign_in(username, staff.PASSWORD)
    secret = pyotp.random_base32(32)
    reg.enable_totp(actor, secret=secret, code=pyotp.TOTP(secret).now())
    return actor


def _demo_accounts(reg: Registry) -> None:
    """``demo_accounts`` on this registry as if NORMREG_ENVIRONMENT=development had been set."""
    saved = reg.settings
    reg.settings = saved.model_copy(update={"environment": "development"})
    try:
        reg.demo_accounts()
    finally:
        reg.settings = saved


def _clerk(reg: Registry) -> Any:
    if "clerk-intake" not in {u["username"] for u in reg.list_users()}:
        staff.user(reg, "clerk-intake", role="clerk")
    return reg.sign_in("clerk-intake", staff.PASSWORD)[0]


def _intake(reg: Registry) -> dict[str, Any]:
    name = f"u{len(reg.intake_items(actor=_clerk(reg)))}.txt"
    return reg.upload_intake([(name, io.BytesIO(f"示例市{name}登记测试办法\n第一条 测试。\n".encode()))],
                             actor=_clerk(reg))[0]


def _suggestion(reg: Registry) -> int:
    """A citizen's 审查建议 on the base document, sent with a form token a minute old."""
    from registry.models.trust import SuggestionCreate
    from registry.services import suggestions

    doc_id = reg.resolve("示例市基础办法").id
    token = suggestions.form_token(suggestions.form_key(reg.signing_key), doc_id, time.time() - 60)
    sent = reg.submit_suggestion(doc_id, SuggestionCreate(contact="citizen@example.com", text="第三条与上位法不一致。"),
                                 token=token)
    return int(sent["id"])


def _open_task(reg: Registry) -> int:
    """A review task: a document based on another (a confirmed relation), then that basis repealed."""
    from registry.models import Relation

    basis = _doc(reg, f"示例市上位规定{len(reg.list_tasks())}")
    dependent = _doc(reg, f"示例市实施细则{len(reg.list_tasks())}")
    with reg.session() as s:
        s.add(Relation(source_id=dependent, target_id=basis, kind="based_on", target_title="示例市上位规定",
                       quote="根据《示例市上位规定》第三条", state="confirmed"))
        s.commit()
    reg.record_event(basis, EventCreate(type="repealed", date=date(2025, 1, 1)), actor="rev-b")
    [task] = reg.list_tasks(document_id=dependent)
    return int(task.id)


def cases(tmp: Path) -> dict[str, Callable[[Registry], str | None]]:
    """Each write, run on a registry that already holds a few documents; returns a title to search for."""
    src = tmp / "src"
    src.mkdir()
    (src / "a.txt").write_text("示例市人民政府关于印发示例市河道保洁管理办法的通知\n示政发〔2024〕9号\n\n"
                               "第一条 为了规范河道保洁，制定本办法。\n", encoding="utf-8")
    return {
        "ingest": lambda r: (r.ingest([src], as_of=TODAY), "河道保洁")[1],
        "ingest_upload": lambda r: (r.ingest_upload(io.BytesIO("示例市绿道管理办法\n\n第一条 绿道。\n".encode()),
                                                    filename="greenway.txt", actor="clerk-a"), "绿道管理")[1],
        "create_document": lambda r: (_doc(r, "示例市停车收费管理办法"), "停车收费")[1],
        "update_document": lambda r: (r.update_document(_doc(r, "示例市旧名办法"), DocumentUpdate(title="示例市新名办法"),
                                                        expected_version=1, actor="clerk-a"), "新名")[1],
        "record_event": lambda r: (r.record_event(r.resolve("示例市基础办法").id, EventCreate(
            type="repealed", date=date(2025, 1, 1)), actor="rev-b"), None)[1],
        "record_filing": lambda r: (r.record_filing("示例市基础办法", filed_on=date(2024, 1, 20),
                                                    filed_with="示例省人民政府"), None)[1],
        "record_legality_review": lambda r: (r.record_legality_review("示例市基础办法", reviewed_on=date(2024, 1, 2),
                                                                      reviewer="示例市司法局"), None)[1],
        "record_filing_review": lambda r: (r.record_filing_review("示例市基础办法", reviewed_on=date(2024, 3, 1),
                                                                  outcome="撤销"), None)[1],
        "renew": lambda r: (r.renew("示例市基础办法", new_expiry=date(2030, 1, 31), renewed_on=date(2025, 1, 1)), None)[1],
        "link_interpretation": lambda r: (r.link_interpretation("示例市基础办法", interpretation_ref=_doc(
            r, "《示例市基础办法》政策解读", category="政策解读")), None)[1],
        "sweep": lambda r: (r.sweep(at=date(2031, 1, 1)), None)[1],
        "import_campaign": lambda r: (r.import_campaign(_list(tmp, "示例市基础办法"), name="c1"), None)[1],
        "resolve_clearing_row": lambda r: (r.import_campaign(_list(tmp, "无此文件"), name="c2"),
                                           r.resolve_clearing_row("c2", 1, ref="示例市基础办法"), None)[2],
        "apply_campaign": lambda r: (r.import_campaign(_list(tmp, "示例市基础办法"), name="c3"),
                                     r.resolve_clearing_row("c3", 1, ref="示例市基础办法"), r.apply_campaign("c3"),
                                     None)[3],
        "undo_clearing_row": lambda r: (r.import_campaign(_list(tmp, "示例市基础办法"), name="c4"),
                                        r.resolve_clearing_row("c4", 1, ref="示例市基础办法"), r.apply_campaign("c4"),
                                        r.undo_clearing_row("c4", 1, reason="误录"), None)[4],
        "create_token": lambda r: (r.create_token("machine-1", role="clerk"), None)[1],
        "revoke_token": lambda r: (r.create_token("machine-2", role="clerk"), r.revoke_token("machine-2"), None)[2],
        "upload_intake": lambda r: (r.upload_intake([("kept.txt", io.BytesIO("示例市待审文件办法\n".encode()))],
                                                    actor=_clerk(r)), None)[1],
        "discard_intake": lambda r: (r.discard_intake(_intake(r)["id"], actor=_clerk(r)), None)[1],
        # registering keeps the document out of the index until it is published
        "register_intake": lambda r: (r.register_intake(_intake(r)["id"], {"title": "示例市未发布办法"}, actor=_clerk(r)),
                                      None)[1],
        "publish": lambda r: (r.publish(r.register_intake(_intake(r)["id"], {"title": "示例市已发布公示办法"},
                                                          actor=_clerk(r))["id"], actor=_clerk(r)), "已发布公示")[1],
        "propose_change": lambda r: (r.propose_change("示例市基础办法", kind="amended", on=date(2025, 6, 1),
                                                      actor="clerk-a"), None)[1],
        "withdraw_proposal": lambda r: (r.withdraw_proposal(r.propose_change(
            "示例市基础办法", kind="repealed", on=date(2025, 6, 1), actor="clerk-a").id or 0, actor="clerk-a"), None)[1],
        "decide_proposal": lambda r: (r.decide_proposal(r.propose_change(
            "示例市基础办法", kind="declared_invalid", on=date(2025, 6, 1), actor="clerk-a").id or 0, confirm=True,
            actor="rev-b"), None)[1],
        "extend_filing_review": lambda r: (r.extend_filing_review("示例市基础办法", actor="rev-b"), None)[1],
        # accounts touch no document; they must leave the index as it was
        "add_office": lambda r: (staff.offices(r), None)[1],
        "add_user": lambda r: (staff.user(r, f"u{len(r.list_users())}", role="clerk"), None)[1],
        "sign_in": lambda r: (r.sign_in(r.list_users()[0]["username"], staff.PASSWORD), None)[1],
        "session_actor": lambda r: (r.session_actor(r.sign_in(r.list_users()[0]["username"], staff.PASSWORD)[1]),
                                    None)[1],
        "sign_out": lambda r: (r.sign_out(r.sign_in(r.list_users()[0]["username"], staff.PASSWORD)[1]), None)[1],
        "change_password": lambda r: (r.change_password(r.sign_in(r.list_users()[0]["username"], staff.PASSWORD)[0],
                                                        current=staff.PASSWORD, new=staff.PASSWORD), None)[1],
        "create_own_token": lambda r: (r.create_own_token(_me(r), "t1", role="clerk"), None)[1],
        "revoke_own_token": lambda r: (r.create_own_token(_me(r), "t2", role="clerk"),
                                       r.revoke_own_token(_me(r), f"{_me(r).name}/t2"), None)[2],
        "enable_totp": lambda r: (_with_totp(r, "totp1"), None)[1],
        "disable_totp": lambda r: (r.disable_totp(_with_totp(r, "totp2"), password=staff.PASSWORD), None)[1],
        "end_own_session": lambda r: (r.end_own_session(_me(r), session_id(_sign_in(r)[1])), None)[1],
        "revoke_session": lambda r: (r.revoke_session(session_id(_sign_in(r)[1])), None)[1],
        "update_user": lambda r: (r.update_user(_me(r).name, display_name="改名"), None)[1],
        "demo_accounts": lambda r: (_demo_accounts(r), None)[1],
        # trust: statements and 审查建议 record no document change
        "issue_statement": lambda r: (r.issue_statement("示例市基础办法"), None)[1],
        "submit_suggestion": lambda r: (_suggestion(r), None)[1],
        "reply_suggestion": lambda r: (r.reply_suggestion(_suggestion(r), "已研究，予以采纳。", actor="rev-b"), None)[1],
        "resend_suggestion_reply": lambda r: (r.resend_suggestion_reply(
            (n := _suggestion(r), r.reply_suggestion(n, "已答复。", actor="rev-b"))[0], actor="rev-b"), None)[1],
        # law over time: a new text version; a basis review decided
        "add_text_version": lambda r: (r.add_text_version(r.resolve("示例市基础办法").id, TextVersionCreate(
            text="第一条 修改后的测试条文。", in_force_from=date(2025, 3, 1)), actor="clerk-a"), "修改后")[1],
        "resolve_task": lambda r: (r.resolve_task(_open_task(r), decision="继续有效", actor="rev-b"), None)[1],
        "set_user_active": lambda r: (staff.user(r, "gone1", role="clerk"), r.set_user_active("gone1", active=False),
                                      None)[2],
        # follows and deliveries touch no document either
        "follow": lambda r: (r.follow(document="示例市基础办法"), None)[1],
        "subscribe": lambda r: (_subscription(r), None)[1],
        "confirm_subscription": lambda r: (r.confirm_subscription(
            sub := _subscription(r), derive(r.settings, "confirm", sub)), None)[1],
        "unsubscribe": lambda r: (r.unsubscribe(sub := _subscription(r), derive(r.settings, "unsubscribe", sub)),
                                  None)[1],
        "register_webhook": lambda r: (r.register_webhook("http://127.0.0.1:9/h", ["status_changed"]), None)[1],
        "disable_webhook": lambda r: (r.disable_webhook(r.register_webhook("http://127.0.0.1:9/h", ["task_opened"])["id"]),
                                      None)[1],
        "replay_delivery": lambda r: (_replayed(r), None)[1],
        "deliver": lambda r: (r.deliver(), None)[1],
        # an export job is a row of its own: it touches no document
        "request_export": lambda r: (r.request_export(fmt="csv"), r.run_export_jobs(), None)[2],
    }


def _subscription(reg: Registry) -> str:
    """A subscription's id. No mail server here: ``subscribe`` fails and keeps nothing, so the row is made
    by the service, as ``subscribe`` makes it before mailing."""
    follow = reg.follow(document="示例市基础办法")
    with pytest.raises(MailError):
        reg.subscribe(follow["id"], email="a@example.com")
    with reg.session() as s:
        return subscriptions.create(s, s.get(Follow, follow["id"]), email="a@example.com", frequency="daily",
                                    now=reg.now()).id


def _replayed(reg: Registry) -> None:
    hook = reg.register_webhook("http://127.0.0.1:9/h", ["document_added"])
    _doc(reg, "示例市推送重放办法")
    reg.deliver()
    reg.replay_delivery(hook["id"], reg.webhook_deliveries(hook["id"])[1][0]["id"])


def test_every_write_of_the_facade_has_a_case(tmp_path: Path) -> None:
    assert set(cases(tmp_path)) == writes_of_registry()


def test_every_write_reaches_the_index_without_the_caller_doing_anything(registry: Registry, tmp_path: Path) -> None:
    _doc(registry, "示例市基础办法")
    for name, run in cases(tmp_path).items():
        title = run(registry)
        assert pending_outbox(registry.engine) == 0, f"{name} left the outbox pending"
        # compare() holds every document's edit version and status against what the index holds
        assert compare(registry.engine, registry.backend) == [], f"{name} left the index behind"
        if title is not None:
            hits = registry.backend.search(SearchQuery(q=title)).hits
            assert hits, f"{name}: {title} is not found in the index"


def test_a_status_change_is_searchable_at_once(registry: Registry) -> None:
    doc_id = _doc(registry, "示例市公共自行车管理办法")
    registry.record_event(doc_id, EventCreate(type="repealed", date=date(2025, 1, 1)), actor="rev-b")
    hits = registry.search(SearchQuery(q="公共自行车", statuses=["repealed"]))["hits"]
    assert [h["id"] for h in hits] == [doc_id]
