"""Follows and deliveries: what notices cost a writer, and how fast the queue drains to a webhook.

    .venv/bin/python bench/deliveries_bench.py --docs 1000

On a fresh SQLite registry in a temporary directory:

- ``refresh_ms`` / ``publish_ms``: one batch refresh of ``--docs`` documents' statuses (the bulk import's
  path, which publishes its notices in the same transaction) and, in the same run, the ``publish_many``
  call alone for as many notices; ``publish_share`` is their ratio (the writer's cost of announcing);
- ``fan_out_ms``, ``send_ms``, ``per_second``: queuing one delivery per status change for one webhook,
  then POSTing them all to a receiver on loopback (http.server thread, keep-alive);
- CPU user+sys of the process over each step and the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert
from sqlmodel import select

from registry.actions.follows import MovingClock
from registry.facade import Registry
from registry.models import Document
from registry.services import notices
from registry.services.validity import refresh_statuses
from registry.settings import Settings


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    count = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        Handler.count += 1
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def timed(fn: Any) -> tuple[Any, float, float]:
    c0, t0 = cpu(), time.perf_counter()
    out = fn()
    return out, (time.perf_counter() - t0) * 1000, (cpu() - c0) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1000)
    args = ap.parse_args()
    load_before = os.getloadavg()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as tmp:
        clock = MovingClock()
        reg = Registry(Settings(data_dir=Path(tmp), index_inline=False), clock=clock)
        reg.init()
        reg.register_webhook(f"http://127.0.0.1:{server.server_address[1]}/hook", ["status_changed"])
        now = clock.now()
        with reg.session() as s:
            s.execute(insert(Document.__table__), [  # type: ignore[attr-defined]
                {"id": f"b{i:06d}", "title": f"文件{i}", "title_key": f"文件{i}", "co_issuers": [], "text": "",
                 "status": "unknown", "status_reason": "", "version": 1, "pinned": False,
                 "effective_date": date(2026, 1, 1), "created_at": now, "updated_at": now, "published_at": now}
                for i in range(args.docs)])
            s.commit()
            docs = list(s.exec(select(Document)))
            _, refresh_ms, refresh_cpu = timed(lambda: refresh_statuses(s, [(d, [], None) for d in docs], clock()))
            s.commit()
            items = [(d.id, {"old_status": "in_force", "new_status": "repealed", "reason": "x", "event_id": None})
                     for d in docs]
            _, publish_ms, publish_cpu = timed(lambda: notices.publish_many(s, "version_added", items))
            s.commit()
        with reg.session() as s:
            from registry.services import deliveries
            queued, fan_ms, fan_cpu = timed(lambda: deliveries.fan_out(s, now=now, base_url="http://x"))
        sent, send_ms, send_cpu = timed(lambda: deliveries.send_due(reg.session, reg.settings, now=now))
        reg.close()
    server.shutdown()
    print(json.dumps({
        "docs": args.docs, "refresh_ms": round(refresh_ms, 1), "refresh_cpu_ms": round(refresh_cpu, 1),
        "publish_ms": round(publish_ms, 1), "publish_cpu_ms": round(publish_cpu, 1),
        "publish_share": round(publish_ms / refresh_ms, 3), "queued": queued, "fan_out_ms": round(fan_ms, 1),
        "fan_out_cpu_ms": round(fan_cpu, 1), "delivered": sent["delivered"], "received": Handler.count,
        "send_ms": round(send_ms, 1), "send_cpu_ms": round(send_cpu, 1),
        "per_second": round(sent["delivered"] / (send_ms / 1000), 1),
        "load_before": load_before, "load_after": os.getloadavg(),
    }, indent=1))


if __name__ == "__main__":
    main()
