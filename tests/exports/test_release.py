"""`accord release`: every dataset, a data package that `frictionless validate` passes, audited."""

from __future__ import annotations

import json
from pathlib import Path

import frictionless
import geopandas as gpd
import pandas as pd
from export_case import case
from sqlalchemy import select
from typer.testing import CliRunner

from accord.audit.models import AuditEvent
from accord.cli.main import app
from accord.db.session import session_scope
from accord.exports.release import CONTENTS, sha256_of
from accord.incidents.models import Incident

__all__ = ["case"]


def test_release_is_a_valid_data_package_a_researcher_can_load(
    runner: CliRunner, home: Path, case: str, tmp_path: Path
) -> None:
    out = tmp_path / "release"
    result = runner.invoke(app, ["release", "-o", str(out), "--db", case, "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    package = json.loads((out / "datapackage.json").read_text())
    assert package["accord"]["version"] and package["licenses"][0]["name"] == "CC-BY-4.0"
    assert {r["name"] for r in package["resources"] if r["type"] == "table"} == set(CONTENTS)
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]

    # the files as a researcher loads them: points in geopandas, PAM joined to provisions
    incidents = gpd.read_parquet(out / "data/incidents.geo.parquet")
    assert incidents.crs.name.startswith("WGS 84") and len(incidents) > 0
    assert len(gpd.read_file(out / "data/zones.geojson")) > 0
    pam = pd.read_csv(out / "data/implementation.csv").merge(
        pd.read_csv(out / "data/provisions.csv"), left_on="provision_id", right_on="id"
    )
    assert len(pam) == 3 and pam["title"].notna().all()

    # public: viewer grid, no reporters, no source text
    with session_scope(case) as session:
        exact = {(i.latitude, i.longitude) for i in session.scalars(select(Incident))}
    released = set(zip(incidents["latitude"], incidents["longitude"], strict=True))
    assert not released & exact
    assert incidents["reporter"].isna().all()
    assert "text" not in pd.read_csv(out / "data/sources.csv").columns

    # the README lists every file with its hash; the audit event records the same hashes
    readme = (out / "README.md").read_text()
    for path, digest in summary["files"].items():
        assert sha256_of(out / path) == digest and f"`{path}`" in readme and digest in readme
    assert "### implementation" in readme and "`level`" in readme
    with session_scope(case) as session:
        event = session.get(AuditEvent, summary["audit_event"])
        assert event is not None and event.action == "release.write"
        assert event.payload["files"] == summary["files"]

    # a changed byte is caught by the package's hashes
    target = out / "data/rulings.csv"
    target.write_bytes(target.read_bytes().replace(b"violation", b"Violation", 1))
    assert not frictionless.validate(str(out / "datapackage.json")).valid


def test_release_refuses_a_folder_in_use(
    runner: CliRunner, home: Path, case: str, tmp_path: Path
) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = runner.invoke(app, ["release", "-o", str(tmp_path), "--db", case])
    assert result.exit_code != 0 and "give a new or empty folder" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
    with session_scope(case) as session:
        assert not session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "release.write", AuditEvent.payload.contains(str(tmp_path))
            )
        ).first()
