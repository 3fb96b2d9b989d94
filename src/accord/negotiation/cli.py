"""``accord board``, ``accord issue`` and ``accord events``: where the talks stand."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich import box
from rich.console import Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from accord.cli.common import (
    DbOption,
    JsonOption,
    LoadedPackOption,
    console,
    db_url,
    print_json,
)
from accord.db.session import session_scope
from accord.negotiation import changes, service, timeline
from accord.negotiation.schemas import Board
from accord.sources.readers import parse_date

AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="Date to read the talks at (default today).")
]


board_app = typer.Typer(
    help="Show per issue the reconciled status and each main party's current stance.",
    pretty_exceptions_enable=False,
)


@board_app.callback(invoke_without_command=True)
def board(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    pack: LoadedPackOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Show per issue the reconciled status and each main party's current stance.

    `accord board diff --from D1 --to D2` shows what changed between two dates.
    """
    if ctx.invoked_subcommand is not None:
        return
    date = parse_date(as_of, where="--as-of") if as_of else None
    with session_scope(db_url(db)) as session:
        result = service.board(session, as_of=date, pack=pack)
    if json_out:
        print_json(result)
        return
    console.print(render_board(result))


@board_app.command("diff")
def diff(
    start: Annotated[str, typer.Option("--from", help="Earlier date, YYYY-MM-DD.")],
    end: Annotated[str | None, typer.Option("--to", help="Later date (default today).")] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Show the stances and statuses that changed between two dates, with their claims."""
    first = parse_date(start, where="--from")
    last = parse_date(end, where="--to") if end else dt.date.today()
    with session_scope(db_url(db), read_only=True) as session:
        result = changes.board_diff(session, first, last)
    if json_out:
        print_json(result)
        return
    console.print(render_diff(result))


def render_diff(result: changes.BoardDiff) -> Table:
    """Return the board's changes as a table: issue, what, party, before and after with claims."""
    table = Table(
        title=f"board changes {result.start} → {result.end} ({len(result.changes)})",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("issue", overflow="fold")
    table.add_column("what", overflow="fold")
    table.add_column("party", no_wrap=True)
    table.add_column("before", overflow="fold")
    table.add_column("after", overflow="fold")

    def side(s: changes.Side | None) -> str:
        return f"{s.value} (#{s.claim_id})" if s else "-"

    for c in result.changes:
        table.add_row(c.issue, c.what, c.party or "", side(c.before), side(c.after))
    return table


def render_board(result: Board) -> Group:
    """Return the board as a Rich table followed by the holders' statuses of each issue."""
    table = Table(
        title=f"negotiation board as of {result.as_of} · pack {result.pack or '-'}",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    # Issue ids are ids (typed back into other commands) and cells ("propose 3") are short: neither
    # is ever cut. The status folds when space is short.
    table.add_column("issue", no_wrap=True)
    table.add_column("status", overflow="fold")
    for party in result.parties:
        table.add_column(party, no_wrap=True)
    notes = []
    for row in result.rows:
        cells = []
        for party in result.parties:
            cell = row.cells.get(party)
            cells.append(f"{cell.stance} {cell.sources}" if cell else "")
        table.add_row(row.issue, row.status or "-", *cells)
        if row.statuses:
            said = ", ".join(
                f"{s.holder} {s.status}" + (f" {s.progress_pct}%" if s.progress_pct else "")
                for s in row.statuses
            )
            notes.append(f"{row.issue}: {said}")
    legend = Text("statuses by holder — " + "; ".join(notes) if notes else "no status claims yet")
    if not result.undated_sources:
        return Group(table, legend)
    undated = Text(
        f"{result.undated_sources} undated source(s) left out: see `accord sources list "
        "--undated` and date them with `accord sources set-date ID DATE`",
        style="yellow",
    )
    return Group(table, legend, undated)


def issue(
    issue_id: Annotated[str, typer.Argument(help="Issue id, e.g. territory.")],
    pack: LoadedPackOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Show every claim and event on an issue in date order, with stance changes marked."""
    with session_scope(db_url(db)) as session:
        entries = timeline.issue_timeline(session, issue_id, pack=pack)
    if json_out:
        print_json({"issue": issue_id, "entries": entries})
        return
    console.print(
        f"[bold]timeline of {escape(issue_id)}[/bold] ({len(entries)} claims)", markup=True
    )
    for e in entries:
        who = e.holder or ", ".join(e.participants or [])
        change = f"  [yellow]{escape(e.change)}[/yellow]" if e.change else ""
        head = f"{e.date or '----------'}  #{e.claim_id:<5} {who:<10} {e.kind:<9}"
        console.print(
            f"{escape(head)} {escape(e.value or '')}{change}", markup=True, highlight=False
        )
        console.print(
            f"    “{e.quote}” — source {e.source_id}: {e.source_title or ''}",
            style="dim",
            highlight=False,
            markup=False,
        )


def events(
    upcoming: Annotated[
        bool, typer.Option("--upcoming", help="Only events after the as-of date.")
    ] = False,
    as_of: AsOfOption = None,
    pack: LoadedPackOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """List meetings, calls and talks, merged across sources; scheduled ones are upcoming."""
    date = parse_date(as_of, where="--as-of") if as_of else None
    with session_scope(db_url(db)) as session:
        found = timeline.events(session, as_of=date, upcoming=upcoming, pack=pack)
    if json_out:
        print_json({"as_of": date, "upcoming_only": upcoming, "events": found})
        return
    table = Table(title=f"events ({len(found)})")
    for column in ("date", "precision", "type", "participants", "place", "upcoming", "sources"):
        table.add_column(column, no_wrap=True)
    for e in found:
        table.add_row(
            str(e.date or ""),
            e.date_precision or "",
            e.event_type,
            ", ".join(e.participants),
            e.place or "",
            "yes" if e.upcoming else "",
            str(len(e.sources)),
        )
    console.print(table)
