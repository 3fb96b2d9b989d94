"""The issue's done-when checks through the CLI, on the seed article; review, exports, demo."""

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from accord.cli.main import app
from accord.db.session import get_engine

SEED = "2025-12-28-mar-a-lago-talks.txt"


def run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def seeded(runner: CliRunner, home: Path, fresh_db: str, seed_dir: Path) -> str:
    run(runner, "init", "--db", fresh_db)
    run(runner, "ingest", str(seed_dir / SEED), "--db", fresh_db)
    return fresh_db


def board_rows(runner: CliRunner, db: str) -> dict[str, dict]:  # type: ignore[type-arg]
    data = json.loads(run(runner, "board", "--as-of", "2025-12-28", "--db", db, "--json"))
    return {r["issue"]: r for r in data["rows"]}


def test_seed_board(runner: CliRunner, seeded: str) -> None:
    rows = board_rows(runner, seeded)
    guarantees = rows["security-guarantees"]
    assert guarantees["status"] == "contested"
    statuses = {s["holder"]: s for s in guarantees["statuses"]}
    assert statuses["ua"]["status"] == "agreed"
    assert (statuses["us"]["status"], statuses["us"]["progress_pct"]) == ("near_agreement", 95)
    territory = rows["territory"]["cells"]
    assert territory["ru"]["stance"] == "demand" and territory["ua"]["stance"] == "demand"
    assert territory["us"]["stance"] == "propose"
    assert rows["ceasefire"]["cells"]["ru"]["stance"] == "oppose"


def test_seed_upcoming_events(runner: CliRunner, seeded: str) -> None:
    data = json.loads(
        run(runner, "events", "--upcoming", "--as-of", "2025-12-28", "--db", seeded, "--json")
    )
    paris = [e for e in data["events"] if e["place"] == "Paris"]
    assert len(paris) == 1 and paris[0]["participants"] == ["coalition-of-the-willing"]
    assert paris[0]["upcoming"] is True and paris[0]["date_precision"] == "approx"
    assert all(e["upcoming"] for e in data["events"])


def test_rejecting_a_claim_changes_the_board_and_is_audited(runner: CliRunner, seeded: str) -> None:
    ru = board_rows(runner, seeded)["ceasefire"]["cells"]["ru"]
    out = json.loads(
        run(
            runner,
            "claims",
            "reject",
            str(ru["claim_id"]),
            "--reason",
            "test",
            "--db",
            seeded,
            "--json",
        )
    )
    assert out["changed"] and out["claim"]["review_state"] == "rejected"
    assert board_rows(runner, seeded)["ceasefire"]["cells"]["ru"] is None
    with get_engine(seeded).connect() as conn:
        actions = [r[0] for r in conn.execute(text("SELECT action FROM audit_events ORDER BY id"))]
    assert actions[-1] == "claim.rejected"
    assert "OK" in run(runner, "verify", "--db", seeded)
    again = runner.invoke(app, ["claims", "accept", str(ru["claim_id"]), "--db", seeded])
    assert again.exit_code == 4 and "already rejected" in again.stderr
    listed = json.loads(
        run(runner, "claims", "list", "--state", "rejected", "--db", seeded, "--json")
    )
    assert listed["total"] == 1


def test_correcting_a_claim_through_the_cli(runner: CliRunner, seeded: str) -> None:
    ua = board_rows(runner, seeded)["territory"]["cells"]["ua"]
    out = json.loads(
        run(
            runner,
            "claims",
            "correct",
            str(ua["claim_id"]),
            "--stance",
            "oppose",
            "--db",
            seeded,
            "--json",
        )
    )
    assert out["supersedes_id"] == ua["claim_id"]
    assert board_rows(runner, seeded)["territory"]["cells"]["ua"]["stance"] == "oppose"
    bad = runner.invoke(
        app, ["claims", "correct", str(out["id"]), "--holder", "zz", "--db", seeded]
    )
    assert bad.exit_code == 2 and "unknown actor 'zz'" in bad.stderr


def test_issue_timeline_cli(runner: CliRunner, seeded: str) -> None:
    data = json.loads(run(runner, "issue", "territory", "--db", seeded, "--json"))
    assert data["entries"] and all(e["source_title"] for e in data["entries"])
    assert "timeline of territory" in run(runner, "issue", "territory", "--db", seeded)
    missing = runner.invoke(app, ["issue", "atlantis", "--db", seeded])
    assert missing.exit_code == 3


def test_as_of_before_any_source(runner: CliRunner, seeded: str) -> None:
    result = runner.invoke(app, ["board", "--as-of", "2020-01-01", "--db", seeded])
    assert result.exit_code == 2 and "before the first source (2025-12-28)" in result.stderr


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_exports(runner: CliRunner, seeded: str, tmp_path: Path, fmt: str) -> None:
    for dataset in ("board", "claims", "events"):
        target = tmp_path / f"{dataset}.{fmt}"
        run(
            runner,
            "export",
            dataset,
            "--format",
            fmt,
            "-o",
            str(target),
            "--as-of",
            "2025-12-28",
            "--db",
            seeded,
        )
        if fmt == "csv":
            rows = list(csv.DictReader(target.open()))
        elif fmt == "json":
            rows = json.loads(target.read_text())
        else:
            rows = pq.read_table(target).to_pylist()
        assert rows, dataset
        if dataset == "board":
            assert {r["issue"] for r in rows} >= {"territory", "ceasefire"}
            assert "ru_stance" in rows[0]


def test_export_bad_input_writes_nothing(runner: CliRunner, seeded: str, tmp_path: Path) -> None:
    target = tmp_path / "x.csv"
    bad = runner.invoke(app, ["export", "everything", "-o", str(target), "--db", seeded])
    assert bad.exit_code == 2 and "unknown dataset" in bad.stderr
    bad = runner.invoke(
        app, ["export", "board", "--format", "xlsx", "-o", str(target), "--db", seeded]
    )
    assert bad.exit_code == 2 and "unknown format" in bad.stderr
    assert not target.exists()
    bad = runner.invoke(
        app, ["export", "board", "-o", str(tmp_path / "no" / "x.csv"), "--db", seeded]
    )
    assert bad.exit_code == 2 and "does not exist" in bad.stderr


def test_demo_prints_the_board(runner: CliRunner, home: Path) -> None:
    out = run(runner, "demo")
    assert "negotiation board as of" in out
    assert "armed-forces-cap: 600,000 -> 800,000" in out
    data = json.loads(run(runner, "demo", "--json"))
    assert {r["issue"] for r in data["board"]["rows"]} >= {"territory", "security-guarantees"}
