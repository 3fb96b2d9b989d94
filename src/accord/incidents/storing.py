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
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

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
    pack: str | None = None,
) -> None:
    """Insert new incidents and update changed ones of one batch, with one audit event.

    ``batch`` holds the ``STORED`` columns of the rows, one list each, JSON as canonical text.
    New rows belong to ``pack``; a row stored before keeps its pack.
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
        insert_columns(session, {**new, "pack_id": [pack] * inserted}, by=by)
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
        f"SELECT {quote('external_id')} FROM {quote(table.name)} "  # noqa: S608 — quoted names, bound values
        f"WHERE {quote('external_id')} IN ({', '.join([marker] * len(keys))})"
    )
    return [row[0] for row in connection.exec_driver_sql(sql, tuple(keys))]


def insert_columns(session: Session, columns: dict[str, list[Any]], *, by: str) -> None:
    """Insert incident rows, given column by column, with one driver-level ``executemany``.

    Values are serialised here exactly as the column types would (UTC datetimes; JSON comes as
    canonical text already), each distinct date once, which saves SQLAlchemy's per-row parameter
    processing on large imports. A value that is the same in every row of the batch (the import's
    time and user, defaults, columns the batch leaves empty) is written into the statement
    instead of being bound again for every row, when it is NULL or plain text (``_literal``);
    binding costs the driver about as much per value as SQLite's own work per column.
    """
    connection = session.connection()
    dialect = connection.dialect
    marker = _MARKERS[dialect.paramstyle]  # sqlite3's and psycopg's (the supported drivers)
    sqlite = dialect.name == "sqlite"
    stamp = _sqlite_stamp if sqlite else _aware_utc
    size = len(columns["external_id"])
    now = stamp(utcnow())
    same: dict[str, Any] = {"created_at": now, "updated_at": now, "created_by": by}
    names: list[str] = []
    slots: list[str] = []
    series: list[Iterable[Any]] = []
    for name in _inserted_names():
        values = columns.get(name)
        if name in same:
            value = same[name]
        elif values is None or (values[0] is None and values.count(None) == size):
            value = _DEFAULTS.get(name)
        elif name in _PER_FILE and values.count(values[0]) == size:
            value = values[0]
        else:
            if name == "occurred_at":
                values = _each_once(values, stamp)
            elif name == "occurred_on" and sqlite:
                values = _each_once(values, dt.date.isoformat)
            elif name in _DEFAULTS:
                values = [_DEFAULTS[name] if v is None else v for v in values]
            names.append(name)
            slots.append(marker)
            series.append(values)
            continue
        literal = _literal(value)
        names.append(name)
        if literal is None:
            slots.append(marker)
            series.append(itertools.repeat(value, size))
        else:
            slots.append(literal)
    quote = dialect.identifier_preparer.quote
    table: Table = Incident.__table__  # type: ignore[assignment]
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, names))}) "  # noqa: S608 — quoted names; values bound or plain
        f"VALUES ({', '.join(slots)})"
    )
    rows = list(zip(*series, strict=False)) if series else [()] * size
    connection.exec_driver_sql(sql, rows)


# values the import leaves to the column defaults
_DEFAULTS = {"status": "reported", "source_format": "manual"}
# columns that hold one value per imported file
_PER_FILE = ("source_format", "pack_id")
# text written into a statement as it is: no quote, backslash, percent sign or control character
_PLAIN_TEXT = re.compile(r"[A-Za-z0-9_ .:+@-]{0,200}")


def _literal(value: Any) -> str | None:
    """Return a value as SQL text when it is NULL or plain text, else None (bind it)."""
    if value is None:
        return "NULL"
    if isinstance(value, str) and _PLAIN_TEXT.fullmatch(value):
        return f"'{value}'"
    return None


@functools.lru_cache(maxsize=1)
def _inserted_names() -> tuple[str, ...]:
    """Return the incident columns an import inserts: all but the id."""
    table: Table = Incident.__table__  # type: ignore[assignment]
    return tuple(c.name for c in table.columns if c.name != "id")


def _each_once(values: list[Any], convert: Callable[[Any], Any]) -> list[Any]:
    table = {v: convert(v) for v in set(values)}
    return list(map(table.__getitem__, values))


def _sqlite_stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _aware_utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC)
