"""``accord claims``: list stored claims."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from accord.claims import service
from accord.claims.models import REVIEW_STATES
from accord.claims.schemas import ClaimRead
from accord.cli.common import DbOption, JsonOption, console, db_url, new_app, print_json
from accord.db.session import session_scope
from accord.errors import InvalidInput

app = new_app("Claims: list what was extracted from the sources.")


@app.command("list")
def list_(
    source: Annotated[int | None, typer.Option(help="Only claims of this source id.")] = None,
    state: Annotated[
        str | None, typer.Option(help="machine, accepted, corrected or rejected.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 500,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """List claims, by source and position in the text."""
    if state is not None and state not in REVIEW_STATES:
        raise InvalidInput(
            f"--state: unknown review state {state!r} (use {', '.join(REVIEW_STATES)})"
        )
    with session_scope(db_url(db)) as session:
        rows, total = service.list_claims(
            session, source_id=source, state=state, limit=limit, offset=offset
        )
        items = [ClaimRead.model_validate(r) for r in rows]
    if json_out:
        print_json({"total": total, "limit": limit, "offset": offset, "items": items})
        return
    console.print(render_table(items, f"claims ({total})"))


def render_table(items: list[ClaimRead], title: str) -> Table:
    """Return a Rich table of claims."""
    table = Table(title=title)
    for column in ("id", "src", "kind", "issue", "holder", "value", "date", "conf"):
        table.add_column(column, no_wrap=True)
    table.add_column("quote", no_wrap=True, overflow="ellipsis", max_width=60)
    for c in items:
        value = c.stance or c.status or c.event_type or ""
        if c.progress_pct is not None:
            value += f" ({c.progress_pct}%)"
        who = c.holder_id or ", ".join(c.participants or [])
        table.add_row(
            str(c.id),
            str(c.source_id),
            c.kind,
            c.issue_id or "",
            who,
            value,
            c.date.isoformat() if c.date else "",
            f"{c.confidence:.2f}",
            c.quote[:60],
        )
    return table
