"""``accord incidents``: file, list, show, import and check incident reports."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
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
    settings,
)
from accord.db.session import session_scope
from accord.errors import InvalidInput
from accord.incidents import check as checking
from accord.incidents import clustering, importing, service, workflow
from accord.incidents.describe import incident_lines
from accord.incidents.rows import RowError, build_incident, parse_when
from accord.incidents.schemas import IncidentOut
from accord.packs import service as packs
from accord.sources.readers import parse_date

app = new_app("Incidents: file, list, show, import (ACLED, UCDP, GeoJSON, CSV) and check.")


def _bbox(text: str | None) -> tuple[float, float, float, float] | None:
    if text is None:
        return None
    try:
        parts = tuple(float(p) for p in text.split(","))
    except ValueError as exc:
        raise InvalidInput("--bbox: use min_lon,min_lat,max_lon,max_lat") from exc
    if len(parts) != 4:
        raise InvalidInput("--bbox: use min_lon,min_lat,max_lon,max_lat")
    return parts  # type: ignore[return-value]


@app.command()
def add(
    type_: Annotated[str, typer.Option("--type", help="Incident type, e.g. explosion, battles.")],
    lat: Annotated[float, typer.Option(help="Latitude (WGS84).")],
    lon: Annotated[float, typer.Option(help="Longitude (WGS84).")],
    when: Annotated[str, typer.Option("--when", help="When it happened: YYYY-MM-DD[THH:MM].")],
    sub_type: Annotated[str | None, typer.Option("--sub-type", help="Sub-type.")] = None,
    time_precision: Annotated[
        str | None,
        typer.Option(
            help="exact, day, days, week, month, year (default: exact when --when has a time "
            "of day, else day)."
        ),
    ] = None,
    location_precision: Annotated[
        str, typer.Option(help="exact, near, admin2, admin1, country.")
    ] = "exact",
    location: Annotated[str | None, typer.Option(help="Place name.")] = None,
    perpetrator: Annotated[
        str | None, typer.Option(help="Alleged perpetrator (as reported).")
    ] = None,
    target: Annotated[
        str | None, typer.Option(help="Target type, e.g. energy, nuclear, civilians.")
    ] = None,
    fatalities: Annotated[int | None, typer.Option(help="Best estimate of fatalities.")] = None,
    source: Annotated[list[int] | None, typer.Option(help="accord source id (repeatable).")] = None,
    ref: Annotated[list[str] | None, typer.Option(help="External reference (repeatable).")] = None,
    reporter: Annotated[str | None, typer.Option(help="Who reports it.")] = None,
    observer: Annotated[
        str | None,
        typer.Option(
            help='Observer JSON: {"latitude":..,"longitude":..,"direction_deg":..,"distance_m":..}'
        ),
    ] = None,
    notes: Annotated[str | None, typer.Option(help="Notes.")] = None,
    extra: Annotated[str | None, typer.Option(help="Free JSON object.")] = None,
    pack: LoadedPackOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """File one incident report."""
    try:
        observer_data = json.loads(observer) if observer else None
        extra_data = json.loads(extra) if extra else None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"--observer/--extra: invalid JSON: {exc.msg}") from exc
    try:
        data = build_incident(
            {
                "occurred_at": parse_when(when, "--when"),
                "time_precision": time_precision or ("exact" if "T" in when.upper() else "day"),
                "latitude": lat,
                "longitude": lon,
                "location_precision": location_precision,
                "location_name": location,
                "type": type_,
                "sub_type": sub_type,
                "alleged_perpetrator": perpetrator,
                "target_type": target,
                "casualties": {"best": fatalities} if fatalities is not None else None,
                "sources": [{"source_id": s} for s in source or []]
                + [{"ref": r} for r in ref or []],
                "reporter": reporter or cli_user(),
                "observer": observer_data,
                "notes": notes,
                "extra": extra_data,
            }
        )
    except RowError as exc:  # "row: ..." is a whole-incident check; the options are named
        raise InvalidInput(str(exc).removeprefix("row: ")) from exc
    with session_scope(db_url(db)) as session:
        out = IncidentOut.model_validate(service.create(session, data, by=cli_user(), pack=pack))
    if json_out:
        print_json(out)
    else:
        console.print(
            f"incident {out.id} filed: {out.type} on {out.occurred_at:%Y-%m-%d}", highlight=False
        )


@app.command("list")
def list_(
    start: Annotated[str | None, typer.Option("--from", help="From date.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="To date.")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="Incident type id.")] = None,
    zone: Annotated[
        str | None, typer.Option(help="Only incidents in this zone (after a check).")
    ] = None,
    status: Annotated[str | None, typer.Option(help="Workflow status.")] = None,
    bbox: Annotated[str | None, typer.Option(help="min_lon,min_lat,max_lon,max_lat")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    pack: LoadedPackOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """List a pack's incidents, newest first, with filters; JSON gives the total next to the page."""
    filters = service.IncidentFilter(
        start=parse_date(start, where="--from") if start else None,
        end=parse_date(end, where="--to") if end else None,
        type=type_,
        zone=zone,
        status=status,
        bbox=_bbox(bbox),
    )
    with session_scope(db_url(db)) as session:
        filters = dataclasses.replace(filters, pack=packs.owner(session, pack))
        rows, total = service.list_incidents(session, filters, limit=limit, offset=offset)
        items = [IncidentOut.model_validate(r) for r in rows]
    if json_out:
        print_json({"total": total, "limit": limit, "offset": offset, "items": items})
        return
    table = Table(title=f"incidents ({total})", box=box.SIMPLE_HEAD)
    for column in ("id", "date", "type", "sub-type", "lat", "lon", "place", "status"):
        table.add_column(column, no_wrap=True)
    for i in items:
        table.add_row(
            str(i.id),
            f"{i.occurred_at:%Y-%m-%d}",
            i.type,
            i.sub_type or "",
            f"{i.latitude:.4f}",
            f"{i.longitude:.4f}",
            (i.location_name or "")[:20],
            i.status,
        )
    console.print(table)


