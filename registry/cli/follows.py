"""``normreg deliver``: one delivery pass (webhooks fanned out and sent, mail digests), for cron or tests."""

from __future__ import annotations

from typing import Any

from registry.cli.common import JsonOpt, _emit, _registry, err


def deliver(as_json: JsonOpt = False) -> None:
    """Deliver what is due once: queue new notices for webhooks, POST due deliveries, send due digests."""
    with _registry(as_json) as reg:
        data = reg.deliver()

        def human(d: dict[str, Any]) -> None:
            err.print(f"queued {d['queued']}, delivered {d['delivered']}, retrying {d['retrying']}, "
                      f"gave up {d['failed']}; mail sent {d['mail_sent']}, failed {d['mail_failed']}")

        _emit(data, as_json, human)
