"""``accord export``: write one dataset to a file, with the list commands' filters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from accord.cli.common import DbOption, JsonOption, console, db_url, err_console, print_json
from accord.db.session import session_scope
from accord.errors import InvalidInput
from accord.exports import datasets
from accord.exports.query import ExportQuery
from accord.packs import choice as packs

DATASET_HELP = ", ".join(datasets.NAMES)


def parse_date(value: str, *, where: str) -> dt.date:
    """Read a YYYY-MM-DD option, or fail naming the option."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"{where}: cannot read date {value!r} (use YYYY-MM-DD)") from None


def export(
    dataset: Annotated[str, typer.Argument(help=f"One of: {DATASET_HELP}.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="csv, json, parquet; geojson, geoparquet (incidents, zones); acled (incidents).",
        ),
    ] = "csv",
    start: Annotated[
        str | None, typer.Option("--from", help="From this date (YYYY-MM-DD).")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="Up to this date (YYYY-MM-DD).")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Board/events as of this date (same as --to).")
    ] = None,
    zone: Annotated[str | None, typer.Option(help="Incidents (or rulings) in this zone.")] = None,
    status: Annotated[str | None, typer.Option(help="Incident status (rulings: outcome).")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="Incident type.")] = None,
    pack: Annotated[
        str | None,
        typer.Option(
            help="Only this pack's rows: incidents, zones, rulings, drafts, provisions, records."
        ),
    ] = None,
    with_text: Annotated[
        bool, typer.Option("--with-text", help="sources: include each document's text.")
    ] = False,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Export a dataset as CSV, JSON, Parquet, GeoJSON, GeoParquet or ACLED CSV.

    The CLI is an operator's tool: it sees exact places and reporters, as analysts do.
    """
    if as_of and end:
        raise typer.BadParameter("give --to or --as-of, not both")
    upto = end or as_of
    query = ExportQuery(
        start=parse_date(start, where="--from") if start else None,
        end=parse_date(upto, where="--to") if upto else None,
        zone=zone,
        status=status,
        type=type_,
        pack=pack,
        with_text=with_text,
    )
    with session_scope(db_url(db)) as session:
        if pack is not None:
            packs.resolve(session, pack)  # a pack that is not loaded is refused, naming the loaded
        datasets.check_format(dataset, fmt)
        total = datasets.count(session, dataset, query)
        with Progress(
            TextColumn(f"exporting {dataset}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=err_console,
            transient=True,
            disable=json_out,
        ) as progress:
            task = progress.add_task("export", total=total)
            rows = datasets.export(
                session, dataset, output, fmt, query, lambda n: progress.advance(task, n)
            )
    if json_out:
        print_json({"dataset": dataset, "format": fmt, "rows": rows, "file": str(output)})
    else:
        console.print(f"wrote {rows} {dataset} rows to {output} ({fmt})", highlight=False)


def release(
    output: Annotated[Path, typer.Option("-o", "--output", help="New or empty folder to write.")],
    licence: Annotated[
        str, typer.Option("--licence", help="Licence of the data (CC-BY-4.0, CC0-1.0, ODC-BY-1.0).")
    ] = "CC-BY-4.0",
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Write every dataset with a Frictionless datapackage.json and a README (public view)."""
    from accord.cli.common import cli_user, settings
    from accord.exports import release as releasing

    with (
        session_scope(db_url(db)) as session,
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=err_console,
            transient=True,
            disable=json_out,
        ) as progress,
    ):
        task = progress.add_task("release", total=None)

        def advance(label: str, n: int) -> None:
            progress.update(task, description=f"writing {label}", advance=n)

        summary = releasing.write_release(
            session,
            output,
            by=cli_user(),
            step=settings().viewer_coarsen_deg,
            licence=licence,
            progress=advance,
        )
    if json_out:
        print_json(summary)
        return
    console.print(
        f"release written to {output}: {len(summary['files'])} files, datapackage.json, README.md "
        f"(audit event {summary['audit_event']})",
        highlight=False,
    )
