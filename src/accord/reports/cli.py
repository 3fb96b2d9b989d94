"""``accord report``: write the daily monitoring report and the weekly negotiation brief."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from accord.cli.common import (
    DbOption,
    JsonOption,
    LoadedPackOption,
    cli_user,
    console,
    db_url,
    new_app,
    print_json,
    settings,
)
from accord.db.session import session_scope
from accord.errors import InvalidInput
from accord.reports import service
from accord.reports import weekly as weekly_brief
from accord.sources.blobs import BlobStore
from accord.sources.readers import parse_date

app = new_app(
    "Reports: the daily monitoring report (HTML with offline charts and map, PDF) and the weekly"
    " negotiation brief."
)


@app.command()
def daily(
    date: Annotated[str, typer.Option("--date", help="Report day, YYYY-MM-DD.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="HTML file to write.")],
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write a PDF beside it.")] = False,
    pack: LoadedPackOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Write a pack's daily report: counts by type, zone and party, trend, map, rulings."""
    day = parse_date(date, where="--date")
    with session_scope(db_url(db)) as session:
        artifacts = service.write_daily(
            session,
            day,
            output,
            by=cli_user(),
            blobs=BlobStore(settings().blob_dir),
            pdf=pdf,
            pack=pack,
        )
        out = [
            {"path": a.path, "sha256": a.sha256, "bytes": a.size_bytes, "media_type": a.media_type}
            for a in artifacts
        ]
    if json_out:
        print_json(out)
    else:
        for a in out:
            console.print(
                f"wrote {a['path']} ({a['bytes']:,} bytes, sha256 {str(a['sha256'])[:12]})",
                highlight=False,
            )


@app.command()
def weekly(
    date: Annotated[str, typer.Option("--date", help="Last day of the week, YYYY-MM-DD.")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="HTML file to write (hashed and stored)."),
    ] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write a PDF beside it.")] = False,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Print or write the weekly brief: board changes, upcoming events, deadlines, incidents.

    Without -o it prints the brief and stores nothing; with -o it writes the HTML (and --pdf a
    PDF), keeps each file's SHA-256 and bytes, and records an audit event, like the daily report.
    """
    day = parse_date(date, where="--date")
    if pdf and output is None:
        raise InvalidInput("--pdf needs -o FILE.html (the PDF is written beside it)")
    with session_scope(db_url(db)) as session:
        brief = weekly_brief.build(session, day)
        files: list[dict[str, object]] = []
        if output is not None:
            artifacts = service.write_weekly(
                session, day, output, by=cli_user(), blobs=BlobStore(settings().blob_dir), pdf=pdf
            )
            files = [
                {
                    "path": a.path,
                    "sha256": a.sha256,
                    "bytes": a.size_bytes,
                    "media_type": a.media_type,
                }
                for a in artifacts
            ]
    if json_out:
        print_json({"brief": brief.model_dump(mode="json"), "files": files})
        return
    render_weekly(brief)
    for a in files:
        console.print(
            f"wrote {a['path']} ({a['bytes']:,} bytes, sha256 {str(a['sha256'])[:12]})",
            highlight=False,
        )


def render_weekly(brief: weekly_brief.WeeklyBrief) -> None:
    """Print the brief as tables."""
    console.print(f"[bold]weekly brief[/bold] {brief.start} to {brief.end}", markup=True)
    changes = Table(title=f"what changed ({len(brief.changes)})")
    for column in ("issue", "what", "party", "before", "after"):
        changes.add_column(column, overflow="fold")
    for c in brief.changes:
        changes.add_row(
            c.issue,
            c.what,
            c.party or "-",
            f"{c.before.value} (#{c.before.claim_id})" if c.before else "-",
            f"{c.after.value} (#{c.after.claim_id})" if c.after else "-",
        )
    console.print(changes)
    upcoming = Table(title=f"upcoming events ({len(brief.upcoming)})")
    for column in ("date", "event", "participants", "place"):
        upcoming.add_column(column, overflow="fold")
    for e in brief.upcoming:
        upcoming.add_row(str(e.date), e.event_type, ", ".join(e.participants), e.place or "-")
    console.print(upcoming)
    deadlines = Table(title=f"deadlines due or missed ({len(brief.deadlines)})")
    for column in ("due", "draft", "provision", "level", "state"):
        deadlines.add_column(column, overflow="fold")
    for d in brief.deadlines:
        deadlines.add_row(
            str(d.due),
            d.draft,
            f"{d.number}. {d.title}",
            f"{d.level} {d.level_name}",
            "missed" if d.missed else "coming due",
        )
    console.print(deadlines)
    n = brief.numbers
    counts = Table(title=f"the week in numbers: {n.total} incidents ({n.previous_total} before)")
    for column in ("by", "key", "this week", "week before", "change"):
        counts.add_column(column, overflow="fold")
    for label, rows in (("type", n.by_type), ("zone", n.by_zone), ("status", n.by_status)):
        for row in rows:
            counts.add_row(label, row.key, str(row.today), str(row.previous), f"{row.change:+d}")
    console.print(counts)
