"""The question segmenter (jieba) is loaded by the server as it starts, and by nothing that only writes.

A bulk import, its feed process and commands such as ``normreg doctor`` open the search backend but never
plan a question; loading the segmenter there cost each of them over a second of CPU per run. The segmenter
is cached per process, so each case runs in a fresh interpreter.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_PRELUDE = """
import sys, time
from pathlib import Path
from registry.facade import Registry
from registry.settings import Settings
from search.question import _segmenter

settings = Settings(data_dir=Path(sys.argv[1]))
"""


def _run(tmp_path: Path, body: str) -> str:
    code = _PRELUDE + textwrap.dedent(body)
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "data")], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_writing_and_checking_the_index_never_loads_the_segmenter(tmp_path: Path) -> None:
    out = _run(tmp_path, """
        folder = Path(sys.argv[1]).parent / "files"
        folder.mkdir()
        (folder / "a.txt").write_text("示例市财政局关于印发预算管理办法的通知\\n第一条 为了规范预算管理，制定本办法。\\n",
                                      encoding="utf-8")
        reg = Registry(settings)
        reg.init()
        report = reg.ingest([folder])  # each commit feeds the index, as a bulk import's feed does
        assert report.added == 1, report
        assert reg.reindex() == 1
        assert reg.diagnose()["ok"]
        time.sleep(0.5)  # a warm-up thread, had one been started, would be well under way
        print(_segmenter.cache_info().currsize)
        reg.close()
    """)
    assert out == "0"


def test_the_server_loads_the_segmenter_as_it_starts(tmp_path: Path) -> None:
    out = _run(tmp_path, """
        from fastapi.testclient import TestClient
        from registry.http.app import create_app

        app = create_app(settings)
        app.state.registry.init()
        with TestClient(app):
            deadline = time.monotonic() + 60
            while not _segmenter.cache_info().currsize and time.monotonic() < deadline:
                time.sleep(0.05)  # no request was made: only the start-up can have loaded it
            print(_segmenter.cache_info().currsize)
    """)
    assert out == "1"
