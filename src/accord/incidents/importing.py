"""Import incident files in transactional batches: idempotent on the external id, bad rows reported.

Each batch is one transaction: rows already stored under the same external id are updated when
they changed and left alone otherwise; new rows are inserted. A bad row never stops the others;
it is reported with its row number and reason.

ACLED files, the large ones, are read with pyarrow and checked column by column (``blocks``,
``bulk``); rows that fail a check there are judged row by row, as every row of the other formats
is, so both ways keep the same rows and report the same problems. Large files are read and
checked in a child process (``reading``) while this one stores, when CPUs are free for it.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import json
import os
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from accord.config import get_settings
from accord.errors import InvalidInput
from accord.incidents import bulk, reading
from accord.incidents.blocks import csv_records, read_blocks
from accord.incidents.rows import MAPPERS, RowError
from accord.incidents.storing import STORED, store_batch, stored_form

FORMATS = tuple(MAPPERS)
BATCH_ROWS = 5000
# ACLED files of at least this many bytes (some 400,000 short rows) are read and checked in a
# child process while this one stores (``reading``), when two CPUs are free for the two. Starting
# it costs about 0.5 s (a new interpreter importing pyarrow and SQLAlchemy) and the first block is
# read before anything is stored: measured on 2 vCPUs, the child only wins from ~300,000 rows on.
READER_PROCESS_BYTES = 64 << 20
# CPUs that must be idle (this process waiting) for ``auto`` to start the reading process
READER_FREE_CPUS = 1.5


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
    # where the file was read: "inline" (this process) or "process" (a child, ``reading``)
    reader: str = "inline"


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
    records = csv_records(path, MAPPERS[fmt][1])
    header = next(records)
    for number, values in enumerate(records, start=2):
        yield number, dict(zip(header, values, strict=True))


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


def judge(row: dict[str, Any], fmt: str, area: list[float] | None) -> dict[str, Any]:
    """Return one row's incident columns, or raise the reason it is rejected (bar duplicates)."""
    if PROBLEM in row:
        raise RowError(row[PROBLEM])
    if fmt in ID_COLUMNS and not str(row.get(ID_COLUMNS[fmt]) or "").strip():
        raise RowError(f"missing {ID_COLUMNS[fmt]}")
    columns = MAPPERS[fmt][0](row)
    if not _in_area(columns["latitude"], columns["longitude"], area):
        raise RowError(
            f"coordinates {columns['latitude']}, {columns['longitude']} are outside the "
            "pack's area of interest"
        )
    return columns


_REJECTED = (RowError, ValueError, KeyError)


def _problem(number: int, row: dict[str, Any], exc: Exception) -> RowProblem:
    reason = str(exc) if not isinstance(exc, KeyError) else f"missing field {exc}"
    ident = row.get("event_id_cnty") or row.get("id") or row.get("external_id")
    return RowProblem(number, str(ident) if ident else None, reason)


def _duplicate(key: str, first: int) -> RowError:
    return RowError(f"duplicate external id {key!r} (first on row {first})")


def map_rows(
    rows: Iterator[tuple[int, dict[str, Any]]],
    fmt: str,
    area: list[float] | None,
    summary: ImportSummary,
) -> Iterator[dict[str, Any]]:
    """Yield incident columns for good rows, one by one; record bad ones in the summary."""
    seen: dict[str, int] = {}
    for number, row in rows:
        summary.rows += 1
        try:
            columns = judge(row, fmt, area)
            key = columns.get("external_id")
            if key is not None:
                if key in seen:
                    raise _duplicate(key, seen[key])
                seen[key] = number
        except _REJECTED as exc:
            summary.rejected += 1
            summary.problems.append(_problem(number, row, exc))
            continue
        yield columns


