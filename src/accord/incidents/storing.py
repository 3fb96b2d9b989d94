"""Store a batch of mapped incident rows: insert the new ones, update the changed ones, audit.

A batch holds its rows column by column (``STORED``), JSON values as canonical text. New rows go to
the driver in one ``executemany``, serialised here as the column types would do it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, select
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

from accord.audit import service as audit
from accord.db.base import canonical_json, utcnow
from accord.incidents.models import Incident

if TYPE_CHECKING:
    from accord.incidents.importing import ImportSummary

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


# the incident columns a mapper returns, in a batch one list each (JSON as canonical text)
STORED = (
    "external_id",
    "source_format",
    "occurred_at",
    "occurred_on",
    "time_precision",
    "time_precision_code",
    "latitude",
    "longitude",
    "location_precision",
    "location_precision_code",
    "location_name",
    "admin1",
    "admin2",
    "type",
    "sub_type",
    "alleged_perpetrator",
    "target_type",
    "casualties",
    "sources",
    "reporter",
    "observer",
    "notes",
    "extra",
)
_JSON_COLUMNS = ("casualties", "sources", "observer", "extra")


def stored_form(columns: dict[str, Any]) -> dict[str, Any]:
    """Return a mapped row's columns as a batch holds them: JSON values as canonical text."""
    out = {key: columns.get(key) for key in STORED}
    for key in _JSON_COLUMNS:
        if out[key] is not None:
            out[key] = canonical_json(out[key])
    return out


def store_batch(
    session: Session,
    batch: dict[str, list[Any]],
    *,
    by: str,
    label: str,
    summary: ImportSummary,
) -> None:
    """Insert new incidents and update changed ones of one batch, with one audit event.

    ``batch`` holds the ``STORED`` columns of the rows, one list each, JSON as canonical text.
    """
    ids = batch["external_id"]
    found = stored_ids(session, [k for k in ids if k])
    existing = (
        {
            row.external_id: row
            for row in session.scalars(select(Incident).where(Incident.external_id.in_(found)))
        }
        if found
        else {}
    )
    new, updated_ids = batch, []
    if existing:
        fresh = []
        for i, key in enumerate(ids):
            current = existing.get(key)
            if current is None:
                fresh.append(i)
                continue
            changes = {}
            for name in COMPARED:
                value = batch[name][i]
                if name in _JSON_COLUMNS and value is not None:
                    value = json.loads(value)
                if getattr(current, name) != value:
                    changes[name] = value
            if changes:
                for name, value in changes.items():
                    setattr(current, name, value)
                current.occurred_on = batch["occurred_on"][i]
                updated_ids.append(current.id)
            else:
                summary.unchanged += 1
        new = {name: [values[i] for i in fresh] for name, values in batch.items()}
    inserted = len(new["external_id"])
    if inserted:
        insert_columns(session, new, by=by)
    session.flush()
    summary.inserted += inserted
    summary.updated += len(updated_ids)
    if inserted or updated_ids:
        digest = hashlib.sha256("\n".join(sorted(map(str, new["external_id"]))).encode())
        audit.record(
            session,
            by=by,
            action="incidents.import",
            entity="import",
            entity_id=label,
            payload={
                "inserted": inserted,
                "updated": updated_ids,
                "inserted_ids_sha256": digest.hexdigest(),
            },
        )


# the DB-API's positional parameter marker, by paramstyle
_MARKERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def stored_ids(session: Session, keys: list[str]) -> list[str]:
    """Return which of the external ids are stored already, with one driver-level query.

    SQLAlchemy's ``in_`` would build a bound parameter per id on every batch; the ids are plain
    values, so the query is written once with the driver's positional markers instead.
    """
    if not keys:
        return []
    connection = session.connection()
    dialect = connection.dialect
    marker = _MARKERS.get(dialect.paramstyle)
    if marker is None:  # a driver with another paramstyle: the portable, slower way
        query = select(Incident.external_id).where(Incident.external_id.in_(keys))
        return list(session.scalars(query))
    quote = dialect.identifier_preparer.quote
    table: Table = Incident.__table__  # type: ignore[assignment]
    sql = (
        f"SELECT {quote('external_id')} FROM {quote(table.name)} "
        f"WHERE {quote('external_id')} IN ({', '.join([marker] * len(keys))})"
    )
    return [row[0] for row in connection.exec_driver_sql(sql, tuple(keys))]


def insert_columns(session: Session, columns: dict[str, list[Any]], *, by: str) -> None:
    """Insert incident rows, given column by column, with one driver-level ``executemany``.

    Values are serialised here exactly as the column types would (UTC datetimes; JSON comes as
    canonical text already), each distinct date once, which saves SQLAlchemy's per-row parameter
    processing on large imports.
    """
    connection = session.connection()
    dialect = connection.dialect
    compiled, names = _compiled_insert(dialect)
    sqlite = dialect.name == "sqlite"
    stamp = _sqlite_stamp if sqlite else _aware_utc
    size = len(columns["external_id"])
    now = stamp(utcnow())
    fixed = {"created_at": now, "updated_at": now, "created_by": by}
    defaults = {"status": "reported", "source_format": "manual"}
    order = list(compiled.positiontup) if compiled.positiontup is not None else names
    series: list[Iterable[Any]] = []
    for key in order:
        if key in fixed:
            series.append(itertools.repeat(fixed[key], size))
            continue
        values = columns.get(key)
        if values is None:
            series.append(itertools.repeat(defaults.get(key), size))
            continue
        if key == "occurred_at":
            values = _each_once(values, stamp)
        elif key == "occurred_on" and sqlite:
            values = _each_once(values, dt.date.isoformat)
        if key in defaults:
            values = [defaults[key] if v is None else v for v in values]
        series.append(values)
    rows = zip(*series, strict=False)
    prepared: list[Any] = (
        list(rows)
        if compiled.positiontup is not None
        else [dict(zip(order, values, strict=True)) for values in rows]
    )
    connection.exec_driver_sql(compiled.string, prepared)


@functools.lru_cache(maxsize=8)
def _compiled_insert(dialect: Dialect) -> tuple[SQLCompiler, list[str]]:
    """Return the incidents INSERT of every column but the id, compiled once per dialect."""
    table: Table = Incident.__table__  # type: ignore[assignment]
    names = [c.name for c in table.columns if c.name != "id"]
    return table.insert().compile(dialect=dialect, column_keys=names), names


def _each_once(values: list[Any], convert: Callable[[Any], Any]) -> list[Any]:
    table = {v: convert(v) for v in set(values)}
    return list(map(table.__getitem__, values))


def _sqlite_stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _aware_utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC)
