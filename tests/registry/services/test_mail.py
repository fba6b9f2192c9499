"""Mail goes out over real SMTP: the message arrives whole, in UTF-8, and a dead server is a clear error."""

from __future__ import annotations

from typing import Any

import pytest

from registry.services.mail import MailError, send_mail
from registry.settings import Settings


def test_a_message_reaches_the_server_with_chinese_subject_and_unsubscribe_headers(smtp: Any, tmp_path: Any) -> None:
    settings = Settings(data_dir=tmp_path, smtp_url=smtp.url, mail_from="登记系统 <registry@example.gov.cn>")
    msg_id = send_mail(settings, "citizen@example.com", "《示例办法》状态变更", "已废止。\n详见链接。",
                       unsubscribe_url="http://127.0.0.1:8000/unsubscribe/abc")
    [received] = smtp.wait(1)
    assert received["Subject"] == "《示例办法》状态变更"
    assert received["Message-ID"] == msg_id
    assert received["List-Unsubscribe"] == "<http://127.0.0.1:8000/unsubscribe/abc>"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "已废止" in received.get_content()


def test_an_unreachable_server_is_a_mail_error_without_the_password(tmp_path: Any) -> None:
    settings = Settings(data_dir=tmp_path, smtp_url="smtp://user:s3cret@127.0.0.1:9")
    with pytest.raises(MailError) as err:
        send_mail(settings, "a@example.com", "x", "y", timeout=2)
    assert "s3cret" not in err.value.message
    assert err.value.to_dict()["error"]["code"] == "mail_failed"


def test_no_configured_server_is_refused_in_words(tmp_path: Any) -> None:
    with pytest.raises(MailError, match="NORMREG_SMTP_URL"):
        send_mail(Settings(data_dir=tmp_path), "a@example.com", "x", "y")