def map_acled_blocks(
    path: Path, area: list[float] | None, summary: ImportSummary
) -> Generator[dict[str, list[Any]], None, None]:
    """Yield the stored columns of the good rows of an ACLED file, a block of rows at a time.

    Rows are checked column by column (``bulk.acled_block``); the rows that fail a check there are
    judged one by one, as ``map_rows`` does, so the rows kept and the problems reported are
    the same as row by row.
    """
    _, blocks = read_blocks(path, MAPPERS["acled"][1], bulk.ACLED_READ)
    seen: dict[str, int] = {}
    for block in blocks:
        mapped = bulk.acled_block(block.columns, block.size, area)
        ok = mapped.ok.copy()
        found: list[RowProblem] = []
        for i in mapped.rest:
            row = block.row(i)
            try:
                columns = stored_form(judge(row, "acled", area))
            except _REJECTED as exc:
                found.append(_problem(block.first + i, row, exc))
                continue
            for key, value in columns.items():
                mapped.columns[key][i] = value
            ok[i] = True
        keys = mapped.columns["external_id"]
        kept = list(itertools.compress(keys, ok))
        if len(set(kept)) == len(kept) and seen.keys().isdisjoint(kept):
            seen.update(zip(kept, (np.flatnonzero(ok) + block.first).tolist(), strict=True))
        else:
            for i in np.flatnonzero(ok).tolist():
                key, number = keys[i], block.first + i
                if key in seen:
                    found.append(_problem(number, block.row(i), _duplicate(key, seen[key])))
                    ok[i] = False
                else:
                    seen[key] = number
        found.sort(key=lambda p: p.row)
        summary.rows += block.size
        summary.rejected += len(found)
        summary.problems.extend(found)
        yield bulk.take(mapped.columns, ok)


def _row_chunks(rows: Iterator[dict[str, Any]]) -> Generator[dict[str, list[Any]], None, None]:
    """Group mapped rows into batches' columns, BATCH_ROWS rows at most each."""
    chunk: list[dict[str, Any]] = []
    for columns in rows:
        chunk.append(stored_form(columns))
        if len(chunk) >= BATCH_ROWS:
            yield {key: [r[key] for r in chunk] for key in STORED}
            chunk = []
    if chunk:
        yield {key: [r[key] for r in chunk] for key in STORED}


def _in_reader(path: Path) -> bool:
    """Whether to read an ACLED file in a child process (``ACCORD_IMPORT_READER``)."""
    mode = get_settings().import_reader
    if mode == "inline" or not reading.available():
        return False
    if mode == "process":
        return True
    try:
        size = path.stat().st_size
    except OSError:
        return False  # the reader says why it cannot read the file
    return reader_pays(size, reading.usable_cpus(), reading.free_cpus)


def reader_pays(size: int, usable_cpus: int, free_cpus: Callable[[], float]) -> bool:
    """Whether ``auto`` reads a file of ``size`` bytes in a child process.

    Only for a large file, with two CPUs to run on (one for each process) of which at least
    ``READER_FREE_CPUS`` are idle; ``free_cpus`` samples that (it waits) and is called last.
    """
    return size >= READER_PROCESS_BYTES and usable_cpus >= 2 and free_cpus() >= READER_FREE_CPUS


def write_problems(summary: ImportSummary, path: Path) -> None:
    """Write the rejected rows (row, external id, reason) as CSV.

    The report appears whole or not at all: it is written next to its place and renamed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["row", "external_id", "reason"])
            for p in summary.problems:
                writer.writerow([p.row, p.external_id or "", p.reason])
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def run_import(
    path: Path,
    fmt: str,
    *,
    area: list[float] | None,
    by: str,
    open_session: Callable[[], Any],
    progress: Callable[[int], None] | None = None,
    pack: str | None = None,
) -> ImportSummary:
    """Import a file batch by batch; each batch commits in its own transaction.

    New incidents belong to ``pack`` (a loaded pack's id, resolved by the caller).
    """
    if fmt not in MAPPERS:
        raise InvalidInput(f"--format: unknown format {fmt!r} (use {', '.join(FORMATS)})")
    summary = ImportSummary(file=str(path), format=fmt)
    chunks: Generator[dict[str, list[Any]], None, None]
    if fmt != "acled":
        chunks = _row_chunks(map_rows(read_rows(path, fmt), fmt, area, summary))
    elif _in_reader(path):
        chunks = reading.acled_chunks(path, area, summary)
        summary.reader = "process"
    else:
        chunks = map_acled_blocks(path, area, summary)
    pending: dict[str, list[Any]] = {key: [] for key in STORED}
    number = 0

    def flush(start: int, stop: int) -> None:
        nonlocal number
        number += 1
        batch = {key: values[start:stop] for key, values in pending.items()}
        with open_session() as session:
            store_batch(
                session, batch, by=by, label=f"{path.name}#{number}", summary=summary, pack=pack
            )
        if progress is not None:
            progress(stop - start)

    with contextlib.closing(chunks):  # a reading process ends with the import, however it ends
        for chunk in chunks:
            for key, values in pending.items():
                values.extend(chunk[key])
            size, done = len(pending["external_id"]), 0
            while size - done >= BATCH_ROWS:
                flush(done, done + BATCH_ROWS)
                done += BATCH_ROWS
            for values in pending.values():
                del values[:done]
    if pending["external_id"]:
        flush(0, len(pending["external_id"]))
    return summary
