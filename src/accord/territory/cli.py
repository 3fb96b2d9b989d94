"""``accord territory``: compare proposals, follow the occupied area, and map the options."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from accord.cli.common import DbOption, JsonOption, console, db_url, new_app, print_json
from accord.db.session import session_scope
from accord.errors import InvalidInput
from accord.sources.readers import parse_date
from accord.territory import gazetteer, service

app = new_app("Territory: compare proposals, follow the occupied area over time, map the options.")

AsOf = Annotated[
    str | None, typer.Option("--as-of", help="Date whose occupied-area snapshot applies.")
]
Params = Annotated[list[str] | None, typer.Option("--param", help="NAME=VALUE, e.g. width_km=20.")]


def _params(items: list[str] | None) -> dict[str, float]:
    params = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        try:
            params[name.strip()] = float(value)
        except ValueError:
            raise InvalidInput(f"--param {item!r}: use NAME=NUMBER") from None
        if not sep:
            raise InvalidInput(f"--param {item!r}: use NAME=NUMBER")
    return params


@app.command("proposals")
def proposals_(db: DbOption = None, json_out: JsonOption = False) -> None:
    """List the loaded pack's territorial proposals: id, meaning, holder and parameters."""
    with session_scope(db_url(db)) as session:
        specs, _country = service.pack_proposals(session)
    if json_out:
        print_json(
            [
                {
                    "id": p.id,
                    "name": p.name,
                    "meaning": p.meaning,
                    "holder": p.holder,
                    "params": p.params,
                    "description": p.description,
                }
                for p in specs
            ]
        )
        return
    table = Table(title="territorial proposals", box=box.SIMPLE_HEAD)
    for column in ("id", "meaning", "holder", "parameters", "name"):
        table.add_column(column, overflow="fold")
    for p in specs:
        params = ", ".join(f"{k}={v:g}" for k, v in p.params.items()) or "-"
        table.add_row(escape(p.id), p.meaning, escape(p.holder or "-"), params, escape(p.name))
    console.print(table)


@app.command()
def compare(
    proposals: Annotated[
        list[str], typer.Argument(help="Proposal ids (see the pack's territory.yaml).")
    ],
    as_of: AsOf = None,
    param: Params = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Compare proposals: area, resulting line, settlements and oblast shares, side by side."""
    day = parse_date(as_of, where="--as-of") if as_of else dt.date.today()
    with session_scope(db_url(db)) as session:
        specs, country = service.pack_proposals(session)
        results = service.compare(session, specs, proposals, day, _params(param), country)
    if json_out:
        print_json({"as_of": day, "population_source": gazetteer.ATTRIBUTION, "proposals": results})
        return
    table = Table(title=f"territorial proposals as of {day}", box=box.SIMPLE_HEAD)
    table.add_column("", no_wrap=True)
    for r in results:
        table.add_column(r.id)
    table.add_row("meaning", *[r.meaning for r in results])
    table.add_row("area km²", *[f"{r.area_km2:,.0f}" for r in results])
    table.add_row("line km", *[f"{r.line_km:,.0f}" for r in results])
    table.add_row("settlements ≥15k", *[str(len(r.settlements)) for r in results])
    table.add_row("population*", *[f"{r.population:,}" for r in results])
    table.add_row("largest", *[", ".join(s.name for s in r.settlements[:4]) for r in results])
    table.add_row(
        "oblasts",
        *["; ".join(f"{k} {v:.1%}" for k, v in list(r.oblast_shares.items())[:3]) for r in results],
    )
    console.print(table)
    console.print(f"* {gazetteer.ATTRIBUTION}", style="dim", highlight=False)


@app.command()
def trend(
    start: Annotated[str, typer.Option("--from", help="From date.")],
    end: Annotated[str, typer.Option("--to", help="To date.")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Show the occupied area per snapshot and its rate of change, per oblast."""
    first, last = parse_date(start, where="--from"), parse_date(end, where="--to")
    with session_scope(db_url(db)) as session:
        rows = service.trend(session, first, last)
    if json_out:
        print_json(rows)
        return
    for row in rows:
        rate = (
            f", {row.change_km2_per_day:+,.1f} km²/day"
            if row.change_km2_per_day is not None
            else ""
        )
        console.print(
            f"[bold]{row.date}[/bold] {escape(row.zone)}: {row.area_km2:,.0f} km²{escape(rate)}",
            markup=True,
            highlight=False,
        )
        ranked = sorted(row.per_oblast.items(), key=lambda kv: -kv[1])
        for oblast, km2 in ranked[:8]:
            console.print(f"    {oblast}: {km2:,.0f} km²", highlight=False)
        if len(ranked) > 8:
            rest = sum(km2 for _name, km2 in ranked[8:])
            console.print(f"    {len(ranked) - 8} more: {rest:,.0f} km²", highlight=False)
        if row.outside_outlines_km2 is not None:
            console.print(
                f"    (sum of the rows; the snapshot as drawn is {row.snapshot_km2:,.0f} km², "
                f"{row.outside_outlines_km2:,.0f} km² of it outside the admin areas)",
                highlight=False,
            )


@app.command("map")
def map_(
    proposals: Annotated[list[str], typer.Argument(help="Proposal ids (up to 6: one panel each).")],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="File to write: .svg, .png, .pdf or .html.")
    ],
    as_of: AsOf = None,
    param: Params = None,
    db: DbOption = None,
) -> None:
    """Draw an atlas plate (A4): occupied area, oblasts, line, each proposal, towns, scale, legend."""
    from accord.territory.mapping import FORMATS, write

    if output.suffix.lower() not in FORMATS:
        raise InvalidInput(f"-o {output}: use a {', '.join(FORMATS)} file")
    if not output.parent.exists():
        raise InvalidInput(f"-o {output}: folder {output.parent} does not exist")
    day = parse_date(as_of, where="--as-of") if as_of else dt.date.today()
    with session_scope(db_url(db)) as session:
        specs, country = service.pack_proposals(session)
        svg = service.render_map(session, specs, proposals, day, _params(param), country)
    size = write(svg, output, f"Territorial proposals {day}")
    console.print(f"wrote {output} ({size:,} bytes)", highlight=False)
