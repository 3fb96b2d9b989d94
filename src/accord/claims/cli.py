"""``accord claims``: list stored claims, the review queue, and review them."""

from __future__ import annotations

from typing import Annotated

import typer
from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from accord.claims import service, workflow
from accord.claims.models import REVIEW_STATES
from accord.claims.schemas import ClaimRead
from accord.cli.common import (
    DbOption,
    JsonOption,
    cli_user,
    console,
    db_url,
    new_app,
    print_json,
)
from accord.db.session import session_scope
from accord.errors import InvalidInput
from accord.sources.readers import parse_date

app = new_app("Claims: list, accept, reject and correct what was extracted.")


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


KINDS = ("position", "status", "proposal", "event")


@app.command()
def queue(
    source: Annotated[int | None, typer.Option(help="Only claims of this source id.")] = None,
    kind: Annotated[
        str | None,
        typer.Option(help="Only claims of this kind: position, status, proposal, event."),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """List the claims awaiting review, lowest confidence first (review these first)."""
    if kind is not None and kind not in KINDS:
        raise InvalidInput(f"--kind: unknown claim kind {kind!r} (use {', '.join(KINDS)})")
    with session_scope(db_url(db)) as session:
        rows, total = service.review_queue(
            session, source_id=source, kind=kind, limit=limit, offset=offset
        )
        items = [ClaimRead.model_validate(r) for r in rows]
    if json_out:
        print_json({"total": total, "limit": limit, "offset": offset, "items": items})
        return
    title = f"review queue: {total} unreviewed, lowest confidence first"
    console.print(render_lines(items, title, confidence=True))


def render_table(items: list[ClaimRead], title: str) -> Table:
    """Return a compact Rich table of claims."""
    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False)
    # The id, kind and value never shrink (review needs the id); the text columns wrap instead.
    table.add_column("id", no_wrap=True, justify="right")
    table.add_column("kind", no_wrap=True)
    table.add_column("issue", overflow="fold")
    table.add_column("holder", overflow="fold")
    table.add_column("value", no_wrap=True)
    table.add_column("quote", overflow="fold", ratio=1)
    for c in items:
        value: str = c.stance or c.status or c.event_type or ""
        if c.progress_pct is not None:
            value += f" {c.progress_pct}%"
        who = c.holder_id or ",".join(c.participants or [])
        table.add_row(str(c.id), c.kind, c.issue_id or "", who, value, _short(c.quote))
    return table


def _short(text: str, limit: int = 120) -> str:
    """Return text cut to ``limit`` characters at a word boundary, with an ellipsis if cut."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def render_lines(items: list[ClaimRead], title: str, *, confidence: bool = False) -> Group:
    """Return claims as one compact line each (for narrow terminals, the demo and the queue)."""
    lines: list[Text] = [Text(title, style="bold")]
    for c in items:
        value: str = c.stance or c.status or c.event_type or ""
        if c.progress_pct is not None:
            value += f" {c.progress_pct}%"
        who = c.holder_id or ",".join(c.participants or [])
        conf = f"{c.confidence:.2f} " if confidence else ""
        line = Text(f"#{c.id:<4} {conf}{c.kind:<9} {c.issue_id or '-':<20} {who:<8} {value:<15} ")
        line.append(c.quote[:70] + ("…" if len(c.quote) > 70 else ""), style="dim")
        line.no_wrap = True
        line.overflow = "ellipsis"
        lines.append(line)
    return Group(*lines)


@app.command()
def accept(
    claim_id: Annotated[int, typer.Argument(help="Claim id.")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Accept a machine claim as correct (audited)."""
    with session_scope(db_url(db)) as session:
        claim, changed = workflow.accept(session, claim_id, by=cli_user())
        item = ClaimRead.model_validate(claim)
    _report(item, changed, "accepted", json_out)


@app.command()
def reject(
    claim_id: Annotated[int, typer.Argument(help="Claim id.")],
    reason: Annotated[str | None, typer.Option(help="Why the claim is wrong.")] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Reject a machine claim: the board ignores it from now on (audited, nothing deleted)."""
    with session_scope(db_url(db)) as session:
        claim, changed = workflow.reject(session, claim_id, by=cli_user(), reason=reason)
        item = ClaimRead.model_validate(claim)
    _report(item, changed, "rejected", json_out)


@app.command()
def correct(
    claim_id: Annotated[int, typer.Argument(help="Claim id.")],
    issue: Annotated[str | None, typer.Option(help="Correct issue id.")] = None,
    holder: Annotated[str | None, typer.Option(help="Correct holder actor id.")] = None,
    stance: Annotated[str | None, typer.Option(help="support, oppose, demand or propose.")] = None,
    status: Annotated[
        str | None, typer.Option(help="agreed, near_agreement, progress, ...")
    ] = None,
    date: Annotated[str | None, typer.Option(help="Correct date, YYYY-MM-DD.")] = None,
    note: Annotated[str | None, typer.Option(help="Reviewer's note.")] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Supersede a claim with a corrected copy; the original is kept as 'corrected'."""
    change = workflow.Correction(
        issue=issue,
        holder=holder,
        stance=stance,
        status=status,
        date=parse_date(date, where="--date") if date else None,
        note=note,
    )
    with session_scope(db_url(db)) as session:
        replacement = workflow.correct(session, claim_id, change, by=cli_user())
        item = ClaimRead.model_validate(replacement)
    if json_out:
        print_json(item)
    else:
        console.print(f"claim {claim_id} corrected by new claim {item.id}", highlight=False)


def _report(item: ClaimRead, changed: bool, verb: str, json_out: bool) -> None:
    if json_out:
        print_json({"claim": item, "changed": changed})
    elif changed:
        console.print(f"claim {item.id} {verb}", highlight=False)
    else:
        console.print(f"claim {item.id} was already {verb}; nothing changed", highlight=False)
