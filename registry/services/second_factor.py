"""The TOTP second factor (RFC 6238, the codes of any authenticator app): enrol, confirm, switch off.

Enrolment is two steps so a mistyped secret never locks anyone out: the page shows a new secret (as text
and as an ``otpauth://`` URI), and only a code made from it switches the factor on. Switching it off needs
the password, so a browser left signed in cannot remove it. Codes are accepted one 30-second step early
or late (clock drift of a phone).
"""

from __future__ import annotations

import pyotp
from sqlmodel import Session

from registry.errors import Conflict, InvalidInput, Unauthorized
from registry.models import User
from registry.services import accounts
from registry.storage import audit

ISSUER = "normreg"


def new_secret() -> str:
    """A fresh random base32 secret (160 bits)."""
    return pyotp.random_base32(32)


def uri(secret: str, username: str) -> str:
    """The ``otpauth://totp/…`` URI an authenticator app reads (as a QR code or pasted)."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def verify(secret: str, code: str | None) -> bool:
    """True when ``code`` is the current code of ``secret`` (± one step); False for anything malformed."""
    code = (code or "").strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        return False
    try:
        return bool(pyotp.TOTP(secret).verify(code, valid_window=1))
    except (ValueError, TypeError):  # a secret that is not base32 (a tampered form)
        return False


def enable(session: Session, user: User, *, secret: str, code: str) -> None:
    """Switch the second factor on with ``secret`` once ``code`` proves the app holds it."""
    if user.totp_secret is not None:
        raise Conflict("两步验证已启用 (two-step verification is already on)")
    secret = secret.strip().upper()
    if not 16 <= len(secret) <= 64 or not verify(secret, code):
        raise InvalidInput("验证码不正确，请用验证器应用中显示的 6 位数字再试 "
                           "(the code does not match; type the 6 digits your authenticator app shows)")
    user.totp_secret = secret
    session.add(user)
    audit.record(session, actor=user.username, action="user.totp_on", target=user.username)
    session.commit()


def disable(session: Session, user: User, *, password: str) -> None:
    """Switch the second factor off after checking the password."""
    if not accounts.verify_password(user.password_hash, password):
        raise Unauthorized("密码不正确 (the password is wrong)")
    if user.totp_secret is None:
        return
    user.totp_secret = None
    session.add(user)
    audit.record(session, actor=user.username, action="user.totp_off", target=user.username)
    session.commit()
