"""The ``normreg`` command as a user runs it: one JSON document with --json, exit codes 0/1/2, catalogs with
English or Chinese headers, idempotent re-runs, and a changed file becoming a new version."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import typer
from openpyxl import Workbook
from typer.testing import CliRunner

from registry.cli import app
from registry.settings import Settings

runner = CliRunner()

BODY = """示例市人民政府关于印发示例市{name}管理办法的通知
示政发〔{year}〕{n}号

第一条 为了规范{name}管理，制定本办法。
第二条 本办法自{eff}起施行，有效期5年。
"""


def _env(settings: Settings) -> dict[str, str]:
    env = {"NORMREG_DATA_DIR": str(settings.data_dir)}
    if settings.database_url:
        env["NORMREG_DATABASE_URL"] = settings.database_url
    return env


def run(settings: Settings, *args: str) -> tuple[int, dict]:
    result = runner.invoke(app, [*args], env=_env(settings))
    out = result.stdout.strip()
    return result.exit_code, (json.loads(out) if out else {})


def _write_docs(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, (name, year) in enumerate([("停车场", 2019), ("户外广告", 2021), ("夜间经济", 2023)], 1):
        p = folder / f"doc{n}.txt"
        p.write_text(BODY.format(name=name, year=year, n=n, eff=f"{year}年3月1日"), encoding="utf-8")
        paths.append(p)
    return paths


def test_init_prints_one_json_document(settings: Settings) -> None:
    code, data = run(settings, "init", "--json")
    assert code == 0
    assert data["ok"] is True and data["revision"]


def test_ingest_with_chinese_catalog_headers(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    _write_docs(folder)
    catalog = folder / "catalog.csv"
    with catalog.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["文件", "标题", "文号", "发文机关", "发布日期", "施行日期", "时效性"])
        w.writerow(["doc1.txt", "示例市停车场管理办法", "示政发[2019]1号", "示例市人民政府", "2019-02-01", "2019-03-01", "已废止"])
        w.writerow(["doc2.txt", "示例市户外广告管理办法", "示政发（2021）2号", "示例市人民政府", "2021年2月1日", "2021-03-01", "有效"])
    code, data = run(settings, "ingest", str(folder), "--catalog", str(catalog), "--as-of", "2025-12-01", "--json")
    assert code == 0, data
    assert data["added"] == 3 and data["failed"] == []
    assert {d["result"] for d in data["documents"]} == {"added"}

    code, shown = run(settings, "show", "示政发【2019】1号", "--json")
    assert code == 0
    assert shown["title"] == "示例市停车场管理办法"
    assert shown["issuer"] == "示例市人民政府"

    code, checked = run(settings, "check", "示政发〔2019〕1号", "--json")
    assert checked["status"] == "repealed"
    assert checked["evidence"][0]["type"] == "status_asserted"
    code, before = run(settings, "check", "示政发〔2019〕1号", "--at", "2020-01-01", "--json")
    assert before["status"] == "unknown"  # repealed at a date nobody recorded
    code, early = run(settings, "check", "示政发〔2019〕1号", "--at", "2019-02-15", "--json")
    assert early["status"] == "not_yet_effective"

    code, again = run(settings, "ingest", str(folder), "--catalog", str(catalog), "--as-of", "2025-12-01", "--json")
    assert again["unchanged"] == 3 and again["added"] == 0 and again["updated"] == 0


def test_xlsx_and_jsonl_catalogs_are_read(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    _write_docs(folder)
    wb = Workbook()
    ws = wb.active
    ws.append(["file", "title", "issuer", "publication_date", "effective_date", "status"])
    ws.append(["doc3.txt", "示例市夜间经济管理办法", "示例市人民政府", date(2023, 2, 1), date(2023, 3, 1), "尚未生效"])
    wb.save(folder / "list.xlsx")
    code, data = run(settings, "ingest", str(folder / "doc3.txt"), "--catalog", str(folder / "list.xlsx"),
                     "--as-of", "2023-02-10", "--json")
    assert code == 0 and data["added"] == 1
    code, checked = run(settings, "check", "示例市夜间经济管理办法", "--json")
    # the catalog said 尚未生效 on 2023-02-10; the effective date has passed since, so it is in force now,
    # and the catalog's claim stays in the history
    assert checked["status"] == "in_force"
    code, shown = run(settings, "show", "示例市夜间经济管理办法", "--json")
    assert shown["status"] == "in_force"

    jsonl = folder / "cat.jsonl"
    jsonl.write_text(json.dumps({"file": "doc1.txt", "title": "示例市停车场管理办法", "status_code": "repealed"},
                                ensure_ascii=False) + "\n{broken\n", encoding="utf-8")
    code, data = run(settings, "ingest", str(folder / "doc1.txt"), "--catalog", str(jsonl), "--json")
    assert code == 0 and data["added"] == 1
    assert len(data["failed"]) == 1 and "line 2" in data["failed"][0]["error"]


def test_changed_file_becomes_a_new_version_of_the_same_document(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    paths = _write_docs(folder)
    _, first = run(settings, "ingest", str(folder), "--json")
    doc_id = next(d["id"] for d in first["documents"] if d["path"].endswith("doc1.txt"))
    paths[0].write_text(paths[0].read_text(encoding="utf-8") + "第三条 新增条款。\n", encoding="utf-8")
    _, second = run(settings, "ingest", str(folder), "--json")
    assert second["updated"] == 1 and second["unchanged"] == 2 and second["added"] == 0
    assert next(d["id"] for d in second["documents"] if d["path"].endswith("doc1.txt")) == doc_id
    _, shown = run(settings, "show", doc_id, "--json")
    assert [f["version"] for f in shown["files"]] == [1, 2]
    assert shown["version"] == 2


def test_a_broken_file_never_stops_the_batch(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    _write_docs(folder)
    (folder / "fake.pdf").write_bytes(b"this is not a pdf at all")
    (folder / "empty.docx").write_bytes(b"")
    code, data = run(settings, "ingest", str(folder), "--json")
    assert code == 0
    assert data["added"] == 3
    failed = {Path(f["path"]).name: f["error"] for f in data["failed"]}
    assert set(failed) == {"fake.pdf", "empty.docx"}
    assert all(failed.values())


def test_unknown_reference_exits_1_with_one_json_error(settings: Settings) -> None:
    run(settings, "init")
    code, data = run(settings, "check", "不存在的文件", "--json")
    assert code == 1
    assert data["error"]["code"] == "not_found"


def test_commands_before_init_say_to_run_init(settings: Settings) -> None:
    for args in (["doctor", "--json"], ["show", "示政发〔2019〕8号", "--json"], ["check", "示政发〔2019〕8号", "--json"]):
        code, data = run(settings, *args)
        assert code == 1, args
        assert data["error"]["code"] == "not_initialised" and "normreg init" in data["error"]["message"], args


def test_usage_error_exits_2(settings: Settings) -> None:
    result = runner.invoke(app, ["check", "x", "--at", "not-a-date"], env=_env(settings))
    assert result.exit_code == 2
    result = runner.invoke(app, ["search"], env=_env(settings))
    assert result.exit_code == 2


def _commands(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """Every command and sub-command (typer ships its own click, so groups are told by their commands)."""
    out = []
    for name, cmd in group.commands.items():
        out.append(((*prefix, name), cmd))
        if hasattr(cmd, "commands"):
            out.extend(_commands(cmd, (*prefix, name)))
    return out


COMMANDS = _commands(typer.main.get_command(app))  # type: ignore[arg-type]


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_help_and_json(path: tuple[str, ...], command: Any) -> None:
    """Every command says what it does; every leaf command offers --json (one JSON document on stdout)."""
    assert command.help and len(command.help.strip()) > 15, path
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0
    assert command.help.strip().split()[0] in result.stdout
    if not hasattr(command, "commands") and path[-1] != "serve":
        assert "--json" in {opt for p in command.params for opt in p.opts}, path


def test_check_at_the_day_before_effect(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    _write_docs(folder)
    run(settings, "ingest", str(folder), "--json")
    _, data = run(settings, "check", "示政发〔2021〕2号", "--at", (date(2021, 3, 1) - timedelta(days=1)).isoformat(), "--json")
    assert data["status"] == "not_yet_effective"
    _, data = run(settings, "check", "示政发〔2021〕2号", "--at", "2021-03-01", "--json")
    assert data["status"] == "in_force"


def test_reports_name_files_as_given_even_through_a_symlink(settings: Settings, tmp_path: Path) -> None:
    real = tmp_path / "real"
    _write_docs(real)
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    code, data = run(settings, "ingest", str(link), "--json")
    assert code == 0 and data["added"] == 3
    assert sorted(d["path"] for d in data["documents"]) == sorted(str(link / f"doc{n}.txt") for n in (1, 2, 3))


def test_doctor_checks_a_published_audit_anchor(settings: Settings, tmp_path: Path) -> None:
    assert run(settings, "ingest", str(_write_docs(tmp_path / "in")[0]), "--json")[0] == 0
    code, health = run(settings, "doctor", "--json")
    head = health["audit"]["head"]
    entries = health["audit"]["entries"]
    assert code == 0 and head
    assert run(settings, "doctor", "--anchor", f"{entries}:{head}", "--json")[0] == 0
    code, health = run(settings, "doctor", "--anchor", f"{entries}:{'0' * 64}", "--json")
    assert code == 1 and health["problems"][0]["kind"] == "audit_anchor_mismatch"
    assert run(settings, "doctor", "--anchor", "not-an-anchor")[0] == 2
