"""The reference case: the seed article and its expected claims (skips without ../shared)."""

import json
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app
from accord.extract.evaluate import evaluate
from accord.extract.pipeline import extractor_for

SEED = "2025-12-28-mar-a-lago-talks"


def test_seed_f1_is_at_least_0_9(seed_dir: Path) -> None:
    report = evaluate(seed_dir / f"{SEED}.expected.json", extractor_for("ukraine-2025"))
    assert report.overall.f1 >= 0.9, report.as_dict()


def test_extract_cli_json_matches_contract_with_correct_spans(
    seed_dir: Path, runner: CliRunner
) -> None:
    result = runner.invoke(app, ["extract", str(seed_dir / f"{SEED}.txt"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    text = (seed_dir / f"{SEED}.txt").read_text(encoding="utf-8")
    assert data["source"]["published_at"] == "2025-12-28"
    assert data["claims"]
    for claim in data["claims"]:
        start, end = claim["span"]
        assert text[start:end] == claim["quote"]
        assert claim["kind"] in {"position", "status", "proposal", "event"}
        assert 0 <= claim["confidence"] <= 1
    by_key = {(c["kind"], c.get("issue"), c.get("holder")): c for c in data["claims"]}
    guarantees = by_key[("status", "security-guarantees", "us")]
    assert guarantees["status"] == "near_agreement" and guarantees["progress_pct"] == 95
    paris = next(
        c
        for c in data["claims"]
        if c["kind"] == "event" and c["participants"] == ["coalition-of-the-willing"]
    )
    assert paris["date"].startswith("2026-01") and paris["date_precision"] == "approx"
    assert paris["place"] == "Paris"


def test_eval_cli_reports_f1(seed_dir: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["eval", str(seed_dir / f"{SEED}.expected.json"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["overall"]["f1"] >= 0.9
    assert set(report["by_kind"]) == {"position", "proposal", "status", "event"}
