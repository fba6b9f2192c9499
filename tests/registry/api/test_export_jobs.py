"""Large exports run as jobs whose file is downloaded later (issue 18, the high finding's last part).

A low ``export_stream_max_rows`` makes a dozen documents "large". Jobs run in the server's background
thread (``export_jobs_inline``) or, where a test wants to hold time still, by ``run_export_jobs`` on the
same database; both are the code production runs.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import select

from registry.actions.follows import MovingClock
from registry.facade import Registry
from registry.models import DocumentCreate, ExportJob
from registry.services import export_jobs
from registry.services.documents import create_document
from registry.settings import Settings
from tests.registry.api.conftest import ClientFactory

DOCS = 12
SMALL = 5  # the streaming threshold in these tests: every export of the DOCS documents is a job


def _fill(reg: Registry, n: int = DOCS, **fields: Any) -> None:
    with reg.session() as s:
        for i in range(n):
            create_document(s, data=DocumentCreate(**{"title": f"示例市导出任务测试办法{i:02d}", "text": f"第一条 正文{i}。",
                                                      "issuer": "示例市人民政府" if i % 2 else "示例市财政局",
                                                      "publication_date": date(2020 + i % 4, 1, 1 + i), **fields}),
                            today=date(2026, 1, 1))


def _wait_done(c: TestClient, job_id: str, timeout: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = c.get(f"/api/v1/exports/{job_id}").json()
        if job["state"] not in ("queued", "running"):
            return dict(job)
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {job['state']} after {timeout} s")


@pytest.fixture
def jobs_client(client_with: ClientFactory) -> Iterator[TestClient]:
    with client_with(export_stream_max_rows=SMALL, export_poll_seconds=0.2) as c:
        _fill(c.app.state.registry)  # type: ignore[attr-defined]
        yield c


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_large_export_becomes_a_job_whose_file_equals_the_streamed_export(jobs_client: TestClient, fmt: str) -> None:
    c = jobs_client
    r = c.get("/api/v1/documents/export", params={"format": fmt, "issuer": ["示例市人民政府", "示例市财政局"]})
    assert r.status_code == 202 and r.headers["location"] == r.json()["url"]
    assert r.json()["rows_total"] == DOCS
    job = _wait_done(c, r.json()["id"])
    assert job["state"] == "done" and job["rows_done"] == DOCS and job["file_url"]
    got = c.get(job["file_url"])
    media = {"csv": "text/csv", "json": "application/json"}[fmt]
    assert got.status_code == 200 and got.headers["content-type"].startswith(media)
    reg: Registry = c.app.state.registry  # type: ignore[attr-defined]
    body, _ = reg.export_documents(fmt=fmt, issuer=["示例市人民政府", "示例市财政局"])
    assert got.content == b"".join(body)  # byte for byte what the stream would have sent
    # below the threshold the same route still streams
    small = c.get("/api/v1/documents/export", params={"format": fmt, "year": 2020})
    assert small.status_code == 200 and small.text.count("示例市导出任务测试办法") == DOCS // 4


def test_identical_requests_share_one_job_and_other_filters_get_their_own(jobs_client: TestClient) -> None:
    c = jobs_client
    first = c.get("/api/v1/documents/export", params={"format": "csv"}).json()
    again = c.get("/api/v1/documents/export", params={"format": "csv"}).json()
    posted = c.post("/api/v1/exports", params={"format": "csv"})
    assert posted.status_code in (200, 202) and first["id"] == again["id"] == posted.json()["id"]
    _wait_done(c, first["id"])
    assert c.get("/api/v1/documents/export", params={"format": "csv"}).json()["id"] == first["id"]  # done, fresh
    other = c.post("/api/v1/exports", params={"format": "xlsx"}).json()
    assert other["id"] != first["id"] and len(first["id"]) >= 40  # unguessable: 256 random bits
    with c.app.state.registry.read_session() as s:  # type: ignore[attr-defined]
        assert len(s.exec(select(ExportJob)).all()) == 2


def test_a_job_file_is_409_while_prepared_and_410_once_expired(settings: Settings) -> None:
    clock = MovingClock()
    reg = Registry(settings.model_copy(update={"export_stream_max_rows": SMALL, "export_jobs_inline": False}),
                   clock=clock)
    reg.init()
    try:
        _fill(reg)
        job = reg.request_export(fmt="csv")
        with pytest.raises(Exception) as not_ready:
            reg.export_job_file(job.id)
        assert getattr(not_ready.value, "status_code", None) == 409
        assert reg.run_export_jobs()["done"] == 1
        done = reg.export_job(job.id)
        name = f"exports/{job.id}.csv"
        assert done.state == "done" and reg.files.exists(name)
        clock.advance(hours=23)
        assert reg.run_export_jobs()["expired"] == 0 and reg.files.exists(name)
        clock.advance(hours=2)
        assert reg.run_export_jobs()["expired"] == 1
        assert not reg.files.exists(name) and reg.export_job(job.id).state == "expired"
        with pytest.raises(Exception) as gone:
            reg.export_job_file(job.id)
        assert getattr(gone.value, "status_code", None) == 410
        assert reg.request_export(fmt="csv").id != job.id  # an expired job is not shared: a new one starts
    finally:
        reg.close()


def test_an_expired_job_answers_410_over_http(jobs_client: TestClient) -> None:
    c = jobs_client
    job = _wait_done(c, c.post("/api/v1/exports", params={"format": "json"}).json()["id"])
    reg: Registry = c.app.state.registry  # type: ignore[attr-defined]
    with reg.read_session() as s:
        row = s.get(ExportJob, job["id"])
    assert row is not None and row.expires_at is not None
    export_jobs.expire(reg.session, reg.files, row.expires_at)  # its time came: the next pass's expiry
    r = c.get(f"/api/v1/exports/{job['id']}/file")
    assert r.status_code == 410 and r.json()["error"]["code"] == "gone"
    assert not reg.files.exists(f"exports/{job['id']}.json")
    assert c.get("/api/v1/exports/nosuchjob").status_code == 404


def test_progress_is_recorded_while_a_job_runs(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_jobs, "PROGRESS_ROWS", 3)
    reg = Registry(settings.model_copy(update={"export_jobs_inline": False}))
    reg.init()
    try:
        _fill(reg)
        job = reg.request_export(fmt="csv")
        seen: list[int] = []
        claimed = export_jobs.claim(reg.session, reg.now(), export_jobs.timedelta(minutes=2))
        assert claimed is not None

        def now() -> Any:  # called at every renewal: read what another process would see meanwhile
            seen.append(reg.export_job(job.id).rows_done)
            return reg.now()

        state = export_jobs.run(reg.session, reg.read_session, reg.files, None, claimed[0], claimed[1], now=now,
                                lease=export_jobs.timedelta(minutes=2), ttl=export_jobs.timedelta(hours=1))
        assert state == "done"
        assert [v for v in seen if 0 < v < DOCS] == [3, 6, 9] and seen == sorted(seen)  # moved while it ran
        assert reg.export_job(job.id).rows_done == DOCS
    finally:
        reg.close()


CLAIM_AND_HANG = """
import sys, time
from datetime import timedelta
from registry.facade import Registry
from registry.services import export_jobs
from registry.settings import Settings
reg = Registry(Settings())
claimed = export_jobs.claim(reg.session, reg.now(), timedelta(seconds=1))
print(claimed[0].id if claimed else "", flush=True)
time.sleep(600)
"""


def test_a_job_whose_process_died_is_finished_by_another_after_its_lease(settings: Settings) -> None:
    reg = Registry(settings.model_copy(update={"export_jobs_inline": False, "export_job_lease_seconds": 1}))
    reg.init()
    try:
        _fill(reg)
        job = reg.request_export(fmt="csv")
        env = {**os.environ, "NORMREG_DATA_DIR": str(settings.data_dir),
               "NORMREG_DATABASE_URL": settings.database_url or ""}
        if not settings.database_url:
            env.pop("NORMREG_DATABASE_URL")
        child = subprocess.Popen([sys.executable, "-c", CLAIM_AND_HANG], env=env, stdout=subprocess.PIPE, text=True)
        try:
            assert child.stdout is not None and child.stdout.readline().strip() == job.id
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(10)
        assert reg.export_job(job.id).state == "running"
        assert reg.run_export_jobs()["done"] == 0  # its lease still holds: nobody else may take it yet
        time.sleep(1.3)
        assert reg.run_export_jobs()["done"] == 1
        assert reg.export_job(job.id).state == "done" and reg.files.exists(f"exports/{job.id}.csv")
    finally:
        reg.close()


def test_formulas_are_neutralised_in_job_files(client_with: ClientFactory) -> None:
    with client_with(export_stream_max_rows=1, export_poll_seconds=0.2) as c:
        reg: Registry = c.app.state.registry  # type: ignore[attr-defined]
        _fill(reg, 2)
        with reg.session() as s:
            create_document(s, data=DocumentCreate(title='=HYPERLINK("http://evil.example","点此")',
                                                   issuer="@SUM(1+1)", publication_date=date(2025, 1, 1)),
                            today=date(2026, 1, 1))
        for fmt in ("csv", "xlsx"):
            job = _wait_done(c, c.post("/api/v1/exports", params={"format": fmt}).json()["id"])
            data = c.get(job["file_url"]).content
            if fmt == "csv":
                rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
            else:
                sheet = load_workbook(io.BytesIO(data), read_only=True).active
                values = [list(r) for r in sheet.iter_rows(values_only=True)]  # type: ignore[union-attr]
                rows = [dict(zip(values[0], r, strict=True)) for r in values[1:]]
            hostile = next(r for r in rows if "HYPERLINK" in str(r["title"]))
            assert hostile["title"].startswith("'=") and hostile["issuer"].startswith("'@"), fmt


def test_full_text_only_when_asked(jobs_client: TestClient) -> None:
    c = jobs_client
    plain = _wait_done(c, c.post("/api/v1/exports", params={"format": "json"}).json()["id"])
    texts = _wait_done(c, c.post("/api/v1/exports", params={"format": "json", "text": "true"}).json()["id"])
    assert plain["id"] != texts["id"]
    without = json.loads(c.get(plain["file_url"]).content)["items"]
    with_text = json.loads(c.get(texts["file_url"]).content)["items"]
    assert "text" not in without[0] and all(r["text"].startswith("第一条 正文") for r in with_text)


def test_creating_jobs_is_rate_limited_per_client(client_with: ClientFactory) -> None:
    with client_with(export_rate_limit_per_minute=3, export_jobs_inline=False) as c:
        statuses = [c.post("/api/v1/exports", params={"format": "csv", "year": 2000 + i}).status_code
                    for i in range(6)]
    assert statuses[:3] == [202, 202, 202] and statuses[3:] == [429, 429, 429]


def test_a_browser_following_a_large_export_link_lands_on_the_job_page(jobs_client: TestClient) -> None:
    c = jobs_client
    r = c.get("/api/v1/documents/export", params={"format": "xlsx"}, headers={"Accept": "text/html,*/*"},
              follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/exports/")
    page = c.get(r.headers["location"])
    assert page.status_code == 200 and ("导出文件准备中" in page.text or "导出文件已准备好" in page.text)
    job_id = r.headers["location"].rsplit("/", 1)[1]
    _wait_done(c, job_id)
    done = c.get(f"/exports/{job_id}", params={"lang": "en"})
    assert "Your export is ready" in done.text and f"/api/v1/exports/{job_id}/file" in done.text


def test_the_server_without_its_export_thread_leaves_jobs_to_a_worker(tmp_path: Path,
                                                                       client_with: ClientFactory) -> None:
    with client_with(export_stream_max_rows=SMALL, export_jobs_inline=False) as c:
        reg: Registry = c.app.state.registry  # type: ignore[attr-defined]
        _fill(reg)
        job = c.post("/api/v1/exports", params={"format": "csv"}).json()
        time.sleep(0.5)
        assert c.get(f"/api/v1/exports/{job['id']}").json()["state"] == "queued"
        env = {**os.environ, "NORMREG_DATA_DIR": str(reg.settings.data_dir)}
        if reg.settings.database_url:
            env["NORMREG_DATABASE_URL"] = reg.settings.database_url
        out = subprocess.run([sys.executable, "-m", "registry.cli", "worker", "--once", "--json"], env=env,
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout)["exports_done"] == 1
        assert c.get(f"/api/v1/exports/{job['id']}").json()["state"] == "done"
