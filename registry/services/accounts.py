"""Offices and staff accounts: who works here, for which office, in which role.

Passwords are hashed with argon2id (``argon2-cffi``'s defaults, re-hashed on sign-in when those change);
they are never logged, returned or stored in the clear. A user's reach (the offices whose documents the
user may edit) follows the office tree: a clerk's own office; a reviewer's office and every office under
it; an admin's every office.
"""

from __future__ import annotations

import re
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, or_, select

from registry.errors import Conflict, InvalidInput, NotFound
from registry.models import Office, User
from registry.rules.actors import ROLES, Actor
from registry.storage import audit

_hasher = PasswordHasher()
CODE = re.compile(r"^[A-Za-z0-9]{1,20}$")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 10
PATTERN_FIELDS = frozenset({"region", "code", "year", "seq"})


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches; never raises for a wrong or malformed hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def check_password_rules(password: str, *, username: str) -> None:
    """InvalidInput unless the password is at least 10 characters and not the username."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"密码至少 {MIN_PASSWORD} 个字符 (a password needs at least {MIN_PASSWORD} characters)")
    if len(password) > 200:
        raise InvalidInput("密码过长 (a password has at most 200 characters)")
    if password.strip().lower() == username.lower():
        raise InvalidInput("密码不能与用户名相同 (the password must not be the username)")


# ---------------------------------------------------------------------------------------------- offices

def find_office(session: Session, ref: str) -> Office:
    """The office a name, short code or id names; NotFound otherwise."""
    ref = ref.strip()
    clauses = [col(Office.name) == ref, col(Office.code) == ref.upper()]
    if ref.isdigit():
        clauses.append(col(Office.id) == int(ref))
    office = session.exec(select(Office).where(or_(*clauses))).first()
    if office is None:
        raise NotFound(f"没有名为 {ref!r} 的机关 (no office named {ref!r})")
    return office


def add_office(session: Session, *, name: str, code: str, parent: str | None = None, region: str | None = None,
               number_pattern: str | None = None, actor: str) -> Office:
    """Create an office; Conflict when its name or code is taken, NotFound for an unknown parent."""
    name, code = name.strip(), code.strip().upper()
    if not name or len(name) > 200:
        raise InvalidInput("机关名称须为 1 至 200 个字符 (an office name has 1 to 200 characters)")
    if not CODE.match(code):
        raise InvalidInput("简称代码只能含字母和数字，至多 20 位 (a short code is 1 to 20 letters or digits)")
    parent_row = find_office(session, parent) if parent else None
    check_pattern(number_pattern)
    if session.exec(select(Office).where(or_(col(Office.name) == name, col(Office.code) == code))).first():
        raise Conflict(f"名称 {name!r} 或代码 {code!r} 已被使用 (an office with that name or code exists)")
    office = Office(name=name, code=code, parent_id=parent_row.id if parent_row else None,
                    region=(region or "").strip() or (parent_row.region if parent_row else None),
                    number_pattern=(number_pattern or "").strip() or None)
    session.add(office)
    audit.record(session, actor=actor, action="office.add", target=name,
                 details={"code": code, "parent": parent_row.name if parent_row else None})
    try:
        session.commit()
    except IntegrityError as exc:  # a concurrent add of the same office
        session.rollback()
        raise Conflict(f"an office named {name!r} or coded {code!r} exists") from exc
    return office


def check_pattern(pattern: str | None) -> None:
    """InvalidInput unless an office's own 统一登记号 pattern has a serial (``{seq}``, ``{seq:04}``) and only
    the known fields, so a typo is caught when the office is added, not at its first registration."""
    if not (pattern or "").strip():
        return
    fields = set(re.findall(r"{([a-z_]+)(?::0?\d+)?}", pattern or ""))
    unknown = fields - PATTERN_FIELDS
    if "seq" not in fields or unknown or len(pattern or "") > 100:
        raise InvalidInput("登记号格式须含 {seq}，只可用 {region} {code} {year} {seq:04} "
                           "(a pattern needs {seq} and may use only {region} {code} {year} {seq:04})",
                           details={"pattern": pattern, "unknown": sorted(unknown)})


def list_offices(session: Session) -> list[Office]:
    return list(session.exec(select(Office).order_by(col(Office.id))))


def office_reach(session: Session, office_id: int) -> frozenset[int]:
    """The office and every office under it, however deep (a cycle cannot occur: parents exist first)."""
    children: dict[int | None, list[int]] = {}
    for oid, parent in session.exec(select(Office.id, Office.parent_id)):
        children.setdefault(parent, []).append(oid)  # type: ignore[arg-type]
    reach, todo = {office_id}, [office_id]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in reach:
                reach.add(child)
                todo.append(child)
    return frozenset(reach)


def office_public(office: Office, offices: dict[int, Office] | None = None) -> dict[str, Any]:
    parent = offices.get(office.parent_id) if offices and office.parent_id else None
    return {"id": office.id, "name": office.name, "code": office.code, "region": office.region,
            "parent": parent.name if parent else None, "number_pattern": office.number_pattern}


# ------------------------------------------------------------------------------------------------ users

def find_user(session: Session, username: str) -> User:
    user = session.exec(select(User).where(User.username == username.strip().lower())).first()
    if user is None:
        raise NotFound(f"没有用户 {username!r} (no user {username!r})")
    return user


def add_user(session: Session, *, username: str, office: str, role: str, password: str,
             display_name: str | None = None, actor: str) -> User:
    """Create an active user; the password is checked against the rules and stored hashed only."""
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise InvalidInput("用户名为 2 至 64 个小写字母、数字或 . _ - (a username is 2-64 lowercase letters, digits, . _ -)")
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}; use clerk, reviewer or admin", details={"allowed": list(ROLES)})
    check_password_rules(password, username=username)
    office_row = find_office(session, office)
    if session.exec(select(User).where(User.username == username)).first() is not None:
        raise Conflict(f"用户名 {username!r} 已存在 (the username {username!r} is taken)")
    user = User(username=username, display_name=(display_name or "").strip() or username,
                office_id=office_row.id, role=role, password_hash=hash_password(password))  # type: ignore[arg-type]
    session.add(user)
    audit.record(session, actor=actor, action="user.add", target=username,
                 details={"office": office_row.name, "role": role})
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise Conflict(f"the username {username!r} is taken") from exc
    return user


def update_user(session: Session, *, username: str, role: str | None = None, office: str | None = None,
                display_name: str | None = None, actor: str) -> User:
    """Change a user's role, office or shown name; audited with the old and new values. A session or token
    of the user acts with the new reach from its next request (the reach is computed per request)."""
    user = find_user(session, username)
    before = {"role": user.role, "office_id": user.office_id, "display_name": user.display_name}
    if role is not None:
        if role not in ROLES:
            raise InvalidInput(f"unknown role {role!r}; use clerk, reviewer or admin", details={"allowed": list(ROLES)})
        user.role = role
    if office is not None:
        user.office_id = find_office(session, office).id  # type: ignore[assignment]
    if display_name is not None and display_name.strip():
        user.display_name = display_name.strip()[:100]
    after = {"role": user.role, "office_id": user.office_id, "display_name": user.display_name}
    if after != before:
        session.add(user)
        audit.record(session, actor=actor, action="user.update", target=user.username,
                     details={"before": before, "after": after})
        session.commit()
    return user


def list_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(col(User.id))))


def actor_for(session: Session, user: User, *, role: str | None = None) -> Actor:
    """The actor a signed-in user (or a token of the user, capped at ``role``) acts as."""
    effective = user.role if role is None else min(user.role, role, key=ROLES.index)
    reach: frozenset[int] | None
    if effective == "admin":
        reach = None
    elif effective == "reviewer":
        reach = office_reach(session, user.office_id)
    else:
        reach = frozenset({user.office_id})
    return Actor(name=user.username, role=effective, user_id=user.id, office_id=user.office_id, reach=reach,
                 display_name=user.display_name)


def user_public(user: User, offices: dict[int, Office] | None = None) -> dict[str, Any]:
    """What may be shown about a user: never the password hash or the second-factor secret."""
    office = offices.get(user.office_id) if offices else None
    return {"id": user.id, "username": user.username, "display_name": user.display_name, "role": user.role,
            "office_id": user.office_id, "office": office.name if office else None, "active": user.active,
            "totp": user.totp_secret is not None, "created_at": user.created_at.isoformat()}

