"""Demo offices and staff accounts for ``make run``, so a newcomer can sign in to the workbench at once.

Development only (the façade refuses otherwise): the passwords are fixed, printed values. Running it
again changes nothing that exists (an office or user already there is left as it is, password included).
Demo documents then belong to their office by one rule, :func:`office_for_issuer`.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select, update

from registry.models import Document, Office, User
from registry.services import accounts

DEMO_PASSWORD = "normreg-demo-2026"  # development only; printed by `make run`
CITY = "示例市人民政府办公室"
OFFICES: tuple[tuple[str, str, str | None, str | None], ...] = (  # name, code, parent, region
    (CITY, "ZF", None, "SL"),
    ("示例市司法局", "SD03", CITY, None),
    ("示例市交通运输局", "JT05", CITY, None),
)
USERS: tuple[tuple[str, str, str, str], ...] = (  # username, shown name, office, role
    ("admin", "系统管理员", CITY, "admin"),
    ("zhao.lei", "赵磊（审核）", CITY, "reviewer"),
    ("li.ming", "李明（司法局）", "示例市司法局", "clerk"),
    ("chen.jing", "陈静（交通运输局）", "示例市交通运输局", "clerk"),
)


def office_for_issuer(issuer: str | None, offices: dict[str, int]) -> int | None:
    """The office a document of ``issuer`` belongs to: the office of that name, or for a government the
    general office that registers its documents (示例市人民政府 → 示例市人民政府办公室)."""
    if not issuer:
        return None
    return offices.get(issuer) or offices.get(f"{issuer}办公室")


def ensure(session: Session, *, actor: str) -> dict[str, Any]:
    """Create the demo offices and users that are missing and give unowned documents their office."""
    have = {o.name for o in session.exec(select(Office))}
    made_offices = []
    for name, code, parent, region in OFFICES:
        if name not in have:
            accounts.add_office(session, name=name, code=code, parent=parent, region=region, actor=actor)
            made_offices.append(name)
    users = {u.username for u in session.exec(select(User))}
    out = []
    for username, shown, office, role in USERS:
        if username not in users:
            accounts.add_user(session, username=username, office=office, role=role, password=DEMO_PASSWORD,
                              display_name=shown, actor=actor)
        out.append({"username": username, "password": DEMO_PASSWORD, "created": username not in users,
                    "role": role, "office": office, "display_name": shown})
    ids = {o.name: o.id for o in session.exec(select(Office))}
    assigned = 0
    issuers = session.exec(select(Document.issuer).where(col(Document.office_id).is_(None)).distinct()).all()
    for issuer in issuers:
        office_id = office_for_issuer(issuer, ids)  # type: ignore[arg-type]
        if office_id is not None:
            result = session.execute(update(Document).where(col(Document.issuer) == issuer,
                                                            col(Document.office_id).is_(None))
                                     .values(office_id=office_id))
            assigned += int(result.rowcount or 0)  # type: ignore[attr-defined]
    session.commit()
    return {"offices_added": made_offices, "users": out, "documents_assigned": assigned}
