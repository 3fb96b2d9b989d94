"""Every exportable dataset: its columns, formats and rows, and one call to write it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.errors import InvalidInput
from accord.exports import domain_rows, fields, incident_rows, service, writers
from accord.exports.fields import Field
from accord.exports.query import Batch, ExportQuery, columns_of
from accord.zones.models import Zone

TABULAR = ("csv", "json", "parquet")
GEO = ("geojson", "geoparquet")


@dataclass(frozen=True)
class Dataset:
    """An exportable dataset."""

    name: str
    title: str
    formats: tuple[str, ...]
    batches: Callable[[Session, ExportQuery], Iterator[Batch]]
    columns: Callable[[ExportQuery], tuple[Field, ...]]
    count: Callable[[Session, ExportQuery], int | None] = lambda session, query: None


def _fixed(table: tuple[Field, ...]) -> Callable[[ExportQuery], tuple[Field, ...]]:
    return lambda query: table


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            "incidents",
            "Incident reports with verification, zones, violations, clusters and rulings",
            (*TABULAR, *GEO, "acled"),
            incident_rows.batches,
            _fixed(fields.INCIDENTS),
            incident_rows.count,
        ),
        Dataset(
            "zones",
            "Zones and lines with validity dates and derivation",
            (*TABULAR, *GEO),
            domain_rows.zones,
            _fixed(fields.ZONES),
        ),
        Dataset(
            "rulings",
            "Council rulings with votes",
            TABULAR,
            domain_rows.rulings,
            _fixed(fields.RULINGS),
        ),
        Dataset("drafts", "Agreement drafts", TABULAR, domain_rows.drafts, _fixed(fields.DRAFTS)),
        Dataset(
            "provisions",
            "Provisions with issues, obligated parties and deadlines",
            TABULAR,
            domain_rows.provisions,
            _fixed(fields.PROVISIONS),
        ),
        Dataset(
            "implementation",
            "Implementation by provision and date on the Peace Accords Matrix scale (long format)",
            TABULAR,
            domain_rows.implementation,
            _fixed(fields.IMPLEMENTATION),
        ),
        Dataset(
            "indicators",
            "Quantitative indicators of signed agreements",
            TABULAR,
            domain_rows.indicators,
            _fixed(fields.INDICATORS),
        ),
        Dataset(
            "sources",
            "Source documents' metadata (text only on request, for analysts)",
            TABULAR,
            domain_rows.sources,
            domain_rows.source_fields,
        ),
    )
}
# the board, claims and events: their columns follow the data (a column per party)
LEGACY = service.DATASETS
NAMES = (*DATASETS, *LEGACY)


def _empty_columns(name: str) -> list[str]:
    """Return the columns of the board, claims or events when there is no row to show them."""
    from accord.claims.schemas import ClaimRead
    from accord.negotiation.schemas import EventOut

    if name == "claims":
        return list(ClaimRead.model_fields)
    if name == "events":
        return list(EventOut.model_fields)
    return ["as_of", "issue", "name", "status", "statuses"]


def _legacy_fields(rows: list[dict[str, Any]]) -> tuple[Field, ...]:
    kinds = {bool: "boolean", int: "integer", float: "number"}
    found: dict[str, str] = {}
    for row in rows:
        for name, value in row.items():
            if value is not None and not found.get(name):
                found[name] = kinds.get(type(value), "string")
            else:
                found.setdefault(name, "")
    return tuple(
        Field(name, kind or "string", name.replace("_", " ")) for name, kind in found.items()
    )


def columns_and_batches(
    session: Session, name: str, query: ExportQuery
) -> tuple[tuple[Field, ...], Iterator[Batch]]:
    """Return a dataset's columns and its batches of rows."""
    if name in LEGACY:
        rows = service.rows_for(session, name, query.end)
        table = _legacy_fields(rows or [dict.fromkeys(_empty_columns(name))])
        return table, iter([columns_of(rows, [f.name for f in table])])
    dataset = get(name)
    return dataset.columns(query), dataset.batches(session, query)


def get(name: str) -> Dataset:
    """Return a dataset by name, or say which exist."""
    if name not in DATASETS:
        raise InvalidInput(f"unknown dataset {name!r} (use {', '.join(NAMES)})")
    return DATASETS[name]


def formats_of(name: str) -> tuple[str, ...]:
    """Return the formats a dataset can be written in."""
    return TABULAR if name in LEGACY else get(name).formats


def check_format(name: str, fmt: str) -> None:
    """Refuse a format the dataset cannot be written in, naming the ones it can."""
    allowed = formats_of(name)
    if fmt not in allowed:
        raise InvalidInput(
            f"--format: unknown format {fmt!r} for {name} (use {', '.join(allowed)})"
        )


def geo_types(session: Session, name: str) -> list[str]:
    """Return the geometry types of a geographic dataset (GeoParquet metadata)."""
    if name == "incidents":
        return ["Point"]
    return sorted(session.scalars(select(Zone.geometry_type).distinct()))


def count(session: Session, name: str, query: ExportQuery) -> int | None:
    """Return how many rows a dataset will have, when that is cheap to know (else None)."""
    return None if name in LEGACY else get(name).count(session, query)


def export(
    session: Session,
    name: str,
    path: Path,
    fmt: str,
    query: ExportQuery,
    progress: writers.Progress | None = None,
) -> int:
    """Write one dataset to a file in a format; return the number of rows."""
    if name not in LEGACY:
        get(name)
    check_format(name, fmt)
    table, batches = columns_and_batches(session, name, query)
    kinds = geo_types(session, name) if fmt in GEO else None
    return writers.write(path, fmt, table, batches, geo_types=kinds, progress=progress)
