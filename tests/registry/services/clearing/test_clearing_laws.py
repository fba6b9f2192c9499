"""Acceptance: a noisy clearing list drawn from the real laws corpus, matched, applied and exported.

The list has 65 rows naming real laws (a third exact, a third without 中华人民共和国 or 《》-wrapped, a third
with one character missing) and 5 rows naming laws that do not exist. Measured: at least 54 rows matched
automatically, none wrongly, none of the fakes; after apply every matched document answers the status its
result implies with the campaign in its evidence; the exports open with openpyxl and csv.
"""

from __future__ import annotations

import csv
import json
import random
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func
from sqlmodel import Session, select

from registry.facade import Registry
from registry.models import OutboxEntry, StatusChange
from registry.rules.status import ClearingResult
from registry.services.clearing.campaigns import apply_campaign, export_campaign, import_campaign
from registry.services.clearing.matching import PREFIX, fold_title, short_title
from registry.services.validity import check
from tests.support.corpus import corpus_path

pytestmark = [pytest.mark.slow, pytest.mark.corpus]

SEED = 20261126
RESULTS = [r.value for r in ClearingResult]
EXPECTED = {"继续有效": "in_force", "修改": "in_force", "废止": "repealed", "宣布失效": "invalid", "失效": "invalid"}
FAKES = [
    "中华人民共和国星际航行法",
    "国务院关于月球土地登记管理的暂行规定",
    "全国人民代表大会常务委员会关于修改《中华人民共和国量子通信法》的决定",
    "中华人民共和国数字资产交易管理条例",
    "最高人民法院关于审理无人驾驶航空器侵权纠纷案件适用法律若干问题的解释",
]


def _count(session: Session, table: type) -> int:
    return int(session.exec(select(func.count()).select_from(table)).one())


def _noisy_list(path: Path) -> list[dict]:
    """Write the list; return the rows with the id each real row must match (None for fakes)."""
    rows = [json.loads(line) for line in corpus_path("laws", "catalog.jsonl").open(encoding="utf-8")]
    in_force_per_title = Counter(r["title"] for r in rows if r["status_code"] == "in_force")
    known = {short_title(fold_title(r["title"])) for r in rows}
    for fake in FAKES:
        assert short_title(fold_title(fake)) not in known
    # A title names one document: unique titles, or the one version in force.
    pool = [r for r in rows if r["status_code"] == "in_force" and in_force_per_title[r["title"]] == 1]
    rng = random.Random(SEED)
    picked = rng.sample(pool, 65)
    out: list[dict] = []
    for i, r in enumerate(picked):
        title = r["title"]
        if i % 3 == 1:
            title = title.replace(PREFIX, "") if PREFIX in title else f"《{title}》"
        elif i % 3 == 2:
            while True:  # one character missing, but not so that it names another real law
                j = rng.randrange(len(title))
                noisy = title[:j] + title[j + 1:]
                if short_title(fold_title(noisy)) not in known:
                    break
            title = noisy
        out.append({"title": title, "issuer": r["issuer"], "result": RESULTS[i % len(RESULTS)], "expect": r["id"],
                    "noise": ("exact", "prefix_or_marks", "missing_char")[i % 3]})
    for k, fake in enumerate(FAKES):
        out.append({"title": fake, "issuer": "国务院", "result": RESULTS[k], "expect": None, "noise": "fake"})
    rng.shuffle(out)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "清理结果"
    ws.append(["2026年法律法规清理结果目录"])  # the title line offices put above the header
    ws.append(["序号", "文件名称", "文号", "制定机关", "清理结果", "备注"])
    for n, row in enumerate(out, 1):
        ws.append([n, row["title"], None, row["issuer"], row["result"], None])
    wb.save(path)
    return out


def test_noisy_list_is_matched_applied_and_exported(laws_copy: Registry, tmp_path: Path) -> None:
    listed = _noisy_list(tmp_path / "list.xlsx")
    decided = date(2026, 6, 30)
    started = time.perf_counter()
    with laws_copy.session() as session:
        imported = import_campaign(session, path=tmp_path / "list.xlsx", name="2026年清理", decided_on=decided,
                                   actor="test")
    took = time.perf_counter() - started
    rows = imported.rows
    assert len(rows) == 70
    auto = [(r, listed[r.row - 1]) for r in rows if r.match is not None and not r.needs_review]
    right = [r for r, want in auto if r.match and r.match.id == want["expect"]]
    wrong = [(r.title, r.match.title) for r, want in auto if r.match and r.match.id != want["expect"]]
    fakes = [r for r, want in auto if want["expect"] is None]
    by_noise = Counter(want["noise"] for r, want in auto if r.match and r.match.id == want["expect"])
    print(f"\nclearing acceptance: {len(right)}/65 matched automatically, {len(wrong)} wrong, "
          f"{len(fakes)}/5 fakes matched, {sum(r.needs_review for r in rows)} to review; by noise {dict(by_noise)};"
          f" import {took:.2f} s")
    assert wrong == []
    assert fakes == []
    assert len(right) >= 54
    for r in rows:  # every fake waits for review (never silently dropped)
        if listed[r.row - 1]["expect"] is None:
            assert r.needs_review and r.match is None

    today = date.today()
    with laws_copy.session() as session:
        feed_before = _count(session, StatusChange)
        outbox_before = _count(session, OutboxEntry)
        applied = apply_campaign(session, name="2026年清理", actor="test", today=today)
        assert applied.applied == len(auto)
        assert applied.conflicts == []
        again = apply_campaign(session, name="2026年清理", actor="test", today=today)
        assert again.applied == 0 and again.already_applied == len(auto)
        changed = sum(1 for r in applied.rows if r["old_status"] != r["new_status"])
        assert _count(session, StatusChange) - feed_before == changed > 0
        assert _count(session, OutboxEntry) - outbox_before == len(auto)
        for r, want in auto:
            assert r.match is not None
            answer = check(session, r.match.id, today)
            assert answer["status"] == EXPECTED[want["result"]], (want, answer)
            assert any(e.get("campaign") == "2026年清理" for e in answer["evidence"]), answer
            if want["result"] == "修改":
                assert "marked_for_amendment" in answer["flags"]

        counts = {}
        for fmt in ("csv", "xlsx", "json", "html"):
            out = tmp_path / f"lists.{fmt}"
            counts[fmt] = export_campaign(session, name="2026年清理", fmt=fmt, out=out).lists
    assert counts["xlsx"] == counts["csv"] == counts["json"]
    assert sum(counts["csv"].values()) == 70
    wb = load_workbook(tmp_path / "lists.xlsx")
    assert wb.sheetnames == ["继续有效目录", "修改目录", "废止目录", "失效目录"]
    assert wb["废止目录"].max_row - 2 == counts["xlsx"]["废止目录"]
    with (tmp_path / "lists.csv").open(encoding="utf-8-sig", newline="") as fh:
        csv_rows = list(csv.DictReader(fh))
    assert len(csv_rows) == 70 and set(csv_rows[0]) >= {"目录", "文件名称", "清理结果"}
    assert "<script" not in (tmp_path / "lists.html").read_text(encoding="utf-8")
