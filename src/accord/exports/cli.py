"""``accord export``: write the board, claims or events to a file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from accord.cli.common import DbOption, JsonOption, console, db_url, print_json
from accord.db.session import session_scope
from accord.exports import service
from accord.sources.readers import parse_date


def export(
    dataset: Annotated[str, typer.Argument(help="board, claims or events.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", help="csv, json or parquet.")] = "csv",
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Board/events as of this date.")
    ] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Export the board, claims or events as CSV, JSON or Parquet."""
    date = parse_date(as_of, where="--as-of") if as_of else None
    with session_scope(db_url(db)) as session:
        rows = service.rows_for(session, dataset, date)
    service.write(rows, output, fmt)
    if json_out:
        print_json({"dataset": dataset, "format": fmt, "rows": len(rows), "file": str(output)})
    else:
        console.print(f"wrote {len(rows)} {dataset} rows to {output} ({fmt})", highlight=False)
