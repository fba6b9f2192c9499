"""``normreg record …``: filing, reviews, renewals and interpretations from the command line change what
the registry answers, on both databases."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from registry.cli import app
from registry.settings import Settings

DEMO = Path(__file__).resolve().parents[3] / "registry" / "demo" / "documents"
runner = CliRunner()


def run(settings: Settings, *args: str) -> tuple[int, dict]:
    env = {"NORMREG_DATA_DIR": str(settings.data_dir)}
    if settings.database_url:
        env["NORMREG_DATABASE_URL"] = settings.database_url
    result = runner.invoke(app, [*args, "--json"], env=env)
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else {}


def test_record_commands_change_the_answers(settings: Settings) -> None:
    code, data = run(settings, "ingest", str(DEMO / "sz-2024-3-business-environment.txt"),
                     str(DEMO / "sz-2021-3-city-fine-management.docx"), "--catalog", str(DEMO / "catalog.csv"))
    assert code == 0 and data["added"] == 2, data

    code, filed = run(settings, "record", "filing", "示政发〔2024〕3号", "--on", "2024-05-20", "--with", "示例省人民政府")
    assert code == 0, filed
    # published 2024-03-04: due within 30 days, by 2024-04-03; filed 47 days after that
    assert (filed["state"], filed["deadline"], filed["days_late"]) == ("late", "2024-04-03", 47)

    code, reviewed = run(settings, "record", "filing-review", "示政发〔2024〕3号", "--on", "2024-08-01",
                         "--outcome", "撤销", "--reviewer", "示例省司法厅")
    assert code == 0, reviewed
    _, checked = run(settings, "check", "示政发〔2024〕3号", "--at", "2024-09-01")
    assert checked["status"] == "invalid"
    _, before = run(settings, "check", "示政发〔2024〕3号", "--at", "2024-07-31")
    assert before["status"] == "in_force"

    _, ended = run(settings, "check", "示政发〔2021〕3号", "--at", "2026-06-01")
    assert ended["status"] == "invalid"  # its five years ended on 2026-02-28
    code, renewed = run(settings, "record", "renewal", "示政发〔2021〕3号", "--on", "2026-02-01", "--until", "2028-02-29")
    assert code == 0, renewed
    _, again = run(settings, "check", "示政发〔2021〕3号", "--at", "2026-06-01")
    assert again["status"] == "in_force"

    code, bad = run(settings, "record", "filing-review", "示政发〔2021〕3号", "--on", "2026-01-01", "--outcome", "随便")
    assert code == 1 and bad["error"]["code"] == "invalid_input"
