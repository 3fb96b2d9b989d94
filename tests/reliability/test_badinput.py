"""The bad-input corpus: every case in tests/badinput/cases.yaml, run through the real CLI.

Each case gives a clear error naming the file, row or field, exits as expected, prints no
traceback and, when it fails, changes nothing stored (row counts of every table and the head of
the audit chain are compared before and after). The cases share one prepared database (schema and
the Ukraine pack) and run in manifest order; the audit chain is verified at the end.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import MetaData, func, select
from typer.testing import CliRunner

from accord.audit.models import AuditEvent
from accord.cli.main import app
from accord.db import migrate
from accord.db.session import get_engine, session_scope
from accord.packs import service as packs

CORPUS = Path(__file__).resolve().parents[1] / "badinput"
CASES: list[dict[str, Any]] = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def prepared(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    """A database with the schema and the Ukraine pack, and its ACCORD_HOME."""
    # tests/conftest.py by path: a plain import may find tests/web/conftest.py instead
    root = request.config.pluginmanager.get_plugin(str(Path(__file__).parents[1] / "conftest.py"))
    folder = tmp_path_factory.mktemp("badinput")
    url = root.new_database_url(folder)
    migrate.upgrade(url)
    with session_scope(url) as session:
        packs.load_by_name(session, "ukraine-2025", by="setup")
    yield url, folder / "home"
    root.drop_database_url(url)


def snapshot(url: str) -> dict[str, Any]:
    """Row counts of every table, and the last audit event's hash."""
    engine = get_engine(url)
    tables = MetaData()
    tables.reflect(bind=engine)
    with engine.connect() as connection:
        counts = {
            name: connection.scalar(select(func.count()).select_from(table))
            for name, table in tables.tables.items()
        }
        head = connection.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    return {"counts": counts, "audit_head": head}


def test_corpus_is_large_and_varied() -> None:
    ids = [case["id"] for case in CASES]
    assert len(ids) == len(set(ids)) and len(ids) >= 150
    formats = {case["args"][0] + " " + case["args"][1] for case in CASES}
    assert {"ingest", "incidents import", "pack load", "zones load", "eval"} <= {
        f if f.split()[0] in ("incidents", "pack", "zones") else f.split()[0] for f in formats
    }


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_bad_input(case: dict[str, Any], prepared: tuple[str, Path]) -> None:
    url, home = prepared
    folder = CORPUS / case["id"]
    args = [arg.replace("{case}", str(folder)).replace("{db}", url) for arg in case["args"]]
    env = {"ACCORD_HOME": str(home), "ACCORD_USER": "tester", **case.get("env", {})}
    before = snapshot(url)
    result = CliRunner().invoke(app, args, env=env)
    output = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert "Traceback" not in output
    if case["expect_exit"] == "nonzero":
        assert result.exit_code != 0, output
        assert snapshot(url) == before, "a failed command changed what is stored"
    else:
        assert result.exit_code == int(case["expect_exit"]), output
    if "expect_json_problem" in case:  # a rejected row's reason, not anywhere in the output
        reasons = " | ".join(p["reason"] for p in json.loads(result.stdout)["problems"])
        assert case["expect_json_problem"] in reasons, reasons
    else:
        assert case["expect_stderr"] in output, output


def test_audit_chain_still_verifies(prepared: tuple[str, Path]) -> None:
    url, home = prepared
    result = CliRunner().invoke(app, ["verify", "--db", url], env={"ACCORD_HOME": str(home)})
    assert result.exit_code == 0, result.output
