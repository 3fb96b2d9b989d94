"""Map a block of ACLED rows column by column, with the row mapper's own functions.

Each distinct value of a column (a date, a precision code, a type and sub-type pair, a fatality
count) is checked and converted once, by the functions ``rows.acled_columns`` calls; numbers are
read with ``float`` and checked against their ranges and the area of interest for the whole
column at once. A row any of whose values fails a check is not judged here: it is left to the
per-row path, which rejects it with its reason (or, should it accept it, maps it the same way).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.db.base import canonical_json
from accord.incidents.rows import (
    ACLED_EXTRA,
    ACLED_GEO,
    ACLED_TIME,
    _code,
    acled_casualties,
    acled_extra,
    acled_sources,
    parse_when,
)
from accord.incidents.taxonomy import resolve

# every column the ACLED row mapper (and the import around it) may read
ACLED_READ = (
    "event_id_cnty",
    "id",
    "external_id",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "civilian_targeting",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
    *ACLED_EXTRA,
)
_NOT_A_NUMBER = float("nan")


@dataclass
class MappedBlock:
    """The block's incident columns (stored form: JSON as canonical text) and the rows they hold.

    ``columns`` has one entry per row of the block; ``ok[i]`` says row i passed every check, and
    the rows in ``rest`` (the others) must be judged one by one.
    """

    columns: dict[str, list[Any]]
    ok: np.ndarray
    rest: list[int]


def _each(
    values: Sequence[Hashable], convert: Callable[..., Any]
) -> tuple[dict[Any, Any], set[Any]]:
    """Convert each distinct value once; return the conversions and the values that failed."""
    table: dict[Any, Any] = {}
    failed: set[Any] = set()
    for value in set(values):
        try:
            table[value] = convert(*value) if isinstance(value, tuple) else convert(value)
        except Exception:  # the per-row path gives the reason (or raises it)
            failed.add(value)
    return table, failed


def _failed_rows(values: Sequence[Hashable], failed: set[Any]) -> np.ndarray:
    return np.fromiter((v in failed for v in values), dtype=bool, count=len(values))


def _numbers(values: Sequence[str]) -> np.ndarray:
    try:
        return np.array(list(map(float, values)), dtype=float)
    except ValueError:
        return np.array([_number(v) for v in values], dtype=float)


def _number(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return _NOT_A_NUMBER  # fails every range check: judged row by row


def _when(text: str) -> tuple[Any, Any]:
    when = parse_when(text, "event_date")
    return when, when.date()


def _casualties(fatalities: str | None, civilian: str | None) -> tuple[str | None, str | None]:
    casualties, target = acled_casualties(fatalities, civilian)
    return (None if casualties is None else canonical_json(casualties)), target


def _extra(*values: str | None) -> str | None:
    extra = acled_extra(*values)
    return None if extra is None else canonical_json(extra)


def acled_block(
    raw: dict[str, Sequence[str]], size: int, area: Sequence[float] | None
) -> MappedBlock:
    """Map a block of ACLED rows (raw text by column) to incident columns, column by column."""
    bad = np.zeros(size, dtype=bool)
    absent: Sequence[None] = [None] * size

    def column(name: str) -> Sequence[Any]:
        return raw.get(name, absent)

    def checked(
        values: Sequence[Hashable], convert: Callable[..., Any], parts: int = 0
    ) -> list[list[Any]]:
        """Return the converted column (or its ``parts`` columns when ``convert`` returns tuples)."""
        table, failed = _each(values, convert)
        if failed:
            bad[_failed_rows(values, failed)] = True
        if not parts:
            return [list(map(table.get, values))]
        out = []
        for part in range(parts):
            lookup = {value: result[part] for value, result in table.items()}
            out.append(list(map(lookup.get, values)))
        return out

    if "__problem__" in raw:  # a column named like the reader's own marker: row by row
        bad[:] = True
    ids = ["acled:" + v.strip() for v in raw["event_id_cnty"]]
    if "acled:" in ids:
        bad[np.fromiter((v == "acled:" for v in ids), dtype=bool, count=size)] = True
    location, location_code = checked(
        raw["geo_precision"], lambda v: _code(v, ACLED_GEO, "geo_precision"), 2
    )
    precision, precision_code = checked(
        raw["time_precision"], lambda v: _code(v, ACLED_TIME, "time_precision"), 2
    )
    type_id, sub_id = checked(
        list(zip(raw["event_type"], raw["sub_event_type"], strict=True)),
        lambda t, s: resolve(t, s or None),
        2,
    )
    occurred_at, occurred_on = checked(raw["event_date"], _when, 2)
    casualties, target = checked(
        list(zip(column("fatalities"), column("civilian_targeting"), strict=True)), _casualties, 2
    )
    [extra] = checked(list(zip(*(column(k) for k in ACLED_EXTRA), strict=True)), _extra)
    [sources] = checked(column("source"), lambda v: canonical_json(acled_sources(v)))
    lat, lon = _numbers(raw["latitude"]), _numbers(raw["longitude"])
    good = (lat >= -90) & (lat <= 90) & (lon >= -180) & (lon <= 180)
    if area:
        min_lon, min_lat, max_lon, max_lat = area
        good &= (lat >= min_lat) & (lat <= max_lat) & (lon >= min_lon) & (lon <= max_lon)
    ok = good & ~bad
    columns: dict[str, list[Any]] = {
        "external_id": ids,
        "source_format": ["acled"] * size,
        "occurred_at": occurred_at,
        "occurred_on": occurred_on,
        "time_precision": precision,
        "time_precision_code": precision_code,
        "latitude": lat.tolist(),
        "longitude": lon.tolist(),
        "location_precision": location,
        "location_precision_code": location_code,
        "location_name": _or_none(column("location")),
        "admin1": _or_none(column("admin1")),
        "admin2": _or_none(column("admin2")),
        "type": type_id,
        "sub_type": sub_id,
        "alleged_perpetrator": _or_none(column("actor1")),
        "target_type": target,
        "casualties": casualties,
        "sources": sources,
        "reporter": [None] * size,
        "observer": [None] * size,
        "notes": _or_none(column("notes")),
        "extra": extra,
    }
    return MappedBlock(columns, ok, np.flatnonzero(~ok).tolist())


def _or_none(values: Sequence[str | None]) -> list[str | None]:
    return [v or None for v in values]


def take(columns: dict[str, list[Any]], ok: np.ndarray) -> dict[str, list[Any]]:
    """Return the columns of the rows marked in ``ok``, in order."""
    if ok.all():
        return columns
    return {k: list(itertools.compress(v, ok)) for k, v in columns.items()}
