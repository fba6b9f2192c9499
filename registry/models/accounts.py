"""Offices, staff accounts and their browser sessions.

An office (示例市司法局, a bureau) owns the documents it registers; offices form a tree (a government's
legal office above its bureaus) and a reviewer's reach is the own office and everything under it.
Passwords are kept as argon2 hashes only; a browser session is a random secret of which only the
SHA-256 is stored, so a copy of the database signs nobody in.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from registry.models._types import ts_column, utcnow


class Office(SQLModel, table=True):
    """An office that registers documents. ``code`` is its short code in registration numbers (e.g. ``SD``);
    ``region`` the jurisdiction's code (e.g. ``SL``); ``number_pattern`` overrides the pattern inherited
    from the parent office or the settings."""

    __tablename__ = "offices"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=200)
    code: str = Field(unique=True, max_length=20)
    parent_id: int | None = Field(default=None, foreign_key="offices.id", index=True)
    region: str | None = Field(default=None, max_length=100)
    number_pattern: str | None = Field(default=None, max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column())


class User(SQLModel, table=True):
    """A member of staff. ``role`` is clerk, reviewer or admin; ``totp_secret`` is set once a second factor
    is enrolled. A deactivated user keeps its row (the events it recorded name it)."""

    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, max_length=64)
    display_name: str = Field(max_length=100)
    office_id: int = Field(foreign_key="offices.id", index=True)
    role: str = Field(max_length=20)
    password_hash: str = Field(max_length=200)
    totp_secret: str | None = Field(default=None, max_length=64)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column())
    password_changed_at: datetime = Field(default_factory=utcnow, sa_column=ts_column())


class StaffSession(SQLModel, table=True):
    """A signed-in browser. The cookie carries a secret; the row keeps its SHA-256 (``id``). A session ends
    when it expires, when it is revoked (sign-out, password change, an admin) or when its user is
    deactivated."""

    __tablename__ = "staff_sessions"

    id: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="users.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=ts_column())
    last_seen_at: datetime = Field(default_factory=utcnow, sa_column=ts_column())
    expires_at: datetime = Field(sa_column=ts_column())
    revoked_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True))
    client: str | None = Field(default=None, max_length=100)
    user_agent: str | None = Field(default=None, max_length=300)


class SignInFailure(SQLModel, table=True):
    """One failed sign-in, kept for the throttling window only. ``username`` is what was typed (lower-cased),
    whether or not such a user exists, so a lock says nothing about who has an account; ``client`` is the
    caller's address. A successful sign-in deletes the failures of that username from that client only."""

    __tablename__ = "sign_in_failures"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, index=True)
    client: str = Field(max_length=100, index=True)
    failed_at: datetime = Field(default_factory=utcnow, sa_column=ts_column(index=True))
