"""Import incident files in transactional batches: idempotent on the external id, bad rows reported.

Each batch is one transaction: rows already stored under the same external id are updated when
they changed and left alone otherwise; new rows are inserted. A bad row never stops the others;
it is reported with its row number and reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from accord.audit import service as audit
from accord.db.base import canonical_json, utcnow
from accord.errors import InvalidInput
from accord.incidents.models import Incident
from accord.incidents.rows import MAPPERS, RowError

FORMATS = tuple(MAPPERS)
BATCH_ROWS = 5000
COMPARED = (
    "occurred_at",
    "time_precision",
    "latitude",
    "longitude",
    "location_precision",
    "type",
    "sub_type",
    "alleged_perpetrator",
    "target_type",
    "casualties",
    "notes",
    "admin1",
    "admin2",
    "location_name",
    "sources",
    "extra",
)


@dataclass
class RowProblem:
    """A rejected row: its number in the file (header is row 1), external id and reason."""

    row: int
    external_id: str | None
    reason: str


@dataclass
class ImportSummary:
    """Counts of an import run."""

    file: str
    format: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    problems: list[RowProblem] = field(default_factory=list)


# a row that could not be read at all carries its reason under this key
PROBLEM = "__problem__"
# the column that identifies a row in each format with its own ids
ID_COLUMNS = {"acled": "event_id_cnty", "ucdp": "id"}


def read_rows(path: Path, fmt: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (row number, fields) from a CSV or GeoJSON file, checking required columns first."""
    if fmt not in MAPPERS:
        raise InvalidInput(f"--format: unknown format {fmt!r} (use {', '.join(FORMATS)})")
    if fmt == "geojson":
        yield from _geojson_rows(path)
        return
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read file: {exc.strerror}") from exc
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, [])
            missing = [c for c in MAPPERS[fmt][1] if c not in header]
            if missing:
                raise InvalidInput(f"{path}: missing required columns: {', '.join(missing)}")
            width = len(header)
            for number, values in enumerate(reader, start=2):
                if len(values) < width:
                    values = values + [""] * (width - len(values))
                yield number, dict(zip(header, values, strict=False))
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"{path}: not UTF-8 text ({exc.reason})") from exc
        except csv.Error as exc:
            raise InvalidInput(f"{path}: line {reader.line_num}: {exc}") from exc


def _geojson_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: cannot read file: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from exc
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise InvalidInput(f"{path}: not a GeoJSON FeatureCollection")
    for number, feature in enumerate(features, start=1):
        props = (feature.get("properties") or {}) if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(feature, dict):
            yield number, {PROBLEM: f"feature {number} is not a GeoJSON Feature object"}
            continue
        if not isinstance(props, dict) or not isinstance(geometry, (dict, type(None))):
            yield (
                number,
                {PROBLEM: f"feature {number}: 'properties' and 'geometry' must be objects"},
            )
            continue
        props, geometry = dict(props), geometry or {}
        if geometry.get("type") == "Point" and len(geometry.get("coordinates") or []) >= 2:
            props["longitude"], props["latitude"] = geometry["coordinates"][:2]
        yield number, props


def _in_area(lat: float, lon: float, area: list[float] | None) -> bool:
    if not area:
        return True
    min_lon, min_lat, max_lon, max_lat = area
    return min_lon <= lon <= max_lon and min_lat <= lat <= max_lat


def map_rows(
    rows: Iterator[tuple[int, dict[str, Any]]],
    fmt: str,
    area: list[float] | None,
    summary: ImportSummary,
) -> Iterator[dict[str, Any]]:
    """Yield incident columns for good rows; record bad ones in the summary."""
    mapper = MAPPERS[fmt][0]
    seen: dict[str, int] = {}
    for number, row in rows:
        summary.rows += 1
        ident = row.get("event_id_cnty") or row.get("id") or row.get("external_id")
        try:
            if PROBLEM in row:
                raise RowError(row[PROBLEM])
            if fmt in ID_COLUMNS and not str(row.get(ID_COLUMNS[fmt]) or "").strip():
                raise RowError(f"missing {ID_COLUMNS[fmt]}")
            columns = mapper(row)
            if not _in_area(columns["latitude"], columns["longitude"], area):
                raise RowError(
                    f"coordinates {columns['latitude']}, {columns['longitude']} are outside the "
                    "pack's area of interest"
                )
            key = columns.get("external_id")
            if key is not None:
                if key in seen:
                    raise RowError(f"duplicate external id {key!r} (first on row {seen[key]})")
                seen[key] = number
        except (RowError, ValueError, KeyError) as exc:
            reason = str(exc) if not isinstance(exc, KeyError) else f"missing field {exc}"
            summary.rejected += 1
            summary.problems.append(RowProblem(number, str(ident) if ident else None, reason))
            continue
        yield columns