@app.command()
def show(
    incident_id: Annotated[int, typer.Argument(help="Incident id.")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Show one incident with its zone hits and violation candidates."""
    with session_scope(db_url(db)) as session:
        out = service.detail(session, incident_id)
    if json_out:
        print_json(out)
        return
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("value", overflow="fold")
    for label, text in incident_lines(out):
        table.add_row(label, text)
    console.print(table)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="File to import.")],
    fmt: Annotated[str, typer.Option("--format", help="acled, ucdp, geojson or csv.")],
    errors: Annotated[Path | None, typer.Option(help="Where to write rejected rows (CSV).")] = None,
    pack: LoadedPackOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Import a pack's incidents in transactional batches; re-importing updates, never duplicates.

    Rows outside the pack's area of interest are refused.
    """
    if not file.is_file():
        raise InvalidInput(f"{file}: no such file")
    url = db_url(db)
    with session_scope(url) as session:
        chosen = packs.resolve(session, pack)
        area = chosen.area_of_interest if chosen is not None else None
        owner = chosen.id if chosen is not None else None
    with Progress(
        TextColumn("importing"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err_console,
        transient=True,
        disable=json_out,
    ) as progress:
        task = progress.add_task("import", total=None)
        summary = importing.run_import(
            file,
            fmt,
            area=area,
            by=cli_user(),
            open_session=lambda: session_scope(url),
            progress=lambda n: progress.advance(task, n),
            pack=owner,
        )
    report = None
    if summary.problems:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        report = errors or settings().home_dir / "import-errors" / f"{file.stem}-{stamp}.csv"
        importing.write_problems(summary, report)
    counts = {
        k: getattr(summary, k) for k in ("rows", "inserted", "updated", "unchanged", "rejected")
    }
    if json_out:
        print_json(
            {
                "file": str(file),
                "format": fmt,
                **counts,
                "error_report": str(report) if report else None,
                "problems": [p.__dict__ for p in summary.problems[:100]],
            }
        )
        return
    console.print(", ".join(f"{k} {v}" for k, v in counts.items()), highlight=False)
    for p in summary.problems[:10]:
        err_console.print(f"row {p.row}: {p.reason}", highlight=False, markup=False)
    if report:
        err_console.print(f"all rejected rows: {report}", highlight=False)


@app.command()
def check(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Find each incident's zones (in force on its date) and its ceasefire violation candidates."""
    with session_scope(db_url(db)) as session:
        summary = checking.run_check(session, by=cli_user())
    if json_out:
        print_json(summary.__dict__)
        return
    console.print(
        f"{summary.incidents} incidents checked: {summary.zone_hits} zone hits, "
        f"{summary.candidates} violation candidates",
        highlight=False,
    )
    for skipped in summary.skipped_rules or []:
        err_console.print(f"rule skipped: {skipped}", highlight=False)


@app.command()
def transition(
    incident_id: Annotated[int, typer.Argument(help="Incident id.")],
    to: Annotated[
        str, typer.Option("--to", help="under_review, verified, unverified, dismissed, reported.")
    ],
    reason: Annotated[str | None, typer.Option(help="Why (kept in the audit log).")] = None,
    attribute: Annotated[
        str | None, typer.Option(help="Verified attribution (when verifying).")
    ] = None,
    confidence: Annotated[
        float | None, typer.Option(help="Confidence of the attribution, 0-1.")
    ] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Move an incident through the verification workflow (needs your review lock)."""
    with session_scope(db_url(db)) as session:
        incident = workflow.transition(
            session,
            incident_id,
            to,
            by=cli_user(),
            reason=reason,
            attributed_to=attribute,
            confidence=confidence,
        )
        out = {
            "id": incident.id,
            "status": incident.status,
            "attributed_to": incident.attributed_to,
            "attribution_confidence": incident.attribution_confidence,
        }
    if json_out:
        print_json(out)
    else:
        console.print(f"incident {incident_id} is now {out['status']}", highlight=False)


@app.command()
def lock(
    incident_id: Annotated[int, typer.Argument(help="Incident id.")],
    minutes: Annotated[int, typer.Option(help="Lock length in minutes.")] = workflow.LOCK_MINUTES,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Take (or renew) your review lock on an incident."""
    with session_scope(db_url(db)) as session:
        held = workflow.take_lock(session, incident_id, by=cli_user(), minutes=minutes)
        out = {"incident": incident_id, "holder": held.holder, "expires_at": held.expires_at}
    if json_out:
        print_json(out)
    else:
        console.print(
            f"incident {incident_id} locked by {out['holder']} until {out['expires_at']:%H:%M} UTC",
            highlight=False,
        )


@app.command()
def unlock(
    incident_id: Annotated[int, typer.Argument(help="Incident id.")], db: DbOption = None
) -> None:
    """Release your review lock on an incident."""
    with session_scope(db_url(db)) as session:
        workflow.release(session, incident_id, by=cli_user())
    console.print(f"incident {incident_id} unlocked", highlight=False)


@app.command()
def dedup(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Cluster reports of the same event (rows are never merged)."""
    with session_scope(db_url(db)) as session:
        result = clustering.run_dedup(session, by=cli_user())
    if json_out:
        print_json(result)
    else:
        console.print(
            f"{result['reports']} reports: {result['clusters']} clusters, "
            f"{result['duplicates']} duplicates",
            highlight=False,
        )


@app.command()
def clusters(db: DbOption = None, json_out: JsonOption = False) -> None:
    """List duplicate clusters with their representative."""
    with session_scope(db_url(db)) as session:
        found = clustering.list_clusters(session)
    if json_out:
        print_json({"total": len(found), "items": found})
        return
    for c in found:
        console.print(
            f"cluster {c['id']}: representative {c['representative']}, members "
            f"{', '.join(str(m) for m in c['members'])}",
            highlight=False,
        )


@app.command()
def split(
    incident_id: Annotated[int, typer.Argument(help="Incident to take out of its cluster.")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Mark an incident as a different event from the rest of its cluster, and recluster."""
    with session_scope(db_url(db)) as session:
        result = clustering.split(session, incident_id, by=cli_user())
    print_json(result) if json_out else console.print(f"split; now {result['clusters']} clusters")


@app.command()
def join(
    first: Annotated[int, typer.Argument(help="Incident id.")],
    second: Annotated[int, typer.Argument(help="Incident id.")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Mark two incidents as reports of the same event, and recluster."""
    with session_scope(db_url(db)) as session:
        result = clustering.join(session, first, second, by=cli_user())
    print_json(result) if json_out else console.print(f"joined; now {result['clusters']} clusters")
