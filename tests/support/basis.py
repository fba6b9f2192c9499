"""A small real scenario for the basis watch: laws of the shared corpus, two local documents citing them,
and a re-import of the same law files with a catalog, saved elsewhere under another name, that repeals one.

Five law texts (every stored version of 中华人民共和国广告法 and 中华人民共和国行政处罚法) keep it to a few
seconds; the full 2,124-file re-import is measured in ``tests/registry/services/test_reimport_laws_corpus.py``.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import select

from registry.facade import Registry
from registry.models import Document, Event, SourceFile, StatusChange
from registry.settings import Settings
from tests.support.corpus import corpus_path

AD_LAW_2021 = "ff8081817ab231eb017abd6bd860052d"  # 中华人民共和国广告法 (2021), 有效
AD_LAWS = ("2c909fdd678bf17901678bf78bef077b", "ff8080816f135f46016f1cf8da371228", AD_LAW_2021)
PENALTY_2021 = "ff8080817703add20177373df6a43e33"  # 中华人民共和国行政处罚法 (2021), 有效
PENALTY_LAWS = ("2c909fdd678bf17901678bf86fa90a7d", PENALTY_2021)
TODAY = date(2026, 11, 26)

MEASURES = """某市户外广告设置管理办法

第一条 为了规范户外广告设置，根据《中华人民共和国广告法》第十二条至第十五条、第二十条和《行政处罚法》，结合本市实际，制定本办法。

第二条 本办法自2024年3月1日起施行。
"""
OTHER = """某市行政执法公示办法

第一条 为了规范行政执法公示，依据《中华人民共和国行政处罚法》第三十九条，制定本办法。

第二条 本办法自2024年3月1日起施行。
"""


def _catalog_rows(ids: set[str]) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in corpus_path("laws", "catalog.jsonl").read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if r["id"] in ids]


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def build_watched(tmp: Path, settings: Settings) -> dict[str, Any]:
    """A registry with the laws and two local documents, before and after the re-import (caller closes it)."""
    laws = corpus_path("laws")
    ids = set(AD_LAWS) | set(PENALTY_LAWS)
    rows = _catalog_rows(ids)
    assert len(rows) == len(ids)
    files = [laws / r["file"] for r in rows]
    reg = Registry(settings)
    reg.init()
    reg.today = lambda: TODAY  # type: ignore[method-assign]
    first = reg.ingest(files, catalog=_write_jsonl(tmp / "first" / "catalog.jsonl", rows), as_of=date(2025, 12, 1))
    local = tmp / "local"
    local.mkdir()
    (local / "measures.txt").write_text(MEASURES, encoding="utf-8")
    (local / "other.txt").write_text(OTHER, encoding="utf-8")
    (local / "catalog.csv").write_text("file,title,category,publication_date\n"
                                       "measures.txt,某市户外广告设置管理办法,行政规范性文件,2024-02-01\n"
                                       "other.txt,某市行政执法公示办法,行政规范性文件,2024-02-01\n", encoding="utf-8")
    reg.ingest([local / "measures.txt", local / "other.txt"], catalog=local / "catalog.csv")
    with reg.read_session() as s:
        by_title = {d.title: d.id for d in s.exec(select(Document))}
        before = {"changes": len(s.exec(select(StatusChange)).all()), "files": len(s.exec(select(SourceFile)).all()),
                  "events": len(s.exec(select(Event)).all()),
                  "versions": {d.id: d.version for d in s.exec(select(Document))}}
    changed = [dict(r, status="已废止", status_code="repealed") if r["id"] == AD_LAW_2021 else r for r in rows]
    newer = _write_jsonl(tmp / "downloads" / "catalog-2026-11.jsonl", changed)
    again = reg.ingest(files, catalog=newer, as_of=date(2026, 11, 20))
    return {"reg": reg, "first": first, "again": again, "before": before,
           "measures": by_title["某市户外广告设置管理办法"], "other": by_title["某市行政执法公示办法"]}
