"""``accord init`` and ``accord demo``."""

from __future__ import annotations

import shlex
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from accord.agreements.cli import render_diff
from accord.agreements.diff import DraftDiff
from accord.claims.cli import render_lines
from accord.claims.schemas import ClaimRead
from accord.cli.common import DbOption, JsonOption, cli_user, console, db_url, print_json, settings
from accord.demo import setup
from accord.negotiation.cli import render_board
from accord.negotiation.schemas import Board


def init(
    pack: Annotated[str | None, typer.Option(help="Pack to load (default: ACCORD_PACK).")] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Create or upgrade the database and load the bundled pack."""
    cfg = settings()
    url = db_url(db)
    result = setup.init_database(url, pack or cfg.pack, by=cli_user())
    if json_out:
        print_json({"database": url, **result.__dict__})
    else:
        console.print(
            f"database ready; pack {result.pack_id}: {result.actors} actors, "
            f"{result.issues} issues" + ("" if result.changed else " (unchanged)")
        )


def demo(
    pack: Annotated[str | None, typer.Option(help="Pack to use (default: ACCORD_PACK).")] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Build a fresh demo database (ACCORD_HOME/demo unless --db) and print a summary."""
    cfg = settings()
    demo_url, files = setup.demo_paths(cfg.home_dir)
    url, fresh = (db, None) if db else (demo_url, files / "accord.db")
    result = setup.build_demo(
        url,
        cfg.blob_dir,
        files,
        pack or cfg.pack,
        by=cli_user(),
        fresh_file=fresh,
        max_bytes=cfg.max_file_bytes,
    )
    if json_out:
        print_json(result.__dict__)
        return
    console.print(f"[bold]accord demo[/bold]: database {escape(url)}", markup=True, highlight=False)
    console.print(
        f"pack {result.pack_id}; example documents: {result.sources_added} added, "
        f"{result.sources_known} already known"
    )
    items = [ClaimRead.model_validate(c) for c in result.claims]
    console.print(
        render_lines(items, f"claims extracted from the example documents ({len(items)})")
    )
    console.print(render_board(Board.model_validate(result.board)))
    if result.diff is not None:
        console.print(render_diff(DraftDiff.model_validate(result.diff)))
    done = result.implementation
    if done.get("records") or done.get("indicators"):
        console.print(
            f"[bold]implementation[/bold]: {done['signed']} draft(s) signed, "
            f"{done['records']} PAM records, {done['indicators']} indicators",
            markup=True,
            highlight=False,
        )
    mon = result.monitoring
    console.print(
        "[bold]ceasefire monitoring[/bold]: "
        + escape(
            f"zones {', '.join(mon['zones'])}; "  # type: ignore[arg-type]
            f"{mon['imported']} synthetic incidents imported; check: {mon['check']}; "
            f"dedup: {mon['dedup']}; review: {mon['workflow']}; ruling: {mon.get('ruling')}"
        ),
        markup=True,
        highlight=False,
    )
    console.print(
        "[bold]territorial proposals[/bold] on ILLUSTRATIVE outlines (not real boundaries):",
        markup=True,
    )
    for row in mon.get("territory", []):  # type: ignore[attr-defined]
        console.print(
            f"  {row['id']}: {row['area_km2']:,.0f} km², line {row['line_km']:,.0f} km, "
            f"settlements {', '.join(row['settlements']) or '-'}",
            highlight=False,
        )
    for path in mon.get("report", []):  # type: ignore[attr-defined]
        console.print(f"daily report written: {path}", highlight=False)
    table = Table(title="what is stored")
    for name in result.counts:
        table.add_column(name, justify="right")
    table.add_row(*(str(v) for v in result.counts.values()))
    console.print(table)
    console.print(next_steps(url, own_url=db is not None), highlight=False, soft_wrap=True)


def next_steps(url: str, *, own_url: bool) -> str:
    """Return how to point the other commands at the demo database."""
    if own_url:
        return f"the demo is in {url}: add --db {shlex.quote(url)} to other commands"
    return (
        "the demo has its own database; to use it in the other commands (accord board, "
        f"accord claims list, accord serve, ...), run:\n  export ACCORD_DB={shlex.quote(url)}"
    )
