"""After `accord demo`, `accord release` holds implementation records and indicators that a
researcher joins to the provisions by id in pandas (issue 21), for each pack with drafts."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.demo.implementation import read_file
from accord.errors import InvalidInput


@pytest.mark.slow
@pytest.mark.parametrize(
    ("pack", "draft", "records", "indicators"),
    [
        ("ukraine-2025", "twenty-point-framework", 4, 2),
        ("gaza-2025", "first-phase-agreement", 9, 2),
    ],
)
def test_demo_release_has_implementation_joined_to_provisions(
    runner: CliRunner,
    home: Path,
    tmp_path: Path,
    pack: str,
    draft: str,
    records: int,
    indicators: int,
) -> None:
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    built = runner.invoke(app, ["demo", "--pack", pack, "--db", db, "--json"])
    assert built.exit_code == 0, built.output + str(built.exception)
    assert json.loads(built.stdout)["implementation"] == {
        "signed": 1,
        "records": records,
        "indicators": indicators,
    }
    out = tmp_path / "release"
    released = runner.invoke(app, ["release", "-o", str(out), "--db", db])
    assert released.exit_code == 0, released.output

    provisions = pd.read_csv(out / "data/provisions.csv")
    pam = pd.read_csv(out / "data/implementation.csv").merge(
        provisions, left_on="provision_id", right_on="id", suffixes=("", "_provision")
    )
    assert len(pam) == records and pam["title"].notna().all()
    assert set(pam["draft_id"]) == {draft} and pam["level"].between(0, 3).all()
    assert pam["note"].notna().all()
    table = pd.read_csv(out / "data/indicators.csv")
    assert len(table) == indicators and set(table["draft_id"]) == {draft}
    exchange = json.loads(table.loc[table["kind"] == "prisoner_exchange", "data"].iloc[0])
    assert sum(exchange["released_by"].values()) > 0
    drafts = pd.read_csv(out / "data/drafts.csv").set_index("id")
    assert pd.notna(drafts.loc[draft, "signed_on"])
    if pack == "gaza-2025":  # evidence: the example documents, as sources of the release
        sources = pd.read_csv(out / "data/sources.csv")
        with_evidence = pam.dropna(subset=["source_id"])
        assert len(with_evidence) >= 4
        assert set(with_evidence["source_id"].astype(int)) <= set(sources["id"])


def test_a_bad_implementation_file_is_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "implementation.yaml"
    path.write_text("records:\n  - provision: d:1\n    level: 5\n    date: 2026-01-01\n")
    with pytest.raises(InvalidInput, match=r"implementation.yaml: field records.0.level"):
        read_file(path)
