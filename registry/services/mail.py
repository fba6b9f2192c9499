"""Sending mail over SMTP (``NORMREG_SMTP_URL``): subscriptions' confirmations and digests, replies to 审查建议.

One function, :func:`send_mail`, so every part of the registry sends the same way: a plain-text body
(with an optional HTML alternative), UTF-8 headers, a ``Message-ID`` of our own and, where the caller
gives them, ``List-Unsubscribe`` headers (RFC 8058 one-click). Failures raise :class:`MailError` with the
server's answer and never the password; callers that queue mail keep the item and try again later.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import unquote, urlsplit

from registry.errors import Unavailable
from registry.settings import Settings


class MailError(Unavailable):
    """The mail server could not be reached or refused the message."""

    code = "mail_failed"


def build_message(settings: Settings, to: str, subject: str, text: str, *, html: str | None = None,
                  unsubscribe_url: str | None = None) -> EmailMessage:
    """The message as it will be sent (tests and previews read it without a server)."""
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="normreg")
    if unsubscribe_url:
        msg["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    return msg


def send_mail(settings: Settings, to: str, subject: str, text: str, *, html: str | None = None,
              unsubscribe_url: str | None = None, timeout: float = 10.0) -> str:
    """Send one message; returns its ``Message-ID``. Raises :class:`MailError` when it was not accepted."""
    if not settings.smtp_url:
        raise MailError("没有配置邮件服务器（NORMREG_SMTP_URL）/ no mail server is configured (NORMREG_SMTP_URL)")
    url = urlsplit(settings.smtp_url)
    if url.scheme not in ("smtp", "smtps"):
        raise MailError(f"NORMREG_SMTP_URL must start with smtp:// or smtps://, not {url.scheme}://")
    msg = build_message(settings, to, subject, text, html=html, unsubscribe_url=unsubscribe_url)
    host = url.hostname or "127.0.0.1"
    try:
        if url.scheme == "smtps":
            client: smtplib.SMTP = smtplib.SMTP_SSL(host, url.port or 465, timeout=timeout,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(host, url.port or 25, timeout=timeout)
        with client:
            client.ehlo()
            if url.scheme == "smtp" and client.has_extn("starttls"):
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if url.username:
                client.login(unquote(url.username), unquote(url.password or ""))
            client.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:  # refused, unreachable, timed out, TLS failed
        raise MailError(f"邮件未发出 / mail not sent to {to}: {type(exc).__name__}: {exc}") from exc
    return str(msg["Message-ID"])
