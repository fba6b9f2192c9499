"""Signed validity statements: issued, kept, verified by anyone holding the public key, and told apart when
the registry's answer changed (authentic, not current) or the statement was altered (not authentic)."""

from __future__ import annotations

import base64
import itertools
import json
import os
import stat
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from registry.facade import Registry
from registry.models import DocumentCreate, EventCreate
from registry.services.signing import key_path
from tests.conftest import make_settings

_seq = itertools.count(100)


@pytest.fixture(scope="module")
def reg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    """One SQLite registry for the checks that need no second database (each test adds its own documents)."""
    r = Registry(make_settings(tmp_path_factory.mktemp("statements")))
    r.init()
    yield r
    r.close()


def _two_documents(reg: Registry) -> tuple[str, str]:
    n = next(_seq)
    old = reg.create_document(DocumentCreate(title=f"示例市停车管理暂行办法{n}", doc_number=f"示政发〔2019〕{n}号",
                                             issuer="示例市人民政府", publication_date=date(2019, 2, 1),
                                             effective_date=date(2019, 3, 1)))
    new = reg.create_document(DocumentCreate(title=f"示例市停车管理办法{n}", doc_number=f"示政发〔2026〕{n}号",
                                             issuer="示例市人民政府", publication_date=date(2026, 1, 5),
                                             effective_date=date(2026, 1, 5)))
    return old["id"], new["id"]


def _repeal(reg: Registry, doc_id: str, successor: str, on: date) -> None:
    reg.record_event(doc_id, EventCreate(type="repealed", date=on, legal_basis="示政发〔2026〕2号第二十条",
                                         payload={"successor": successor}))


def _independent_check(statement: dict[str, Any], public_key_b64url: str) -> bool:
    """What an outside verifier does with only the published key and the documented canonical form."""
    rest = {k: v for k, v in statement.items() if k != "signature"}
    data = json.dumps(rest, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    pad = lambda s: s + "=" * (-len(s) % 4)  # noqa: E731
    key = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(pad(public_key_b64url)))
    try:
        key.verify(base64.urlsafe_b64decode(pad(statement["signature"])), data)
    except InvalidSignature:
        return False
    return True


def test_a_statement_then_a_repeal_is_authentic_but_no_longer_current(registry: Registry) -> None:
    old, new = _two_documents(registry)
    today = registry.today()
    stmt = registry.issue_statement(old)
    assert stmt["status"] == "in_force" and stmt["asked_for"] == today.isoformat()
    assert stmt["document"]["id"] == old and stmt["data_as_of"] and stmt["issued_at"].endswith("Z")
    assert registry.verify_statement(stmt)["current"] is True

    _repeal(registry, old, new, today)
    answer = registry.verify_statement(stmt)
    assert answer["authentic"] is True
    assert answer["current"] is False
    assert "已不是本库今天的答复" in answer["reason"] and "no longer the registry's answer today" in answer["reason"]
    assert answer["answer_today"]["status"] == "repealed"
    # the stored statement is returned unchanged, so it still verifies the same way
    assert registry.get_statement(stmt["id"]) == stmt


def test_one_character_changed_is_not_authentic(reg: Registry) -> None:
    old, _new = _two_documents(reg)
    stmt = reg.issue_statement(old)
    for field, value in (("label", "有效 "), ("asked_for", "2019-03-02"), ("reason", stmt["reason"][:-1] + "。"),
                         ("status", "in_forcE")):
        forged = json.loads(json.dumps(stmt))
        forged[field] = value if value != stmt[field] else value + "x"
        answer = reg.verify_statement(forged)
        assert answer == {**answer, "authentic": False, "current": False}, field
        assert "签名与内容不符" in answer["reason"]
    broken_sig = {**stmt, "signature": stmt["signature"][:-2] + ("AA" if stmt["signature"][-2:] != "AA" else "BB")}
    assert reg.verify_statement(broken_sig)["authentic"] is False


def test_anything_that_is_not_a_statement_is_answered_not_authentic(reg: Registry) -> None:
    junks: list[Any] = [None, [], "text", {"signature": 5}, {"signature": "!!", "key_id": "x"}]
    for junk in junks:
        answer = reg.verify_statement(junk)
        assert answer["authentic"] is False and answer["current"] is False and answer["reason"], junk


def test_an_outside_verifier_checks_the_signature_with_the_published_key_alone(reg: Registry) -> None:
    _old, new = _two_documents(reg)
    stmt = reg.issue_statement(new, date(2026, 2, 1))
    published = reg.public_key()
    assert published["key_id"] == stmt["key_id"] and published["jwk"]["crv"] == "Ed25519"
    assert _independent_check(stmt, published["public_key"])
    assert not _independent_check({**stmt, "status": "repealed"}, published["public_key"])


def test_a_repeal_taking_effect_after_the_date_asked_leaves_the_statement_current(reg: Registry) -> None:
    old, new = _two_documents(reg)
    asked = reg.today() - timedelta(days=30)
    stmt = reg.issue_statement(old, asked)
    _repeal(reg, old, new, reg.today())
    answer = reg.verify_statement(stmt)
    assert answer["authentic"] is True and answer["current"] is True, answer


def test_the_key_is_private_to_its_owner_and_survives_a_restart(reg: Registry) -> None:
    old, _new = _two_documents(reg)
    stmt = reg.issue_statement(old)
    path = key_path(reg.settings)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    again = Registry(reg.settings)
    try:
        assert again.public_key()["key_id"] == stmt["key_id"]
        assert again.verify_statement(stmt)["authentic"] is True
    finally:
        again.close()


def test_a_statement_from_another_key_is_not_authentic(reg: Registry, tmp_path: Any) -> None:
    old, _new = _two_documents(reg)
    stmt = reg.issue_statement(old)
    other_settings = reg.settings.model_copy(update={"signing_key_path": tmp_path / "other.pem"})
    other = Registry(other_settings)
    try:
        answer = other.verify_statement(stmt)
        assert answer["authentic"] is False and stmt["key_id"] in answer["reason"]
    finally:
        other.close()