def store_batch(
    session: Session, batch: list[dict[str, Any]], *, by: str, label: str, summary: ImportSummary
) -> None:
    """Insert new incidents and update changed ones of one batch, with one audit event."""
    keys = [r["external_id"] for r in batch if r.get("external_id")]
    existing = (
        {
            row.external_id: row
            for row in session.scalars(select(Incident).where(Incident.external_id.in_(keys)))
        }
        if keys
        else {}
    )
    new_rows, updated_ids = [], []
    for columns in batch:
        current = existing.get(columns.get("external_id"))
        if current is None:
            new_rows.append({**columns, "created_by": by})
            continue
        changes = {k: columns[k] for k in COMPARED if getattr(current, k) != columns[k]}
        if changes:
            for key, value in changes.items():
                setattr(current, key, value)
            current.occurred_on = columns["occurred_on"]
            updated_ids.append(current.id)
        else:
            summary.unchanged += 1
    if new_rows:
        insert_rows(session, new_rows)
    session.flush()
    summary.inserted += len(new_rows)
    summary.updated += len(updated_ids)
    if new_rows or updated_ids:
        digest = hashlib.sha256(
            "\n".join(sorted(str(r.get("external_id")) for r in new_rows)).encode()
        )
        audit.record(
            session,
            by=by,
            action="incidents.import",
            entity="import",
            entity_id=label,
            payload={
                "inserted": len(new_rows),
                "updated": updated_ids,
                "inserted_ids_sha256": digest.hexdigest(),
            },
        )


_JSON_COLUMNS = ("casualties", "sources", "observer", "extra")


def insert_rows(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert incident rows with one driver-level ``executemany``.

    Values are serialised here exactly as the column types would (UTC datetimes, canonical JSON),
    which saves SQLAlchemy's per-row parameter processing on large imports.
    """
    connection = session.connection()
    dialect = connection.dialect
    table: Table = Incident.__table__  # type: ignore[assignment]
    names = [c.name for c in table.columns if c.name != "id"]
    compiled = table.insert().compile(dialect=dialect, column_keys=names)
    sqlite = dialect.name == "sqlite"
    stamp = _sqlite_stamp if sqlite else _aware_utc
    now = stamp(utcnow())
    fixed = {"created_at": now, "updated_at": now}
    defaults = {"status": "reported", "source_format": "manual"}
    order = list(compiled.positiontup) if compiled.positiontup is not None else names
    converters: dict[str, Any] = {"occurred_at": stamp}
    if sqlite:
        converters["occurred_on"] = _iso_date
    for key in _JSON_COLUMNS:
        converters[key] = _json_or_none
    prepared: list[Any] = []
    for row in rows:
        values: list[Any] = []
        for key in order:
            if key in fixed:
                values.append(fixed[key])
                continue
            value = row.get(key)
            if value is None:
                value = defaults.get(key)
            convert = converters.get(key)
            values.append(convert(value) if convert is not None and value is not None else value)
        prepared.append(
            tuple(values)
            if compiled.positiontup is not None
            else dict(zip(order, values, strict=True))
        )
    connection.exec_driver_sql(compiled.string, prepared)


@functools.lru_cache(maxsize=65536)
def _sqlite_stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _aware_utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC)


def _iso_date(value: dt.date) -> str:
    return value.isoformat()


def _json_or_none(value: Any) -> str | None:
    return None if value is None else canonical_json(value)


def write_problems(summary: ImportSummary, path: Path) -> None:
    """Write the rejected rows (row, external id, reason) as CSV."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["row", "external_id", "reason"])
        for p in summary.problems:
            writer.writerow([p.row, p.external_id or "", p.reason])


def run_import(
    path: Path,
    fmt: str,
    *,
    area: list[float] | None,
    by: str,
    open_session: Callable[[], Any],
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import a file batch by batch; each batch commits in its own transaction."""
    if fmt not in MAPPERS:
        raise InvalidInput(f"--format: unknown format {fmt!r} (use {', '.join(FORMATS)})")
    summary = ImportSummary(file=str(path), format=fmt)
    batch: list[dict[str, Any]] = []
    number = 0

    def flush() -> None:
        nonlocal number
        number += 1
        with open_session() as session:
            store_batch(session, batch, by=by, label=f"{path.name}#{number}", summary=summary)
        if progress is not None:
            progress(len(batch))
        batch.clear()

    for columns in map_rows(read_rows(path, fmt), fmt, area, summary):
        batch.append(columns)
        if len(batch) >= BATCH_ROWS:
            flush()
    if batch:
        flush()
    return summary
