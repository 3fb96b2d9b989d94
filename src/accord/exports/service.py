"""Flatten the board, claims and events into rows and write them as CSV, JSON or Parquet.

The other datasets (incidents, zones, rulings, ...) stream in batches: see ``datasets``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from accord.claims import service as claims
from accord.claims.schemas import ClaimRead
from accord.errors import InvalidInput
from accord.negotiation import service as negotiation
from accord.negotiation import timeline

DATASETS = ("board", "claims", "events")
FORMATS = ("csv", "json", "parquet")


def board_rows(session: Session, as_of: dt.date | None) -> list[dict[str, Any]]:
    """Return one row per issue: reconciled status, holder statuses, and each party's stance."""
    board = negotiation.board(session, as_of=as_of)
    rows = []
    for row in board.rows:
        flat: dict[str, Any] = {
            "as_of": board.as_of.isoformat(),
            "issue": row.issue,
            "name": row.name,
            "status": row.status,
            "statuses": "; ".join(
                f"{s.holder}={s.status}" + (f" ({s.progress_pct}%)" if s.progress_pct else "")
                for s in row.statuses
            ),
        }
        for party in board.parties:
            cell = row.cells.get(party)
            flat[f"{party}_stance"] = cell.stance if cell else None
            flat[f"{party}_date"] = cell.date.isoformat() if cell and cell.date else None
            flat[f"{party}_sources"] = cell.sources if cell else 0
        rows.append(flat)
    return rows


def claim_rows(session: Session) -> list[dict[str, Any]]:
    """Return every claim (all review states) as a flat row."""
    items, _total = claims.list_claims(session, limit=10_000_000)
    out = []
    for item in items:
        row = ClaimRead.model_validate(item).model_dump(mode="json")
        row["participants"] = ";".join(row["participants"] or [])
        out.append(row)
    return out


def event_rows(session: Session, as_of: dt.date | None) -> list[dict[str, Any]]:
    """Return the merged events as flat rows."""
    out = []
    for event in timeline.events(session, as_of=as_of):
        row = event.model_dump(mode="json")
        row["participants"] = ";".join(event.participants)
        row["sources"] = ";".join(str(s) for s in event.sources)
        row["claim_ids"] = ";".join(str(c) for c in event.claim_ids)
        out.append(row)
    return out


def rows_for(session: Session, dataset: str, as_of: dt.date | None) -> list[dict[str, Any]]:
    """Return the rows of a dataset by name."""
    if dataset == "board":
        return board_rows(session, as_of)
    if dataset == "claims":
        return claim_rows(session)
    if dataset == "events":
        return event_rows(session, as_of)
    raise InvalidInput(f"unknown dataset {dataset!r} (use {', '.join(DATASETS)})")


def write(rows: list[dict[str, Any]], path: Path, fmt: str) -> None:
    """Write rows atomically to a CSV, JSON or Parquet file."""
    if fmt not in FORMATS:
        raise InvalidInput(f"--format: unknown format {fmt!r} (use {', '.join(FORMATS)})")
    if not path.parent.exists():
        raise InvalidInput(f"-o {path}: folder {path.parent} does not exist")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(fd)
    try:
        if fmt == "json":
            Path(tmp).write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
        elif fmt == "csv":
            columns = list(rows[0]) if rows else []
            with open(tmp, "w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=columns)
                writer.writeheader()
                writer.writerows(rows)
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.Table.from_pylist(rows), tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
