"""``accord zones``: load GeoJSON zones, derive a line of contact, buffer zones, list and show."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from accord.cli.common import (
    DbOption,
    JsonOption,
    LoadedPackOption,
    cli_user,
    console,
    db_url,
    err_console,
    new_app,
    print_json,
)
from accord.db.session import session_scope
from accord.packs import choice
from accord.sources.readers import parse_date
from accord.zones import service
from accord.zones.models import Zone

app = new_app("Zones: load, derive a line of contact, buffer, list and show.")


def _out(zone: Zone) -> dict[str, object]:
    return {
        "id": zone.id,
        "kind": zone.kind,
        "pack": zone.pack_id,
        "name": zone.name,
        "valid_from": zone.valid_from,
        "valid_to": zone.valid_to,
        "geometry_type": zone.geometry_type,
        "area_km2": zone.area_km2,
        "length_km": zone.length_km,
        "bbox": [zone.min_lon, zone.min_lat, zone.max_lon, zone.max_lat],
        "rules": zone.rules,
        "derived_from": zone.derived_from,
    }


def _print(zones: list[dict[str, object]], title: str) -> None:
    table = Table(title=title, box=box.SIMPLE_HEAD)
    for column in ("id", "kind", "valid", "area km²", "length km"):
        table.add_column(column, no_wrap=True)
    for z in zones:
        valid = f"{z['valid_from'] or '…'} – {z['valid_to'] or '…'}"
        table.add_row(
            str(z["id"]),
            str(z["kind"]),
            valid,
            f"{z['area_km2'] or 0:,.1f}",
            f"{z['length_km'] or 0:,.1f}",
        )
    console.print(table)


@app.command()
def load(
    file: Annotated[Path, typer.Argument(help="GeoJSON file (Feature or FeatureCollection).")],
    kind: Annotated[
        str | None, typer.Option(help="Kind for every feature (else property 'kind').")
    ] = None,
    id_property: Annotated[str, typer.Option(help="Property holding the zone id.")] = "id",
    name_property: Annotated[str, typer.Option(help="Property holding the zone name.")] = "name",
    id_prefix: Annotated[str, typer.Option(help="Prefix added to every id.")] = "",
    id_value: Annotated[
        str | None, typer.Option("--id", help="Id for a one-feature file (or stem for several).")
    ] = None,
    valid_from: Annotated[
        str | None, typer.Option(help="Valid from (overrides properties).")
    ] = None,
    valid_to: Annotated[str | None, typer.Option(help="Valid to (overrides properties).")] = None,
    pack: LoadedPackOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Load every feature of a GeoJSON file as a zone of a pack (all or nothing)."""
    options = service.LoadOptions(
        id_property=id_property,
        name_property=name_property,
        kind=kind,
        id_prefix=id_prefix,
        valid_from=parse_date(valid_from, where="--valid-from") if valid_from else None,
        valid_to=parse_date(valid_to, where="--valid-to") if valid_to else None,
        id_value=id_value,
        pack=pack,
    )
    with session_scope(db_url(db)) as session:
        zones = [_out(z) for z in service.load_geojson(session, file, options, by=cli_user())]
    if json_out:
        print_json(zones)
    else:
        _print(zones, f"{len(zones)} zones loaded from {file.name}")
        for zone in zones:
            fix = (zone.get("derived_from") or {}).get("repaired")  # type: ignore[attr-defined]
            if fix:
                err_console.print(
                    f"zone {zone['id']}: invalid geometry repaired with {fix}", highlight=False
                )


@app.command("derive-line")
def derive_line(
    occupied: Annotated[str, typer.Option(help="Zone id of the occupied area.")],
    country: Annotated[
        list[str],
        typer.Option(help="Zone ids or patterns ('area-*') whose union is the country."),
    ],
    new_id: Annotated[str, typer.Option("--id", help="Id of the new line zone.")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Derive the line of contact: the occupied area's boundary inside the country."""
    with session_scope(db_url(db)) as session:
        zone = _out(service.derive_line(session, occupied, country, new_id, by=cli_user()))
    if json_out:
        print_json(zone)
    else:
        _print([zone], f"line {new_id}")


@app.command("buffer")
def buffer_(
    zone: Annotated[str, typer.Argument(help="Zone to buffer.")],
    km: Annotated[float, typer.Option(help="Width in km on each side.")],
    new_id: Annotated[str, typer.Option("--id", help="Id of the new zone.")],
    kind: Annotated[str, typer.Option(help="Kind of the new zone.")] = "dmz",
    clip: Annotated[
        bool,
        typer.Option(
            "--clip/--no-clip",
            help="Cut the buffer to the admin areas in force (the country); --no-clip keeps it whole.",
        ),
    ] = True,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Store the area within KM kilometres of a zone (geodesic) as a new zone.

    By default the buffer is clipped to the loaded admin areas in force, so it does not run into
    the sea or across the border; with no admin areas loaded it is stored whole, with a note.
    """
    with session_scope(db_url(db)) as session:
        stored = service.buffer(session, zone, km, new_id, kind=kind, by=cli_user(), clip=clip)
        clipped = (stored.derived_from or {}).get("clipped_to")
        out = _out(stored)
    if json_out:
        print_json(out)
        return
    _print([out], f"zone {new_id}")
    if clip and not clipped:
        console.print("not clipped: no admin areas are loaded (zones load --kind admin_area)")


@app.command("list")
def list_(
    kind: Annotated[str | None, typer.Option(help="Only this kind.")] = None,
    pack: LoadedPackOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """List a pack's zones with their validity, area and length."""
    with session_scope(db_url(db)) as session:
        zones = [_out(z) for z in service.list_zones(session, kind, choice.owner(session, pack))]
    if json_out:
        print_json({"total": len(zones), "items": zones})
    else:
        _print(zones, f"zones ({len(zones)})")


@app.command()
def show(
    zone: Annotated[str, typer.Argument(help="Zone id.")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Show one zone."""
    with session_scope(db_url(db)) as session:
        out = _out(service.get(session, zone))
    if json_out:
        print_json(out)
    else:
        for key, value in out.items():
            console.print(f"[bold]{key}[/bold]: {escape(str(value))}", markup=True, highlight=False)
