"""``normreg deliver`` and ``normreg worker --once``: one delivery pass from the command line."""

from __future__ import annotations

from pathlib import Path

from registry.facade import Registry
from registry.models import DocumentCreate
from tests.conftest import make_settings
from tests.registry.cli.test_app import run


def test_deliver_runs_one_pass_and_the_worker_delivers_too(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, index_inline=False)
    reg = Registry(settings)
    reg.init()
    hook = reg.register_webhook("http://127.0.0.1:9/nobody-listens", ["document_added"])
    reg.create_document(DocumentCreate(title="示例市命令行推送测试办法"))
    reg.close()
    code, data = run(settings, "deliver", "--json")
    assert code == 0 and data["queued"] == 1 and data["retrying"] == 1 and data["delivered"] == 0
    code, data = run(settings, "worker", "--once", "--json")
    assert code == 0 and data["delivered"] == 0
    reg = Registry(settings)
    try:
        [entry] = reg.webhook_deliveries(hook["id"])[1]
        assert entry["attempts"] == 1  # the worker's pass found nothing due yet (30 s backoff)
    finally:
        reg.close()
