"""Documents owned by an office, made as a clerk of that office would (through the real registry)."""

from __future__ import annotations

from datetime import date
from typing import Any

from registry.facade import Registry
from registry.models import DocumentCreate
from registry.rules.actors import Actor
from tests.support import staff


def actor(reg: Registry, username: str, *, role: str, office: str = staff.JUSTICE[0]) -> Actor:
    """A user of ``office`` (created unless it exists) as the registry authenticates them."""
    if username not in {u["username"] for u in reg.list_users()}:
        staff.user(reg, username, role=role, office=office, display_name=f"{username}名")
    who, _ = reg.sign_in(username, staff.PASSWORD)
    return who


def office_doc(reg: Registry, who: Actor, title: str, *, published: date | None = None, **extra: Any) -> str:
    """A normative document created by ``who`` (so it belongs to their office); returns its id."""
    fields: dict[str, Any] = {"issuer": "示例市司法局", "category": "行政规范性文件", "publication_date": published,
                              "effective_date": published, **extra}
    return str(reg.create_document(DocumentCreate(title=title, **fields), actor=who)["id"])
