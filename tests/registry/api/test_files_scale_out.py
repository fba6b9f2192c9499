"""Issue 18, scale-out acceptance: two ``normreg serve`` processes on one PostgreSQL database, each with a data
dir of its own (two machines): a file uploaded through one is downloaded through the other, byte for byte,
and the machine it was uploaded to keeps no copy of it (the file lives in the database)."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from registry.facade import Registry
from tests.conftest import make_settings, pg_schema

DEMO = Path(__file__).resolve().parents[3] / "registry" / "demo" / "documents"
pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _serve(url: str, data_dir: Path, log: Path) -> Iterator[str]:
    """``normreg serve`` as its own process (the code of this tree: PYTHONPATH is passed through)."""
    port = _free_port()
    env = {**os.environ, "NORMREG_DATABASE_URL": url, "NORMREG_DATA_DIR": str(data_dir),
           "NORMREG_DELIVER_INLINE": "false"}
    env.pop("NORMREG_FILE_STORE", None)  # auto: the database, since it is PostgreSQL
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "registry.cli", "serve", "--port", str(port)],
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, log.read_text(errors="replace")[-2000:]
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code < 500:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "normreg serve did not answer within 60 s"
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _big_text() -> bytes:
    """A plain-text rule of about 2.5 MiB (several stored chunks), each article different."""
    lines = ["示例市跨机房存储文件管理办法", ""]
    lines += [f"第{n}条 本条规定第{n}项存储事项，编号" + "".join(
        hashlib.sha256(f"{n}/{k}".encode()).hexdigest() for k in range(40)) + "。" for n in range(1, 1001)]
    return "\n".join(lines).encode("utf-8")


def _download(base: str, doc_id: str, encoding: str = "identity") -> tuple[httpx.Headers, str]:
    """The download's headers and the SHA-256 of its body (``encoding``: what the client accepts; with
    gzip the app's compression middleware compresses on the fly and there is no Content-Length)."""
    digest = hashlib.sha256()
    with httpx.stream("GET", f"{base}/documents/{doc_id}/file", timeout=60,
                      headers={"Accept-Encoding": encoding}) as r:
        assert r.status_code == 200, r.read()[:500]
        for block in r.iter_bytes():
            digest.update(block)
        return r.headers, digest.hexdigest()


def _copies(data_dir: Path, sha: str) -> list[Path]:
    return [p for p in data_dir.rglob("*") if p.is_file() and hashlib.sha256(p.read_bytes()).hexdigest() == sha]


def test_a_file_uploaded_through_one_api_process_downloads_byte_for_byte_through_another(tmp_path: Path) -> None:
    uploads = [("sz-2017-21-outdoor-advertising.pdf", (DEMO / "sz-2017-21-outdoor-advertising.pdf").read_bytes()),
               ("big-rule.txt", _big_text())]
    assert len(uploads[1][1]) > 2 * (1 << 20)
    with pg_schema("scale") as url:
        owner = Registry(make_settings(tmp_path / "setup", url))
        owner.init()
        _, token = owner.create_token("clerk-scale-out", role="clerk")
        owner.close()
        with _serve(url, tmp_path / "a", tmp_path / "a.log") as a, _serve(url, tmp_path / "b", tmp_path / "b.log") as b:
            for filename, data in uploads:
                r = httpx.post(f"{a}/api/v1/files", files={"file": (filename, data)},
                               headers={"Authorization": f"Bearer {token}"}, timeout=120)
                assert r.status_code == 200 and r.json()["added"] == 1, r.text
                doc_id = r.json()["documents"][0]["id"]
                sha = hashlib.sha256(data).hexdigest()
                headers, got = _download(b, doc_id)
                assert got == sha
                assert headers["content-length"] == str(len(data))
                assert headers["content-disposition"].startswith("attachment")
                assert not headers["content-type"].startswith("text/")  # sandboxed: never rendered
                assert _copies(tmp_path / "a", sha) == []  # the machine it was uploaded to keeps no copy
                assert _copies(tmp_path / "b", sha) == []  # nor the one that served it
                assert _download(a, doc_id, "gzip")[1] == sha
