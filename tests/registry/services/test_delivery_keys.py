"""The server key behind webhook secrets and mail tokens: private to its owner, stable across restarts,
and the only place a secret could be read from (the database holds none)."""

from __future__ import annotations

import stat
from pathlib import Path

from sqlalchemy import text

from registry.facade import Registry
from registry.services.delivery_keys import KEY_FILE, check, derive, sign
from tests.conftest import make_settings


def test_the_key_is_0600_and_secrets_survive_a_restart_without_being_stored(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, index_inline=False)
    reg = Registry(settings)
    reg.init()
    hook = reg.register_webhook("http://127.0.0.1:9/h", ["status_changed"])
    reg.close()
    mode = stat.S_IMODE((settings.data_dir / KEY_FILE).stat().st_mode)
    assert mode == 0o600
    again = Registry(settings)
    try:
        assert derive(again.settings, "webhook", hook["id"]) == hook["secret"]
        with again.engine.connect() as conn:
            dump = " ".join(str(row) for table in ("webhooks", "mail_subscriptions", "webhook_deliveries")
                            for row in conn.execute(text(f"SELECT * FROM {table}")))
        assert hook["secret"] not in dump
    finally:
        again.close()
    other = make_settings(tmp_path / "other")
    assert derive(other, "webhook", hook["id"]) != hook["secret"]  # another installation, another key
    assert check(settings, "confirm", "abc", derive(settings, "confirm", "abc"))
    assert not check(settings, "confirm", "abd", derive(settings, "confirm", "abc"))
    # the header a receiver checks: HMAC-SHA256 of the raw body, lowercase hex, after "sha256="
    assert sign("k", b"{}") == "sha256=add853b103fbcc936a194f9eb15e29c4ff08af6e47d5d1bca4f20218e31e4fff"
