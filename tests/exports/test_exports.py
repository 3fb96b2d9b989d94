"""`accord export DATASET`: every dataset in every format, filters, and refusals."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq
import pytest
from export_case import case
from sqlalchemy import func, select
from typer.testing import CliRunner

from accord.cli.main import app
from accord.db.session import session_scope
from accord.incidents.models import Incident, ZoneHit

__all__ = ["case"]

FORMATS = {
    "incidents": ("csv", "json", "parquet", "geojson", "geoparquet", "acled"),
    "zones": ("csv", "json", "parquet", "geojson", "geoparquet"),
    "rulings": ("csv", "json", "parquet"),
    "drafts": ("csv", "json", "parquet"),
    "provisions": ("csv", "json", "parquet"),
    "implementation": ("csv", "json", "parquet"),
    "indicators": ("csv", "json", "parquet"),
    "sources": ("csv", "json", "parquet"),
}


def export(runner: CliRunner, db: str, *args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, ["export", *args, "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def read(path: Path, fmt: str) -> pd.DataFrame:
    if fmt in ("csv", "acled"):
        return pd.read_csv(path)
    if fmt == "json":
        return pd.DataFrame(json.loads(path.read_text()))
    if fmt == "geojson":
        return gpd.read_file(path)
    if fmt == "geoparquet":
        return gpd.read_parquet(path)
    return pd.read_parquet(path)


@pytest.mark.parametrize("dataset", sorted(FORMATS))
def test_every_dataset_in_every_format(
    runner: CliRunner, case: str, tmp_path: Path, dataset: str
) -> None:
    counts = set()
    for fmt in FORMATS[dataset]:
        target = tmp_path / f"{dataset}.{fmt}"
        meta = export(runner, case, dataset, "--format", fmt, "-o", str(target))
        frame = read(target, fmt)
        assert meta["rows"] == len(frame) > 0, (dataset, fmt)
        counts.add(len(frame))
        if fmt in ("geojson", "geoparquet"):
            assert frame.crs is not None and frame.crs.name.startswith("WGS 84")
            assert frame.geometry.notna().all()
    assert len(counts) == 1  # every format holds the same rows


def test_incidents_carry_what_the_council_made_of_them(
    runner: CliRunner, case: str, tmp_path: Path
) -> None:
    target = tmp_path / "incidents.parquet"
    export(runner, case, "incidents", "--format", "parquet", "-o", str(target))
    rows = pq.read_table(target).to_pylist()
    with session_scope(case) as session:
        hits = set(session.execute(select(ZoneHit.incident_id, ZoneHit.zone_id)).all())
        stored = {i.id: i for i in session.scalars(select(Incident))}
    assert {(r["id"], z) for r in rows if r["zones"] for z in r["zones"].split("; ")} == hits
    assert {r["id"]: r["status"] for r in rows} == {k: v.status for k, v in stored.items()}
    ruled = [r for r in rows if r["ruling_id"]]
    assert len(ruled) == 1 and ruled[0]["ruling_outcome"] == "violation"
    assert ruled[0]["status"] == "verified" and ruled[0]["ruling_party"] == "ru"
    assert any(r["violation_candidates"] for r in rows)
    clustered = [r for r in rows if r["cluster_id"]]
    assert clustered and all(r["cluster_representative"] for r in clustered)
    assert all(r["reporter"] for r in rows)  # the CLI is an operator's: reporters kept
    exact = {r["id"]: (r["latitude"], r["longitude"]) for r in rows}
    assert exact == {k: (v.latitude, v.longitude) for k, v in stored.items()}


def test_implementation_is_long_format_joined_to_provisions(
    runner: CliRunner, case: str, tmp_path: Path
) -> None:
    for dataset in ("implementation", "provisions"):
        export(runner, case, dataset, "--format", "csv", "-o", str(tmp_path / f"{dataset}.csv"))
    records = pd.read_csv(tmp_path / "implementation.csv")
    provisions = pd.read_csv(tmp_path / "provisions.csv")
    joined = records.merge(provisions, left_on="provision_id", right_on="id")
    assert len(joined) == len(records) == 3
    assert sorted(joined["level"]) == [1, 2, 3]
    assert set(joined["level_label"]) == {"minimal", "intermediate", "full"}
    assert joined["obligated"].notna().any() and joined["issues"].notna().all()


def test_filters_of_the_list_commands(runner: CliRunner, case: str, tmp_path: Path) -> None:
    target = tmp_path / "f.csv"
    everything = export(runner, case, "incidents", "-o", str(target))["rows"]
    export(runner, case, "incidents", "--status", "verified", "-o", str(target))
    assert set(pd.read_csv(target)["status"]) == {"verified"}
    with session_scope(case) as session:
        zone, hits = session.execute(
            select(ZoneHit.zone_id, func.count())
            .group_by(ZoneHit.zone_id)
            .order_by(func.count(), ZoneHit.zone_id)
        ).first()  # type: ignore[misc]
    export(runner, case, "incidents", "--zone", zone, "-o", str(target))
    in_zone = pd.read_csv(target)
    assert len(in_zone) == hits < everything
    assert all(zone in z.split("; ") for z in in_zone["zones"])
    export(
        runner, case, "incidents", "--from", "2026-02-05", "--to", "2026-02-06", "-o", str(target)
    )
    days = set(pd.read_csv(target)["occurred_on"])
    assert days and days <= {"2026-02-05", "2026-02-06"}
    export(runner, case, "implementation", "--from", "2026-02-01", "-o", str(target))
    assert len(pd.read_csv(target)) == 2


def test_source_text_only_when_asked(runner: CliRunner, case: str, tmp_path: Path) -> None:
    plain, full = tmp_path / "plain.csv", tmp_path / "full.csv"
    export(runner, case, "sources", "-o", str(plain))
    export(runner, case, "sources", "--with-text", "-o", str(full))
    with plain.open() as handle:
        assert "text" not in next(csv.reader(handle))
    assert pd.read_csv(full)["text"].str.len().min() > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nothing", "-o", "x.csv"], "unknown dataset 'nothing'"),
        (
            ["rulings", "--format", "geojson", "-o", "x.geojson"],
            "unknown format 'geojson' for rulings",
        ),
        (["incidents", "--status", "lost", "-o", "x.csv"], "--status: unknown status 'lost'"),
        (["incidents", "--from", "2026-13-01", "-o", "x.csv"], "--from"),
    ],
)
def test_bad_requests_say_why_and_write_nothing(
    runner: CliRunner, case: str, tmp_path: Path, args: list[str], message: str
) -> None:
    args = [a if not a.startswith("x.") else str(tmp_path / a) for a in args]
    result = runner.invoke(app, ["export", *args, "--db", case])
    assert result.exit_code != 0
    assert message in result.output
    assert list(tmp_path.iterdir()) == []
