"""What a new user meets first: the demo's next step, readable tables and errors, fast start-up."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.group import COMMANDS
from accord.cli.main import app

ROOT = Path(__file__).resolve().parents[2]


def _run(runner: CliRunner, *args: str, code: int = 0) -> tuple[str, str]:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output + str(result.exception)
    return result.stdout, result.stderr


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Run `accord demo` once in a fresh home; yield the environment its output says to use."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ACCORD_HOME", str(home))
        mp.delenv("ACCORD_DB", raising=False)
        mp.setenv("ACCORD_USER", "tester")
        out, _ = _run(CliRunner(), "demo")
        found = re.search(r"^\s*export ACCORD_DB=(\S+)$", out, re.MULTILINE)
        assert found, out[-500:]
        # Before the export, the default database is empty, and the error says where the demo is.
        _, err = _run(CliRunner(), "board", code=5)
        assert err.count("\n") == 1 and f"export ACCORD_DB={found.group(1)}" in err
        mp.setenv("ACCORD_DB", found.group(1))
        yield {"ACCORD_HOME": str(home), "ACCORD_DB": found.group(1)}


def test_after_the_demo_its_export_line_makes_the_usage_commands_work(
    demo_env: dict[str, str],
) -> None:
    out, _ = _run(CliRunner(), "board")
    assert "negotiation board as of" in out
    assert "propose 1" in out and "…" not in out.split("statuses by holder")[0]


def test_board_keeps_issue_ids_whole_at_80_columns(demo_env: dict[str, str]) -> None:
    out, _ = _run(CliRunner(), "board")
    table = out.split("statuses by holder")[0]
    assert max(len(line) for line in table.splitlines()) <= 80
    firsts = {line.split()[0] for line in table.splitlines() if line.strip()}
    for issue in ("nato-membership", "security-guarantees", "prisoner-exchange"):
        assert issue in firsts, table  # typed back into other commands, so never folded


def test_claims_list_shows_id_kind_and_holder_at_80_columns(demo_env: dict[str, str]) -> None:
    out, _ = _run(CliRunner(), "claims", "list", "--limit", "5")
    header = next(line for line in out.splitlines() if "quote" in line)
    assert re.match(r"\s*id\s+kind\s+issue\s+holder\s+value\s+quote", header), header
    assert max(len(line) for line in out.splitlines()) <= 80
    rows = [line for line in out.splitlines() if re.match(r"\s*\d+\s+(proposal|position)", line)]
    assert [int(r.split()[0]) for r in rows] == [1, 2, 3, 4, 5]
    assert all(len(r.split()) >= 5 for r in rows)  # id, kind, issue, holder, value all shown


def test_incidents_show_reads_as_text(demo_env: dict[str, str]) -> None:
    out, _ = _run(CliRunner(), "incidents", "show", "9")
    assert "{'" not in out and "['" not in out and "None" not in out
    assert re.search(r"^when\s+2026-02-14 01:45 UTC \(precision: exact\)", out, re.MULTILINE)
    assert re.search(r"^possible violation\s+framework-ceasefire, rule", out, re.MULTILINE)


def test_incident_time_keeps_the_precision_it_was_given(demo_env: dict[str, str]) -> None:
    base = ["incidents", "add", "--type", "explosion", "--lat", "47.5", "--lon", "35.2", "--json"]
    timed = json.loads(_run(CliRunner(), *base, "--when", "2026-02-14T06:30")[0])
    assert timed["time_precision"] == "exact"
    assert timed["occurred_at"].startswith("2026-02-14T06:30")
    dated = json.loads(_run(CliRunner(), *base, "--when", "2026-02-14")[0])
    assert dated["time_precision"] == "day"


def test_an_unknown_incident_type_lists_the_valid_ones(demo_env: dict[str, str]) -> None:
    args = ["incidents", "add", "--type", "parade", "--lat", "47.5", "--lon", "35.2"]
    _, err = _run(CliRunner(), *args, "--when", "2026-02-14", code=2)
    assert err.startswith("error: unknown incident type 'parade' (use battles, ")
    assert "explosion" in err and err.count("\n") == 1
    _, err = _run(CliRunner(), "incidents", "list", "--type", "parade", code=2)
    assert "(use battles, " in err


def test_a_provision_is_addressed_by_draft_and_number(demo_env: dict[str, str]) -> None:
    runner = CliRunner()
    # the demo signs the framework (an illustrative scenario) and records its first levels
    _, err = _run(
        runner, "agreement", "sign", "twenty-point-framework", "--date", "2026-01-10", code=4
    )
    assert "already signed on 2026-01-31" in err
    out, _ = _run(
        runner, "agreement", "implement", "twenty-point-framework:3", "--level", "2",
        "--date", "2026-02-20",
    )  # fmt: skip
    assert "twenty-point-framework:3 (Security guarantees for Ukraine): level 2" in out
    status = json.loads(_run(runner, "agreement", "status", "twenty-point-framework", "--json")[0])
    third = next(p for p in status["provisions"] if p["number"] == "3")
    assert third["level"] == 2
    _, err = _run(
        runner, "agreement", "implement", "twenty-point-framework:99", "--level", "1",
        "--date", "2026-02-20", code=3,
    )  # fmt: skip
    assert "has no provision '99' (it has 1, 2, 3" in err


def test_indicator_help_documents_the_fields() -> None:
    result = CliRunner().invoke(app, ["agreement", "indicator", "--help"], terminal_width=200)
    text = " ".join(result.stdout.split())
    for field in ("released_by", "mediator", "donor", "pledged", "disbursed", "currency"):
        assert field in text
    assert "guarantor" in text and "commitment" in text


def test_usage_errors_are_one_line(home: Path) -> None:
    runner = CliRunner()
    _, err = _run(runner, "claims", "accept", code=2)
    assert err == "error: Missing argument 'claim_id'. (see `root claims accept --help`)\n"
    _, err = _run(runner, "claims", "list", "--limit", "x", code=2)
    assert err.startswith("error: Invalid value for '--limit'") and err.count("\n") == 1
    _, err = _run(runner, "no-such-command", code=2)
    assert err.startswith("error: No such command 'no-such-command'") and err.count("\n") == 1


def test_a_database_in_a_missing_folder_is_refused_and_no_folder_made(
    home: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "no" / "such"
    for args in (["db", "upgrade"], ["board"], ["init"]):
        _, err = _run(CliRunner(), *args, "--db", f"sqlite:///{missing}/accord.db", code=5)
        assert err == (
            f"error: database folder {missing} does not exist: create it first, or correct "
            "--db / ACCORD_DB\n"
        )
    assert not (tmp_path / "no").exists()


def test_the_default_home_is_still_made_on_first_use(home: Path) -> None:
    assert not home.exists()
    _run(CliRunner(), "db", "upgrade")
    assert (home / "accord.db").exists()


def test_help_lines_in_the_command_table_are_the_commands_own() -> None:
    for entry in COMMANDS:
        command = entry.load()
        first = (command.help or "").strip().split("\n\n")[0].replace("\n", " ")
        assert first == entry.help, entry.name
    listed = CliRunner().invoke(app, ["--help"], terminal_width=200).stdout
    for entry in COMMANDS:
        assert re.search(rf"│ {entry.name}\s", listed), entry.name


def _fresh_python(code: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_version_and_help_import_no_domain_module(flag: str) -> None:
    """`accord --version`/`--help` must not pay for spaCy, SQLAlchemy or the domain modules."""
    out = _fresh_python(
        "import sys\n"
        "from accord.cli.main import app\n"
        "try:\n"
        f"    app([{flag!r}], prog_name='accord')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('spacy', 'sqlalchemy', 'pydantic', 'accord.negotiation', "
        "'accord.claims', 'accord.db') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    assert "HEAVY []" in out, out[-300:]
