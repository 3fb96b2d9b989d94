"""Export speed: 1,000,000 incidents to Parquet and GeoParquet, beside pandas and geopandas.

The database is built once (``--db``: kept between runs) by importing the ACLED-format CSV of
``incident_import.py``. Each measured step runs in its own child process, so its peak memory
(the child's maximum resident set) is its own:

- ``accord``: ``accord.exports.datasets.export`` of the incidents (Core query in batches of
  20,000, zone hits, violations, clusters and rulings per batch, one Arrow table per batch
  written with ``ParquetWriter``), for Parquet and GeoParquet;
- ``pandas``: ``pandas.read_sql`` of the same incident columns in one frame, then
  ``DataFrame.to_parquet``; ``geopandas``: the same frame with ``points_from_xy`` and
  ``GeoDataFrame.to_parquet``. Their write alone (frame already in memory) is timed too.

The yardstick builds no zone, cluster or ruling columns and parses no JSON: accord's file has more
in it. Both write zstd-compressed files.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
COLUMNS = (
    "id, external_id, source_format, occurred_at, occurred_on, time_precision, "
    "time_precision_code, latitude, longitude, location_precision, location_precision_code, "
    "location_name, admin1, admin2, type, sub_type, alleged_perpetrator, attributed_to, "
    "attribution_confidence, target_type, casualties, sources, reporter, notes, status, "
    "created_at, updated_at"
)


def build(db: Path, rows: int) -> None:
    """Import ``rows`` generated ACLED rows into a new SQLite database."""
    sys.path.insert(0, str(BENCH))
    from incident_import import accord_import, write_csv

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "acled.csv"
        write_csv(data, rows)
        accord_import(data, db)


def step(name: str, db: Path, out: Path) -> dict[str, float]:
    """Run one measured step in this process; return its timings."""
    url = f"sqlite:///{db}"
    if name.startswith("accord"):
        from accord.db.session import session_scope
        from accord.exports import datasets
        from accord.exports.query import ExportQuery

        fmt = name.split("-")[1]
        start = time.perf_counter()
        with session_scope(url, read_only=True) as session:
            rows = datasets.export(session, "incidents", out, fmt, ExportQuery())
        return {"seconds": time.perf_counter() - start, "rows": rows}
    import pandas as pd
    import sqlalchemy

    start = time.perf_counter()
    engine = sqlalchemy.create_engine(url)
    with engine.connect() as connection:
        query = f"SELECT {COLUMNS} FROM incidents ORDER BY id"  # noqa: S608 - our own columns
        frame = pd.read_sql(query, connection)
    read = time.perf_counter()
    if name == "pandas":
        frame.to_parquet(out, compression="zstd", index=False)
    else:
        import geopandas as gpd

        geo = gpd.GeoDataFrame(
            frame, geometry=gpd.points_from_xy(frame.longitude, frame.latitude), crs="OGC:CRS84"
        )
        geo.to_parquet(out, compression="zstd", index=False)
    end = time.perf_counter()
    return {"seconds": end - start, "write_seconds": end - read, "rows": len(frame)}


def measure(name: str, db: Path, out: Path) -> dict[str, float]:
    """Run a step in a child process; return its timings and peak memory (MB)."""
    child = subprocess.Popen(  # noqa: S603 - this script, with our own arguments
        [sys.executable, __file__, "--step", name, "--db", str(db), "--out", str(out)],
        stdout=subprocess.PIPE,
        text=True,
    )
    output = child.stdout.read() if child.stdout else ""
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{name} failed")
    return {**json.loads(output), "peak_mb": round(usage.ru_maxrss / 1024)}


def main() -> None:
    """Build (or reuse) the database, run every step, print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="SQLite file to build once and reuse")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.step, args.db, args.out)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "incidents.db"
        if not db.exists():
            build(db, args.rows)
        results = {}
        for name in ("accord-parquet", "pandas", "accord-geoparquet", "geopandas"):
            results[name] = measure(name, db, Path(tmp) / f"{name}.parquet")
            results[name]["file_mb"] = round(
                (Path(tmp) / f"{name}.parquet").stat().st_size / 2**20, 1
            )
    for ours, theirs in (("accord-parquet", "pandas"), ("accord-geoparquet", "geopandas")):
        results[ours]["ratio_to_yardstick"] = round(
            results[ours]["seconds"] / results[theirs]["seconds"], 2
        )
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
