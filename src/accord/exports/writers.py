"""Write column batches as CSV, JSON, Parquet, GeoJSON, GeoParquet or ACLED CSV, batch by batch.

Each file is written to a temporary name beside the target and renamed when complete, so a
failed export never leaves a half-written file. Only one batch is in memory at a time.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from accord.errors import InvalidInput
from accord.exports import acled
from accord.exports.fields import Field, arrow_schema
from accord.exports.query import Batch
from accord.incidents.rows import ACLED_COLUMNS

Progress = Callable[[int], None]


@contextmanager
def atomic(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` when the block succeeds."""
    if not path.parent.is_dir():
        raise InvalidInput(f"-o {path}: folder {path.parent} does not exist")
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(fd)
    try:
        yield Path(name)
        os.chmod(name, 0o644)  # mkstemp makes it private; an export is for sharing
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _rows(batch: Batch, names: list[str]) -> Iterator[list[Any]]:
    columns = [batch[name] for name in names]
    for values in zip(*columns, strict=True):
        yield [_plain(v) for v in values]


def _csv(
    handle: IO[str], fields: tuple[Field, ...], batches: Iterable[Batch], done: Progress
) -> int:
    names = [f.name for f in fields]
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(names)
    total = 0
    for batch in batches:
        n = len(batch[names[0]])
        writer.writerows(_rows(batch, names))
        total += n
        done(n)
    return total


def _acled(handle: IO[str], batches: Iterable[Batch], done: Progress) -> int:
    writer = csv.DictWriter(handle, fieldnames=list(ACLED_COLUMNS), lineterminator="\n")
    writer.writeheader()
    total = 0
    for batch in batches:
        rows = acled.rows(batch)
        writer.writerows(rows)
        total += len(rows)
        done(len(rows))
    return total


def _json(
    handle: IO[str], fields: tuple[Field, ...], batches: Iterable[Batch], done: Progress
) -> int:
    names = [f.name for f in fields]
    handle.write("[")
    total = 0
    for batch in batches:
        for values in _rows(batch, names):
            handle.write(",\n" if total else "\n")
            handle.write(json.dumps(dict(zip(names, values, strict=True)), ensure_ascii=False))
            total += 1
        done(len(batch[names[0]]))
    handle.write("\n]\n")
    return total


def geometries(batch: Batch) -> list[Any]:
    """Return a batch's shapely geometries: its WKB column, else points from lon/lat."""
    if "geometry" in batch:
        return list(shapely.from_wkb(batch["geometry"])) if batch["geometry"] else []
    return list(shapely.points(batch["longitude"], batch["latitude"]))


def _geojson(
    handle: IO[str], fields: tuple[Field, ...], batches: Iterable[Batch], done: Progress
) -> int:
    names = [f.name for f in fields]
    handle.write('{"type": "FeatureCollection", "features": [')
    total = 0
    for batch in batches:
        shapes = geometries(batch)
        for values, shape in zip(_rows(batch, names), shapes, strict=True):
            feature = {
                "type": "Feature",
                "id": values[0],
                "geometry": shapely.geometry.mapping(shape),
                "properties": dict(zip(names, values, strict=True)),
            }
            handle.write(",\n" if total else "\n")
            handle.write(json.dumps(feature, ensure_ascii=False))
            total += 1
        done(len(shapes))
    handle.write("\n]}\n")
    return total


def _table(batch: Batch, schema: pa.Schema, geo: bool) -> pa.Table:
    columns = {name: batch[name] for name in schema.names if name != "geometry"}
    if geo:
        if "geometry" in batch:  # zones: their stored WKB as it is
            columns["geometry"] = batch["geometry"]
        else:  # points made and encoded in shapely's vectorised calls, no Python objects
            points = shapely.points(batch["longitude"], batch["latitude"])
            columns["geometry"] = pa.array(shapely.to_wkb(points), pa.binary())
    return pa.Table.from_pydict(columns, schema=schema)


def geo_metadata(types: list[str]) -> bytes:
    """Return GeoParquet 1.1 metadata for a WKB ``geometry`` column in WGS84 lon/lat."""
    column = {"encoding": "WKB", "geometry_types": types}  # no "crs": OGC:CRS84, lon/lat
    return json.dumps(
        {"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": column}}
    ).encode()


def _parquet(
    target: Path,
    fields: tuple[Field, ...],
    batches: Iterable[Batch],
    done: Progress,
    geo_types: list[str] | None,
) -> int:
    schema = arrow_schema(fields, geometry=geo_types is not None)
    if geo_types is not None:
        schema = schema.with_metadata({b"geo": geo_metadata(geo_types)})
    total = 0
    with pq.ParquetWriter(target, schema, compression="zstd") as writer:
        for batch in batches:
            table = _table(batch, schema, geo_types is not None)
            writer.write_table(table)
            total += table.num_rows
            done(table.num_rows)
    return total


def write(
    path: Path,
    fmt: str,
    fields: tuple[Field, ...],
    batches: Iterable[Batch],
    *,
    geo_types: list[str] | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the batches to ``path`` in a format; return the number of rows written."""
    done = progress or (lambda n: None)
    with atomic(path) as target:
        if fmt in ("parquet", "geoparquet"):
            return _parquet(
                target, fields, batches, done, geo_types if fmt == "geoparquet" else None
            )
        with open(target, "w", newline="", encoding="utf-8") as handle:
            if fmt == "csv":
                return _csv(handle, fields, batches, done)
            if fmt == "acled":
                return _acled(handle, batches, done)
            if fmt == "json":
                return _json(handle, fields, batches, done)
            if fmt == "geojson":
                return _geojson(handle, fields, batches, done)
    raise InvalidInput(f"--format: unknown format {fmt!r}")
