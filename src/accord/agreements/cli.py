"""``accord agreement``: drafts, diffs, signing and implementation tracking."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich import box
from rich.console import Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from accord.agreements import diff as diffing
from accord.agreements import implementation, links, service
from accord.cli.common import (
    DbOption,
    JsonOption,
    LoadedPackOption,
    cli_user,
    console,
    db_url,
    new_app,
    print_json,
)
from accord.db.session import session_scope
from accord.errors import InvalidInput
from accord.sources.readers import parse_date

app = new_app("Agreements: drafts, diffs, signing and implementation (PAM scale).")

DateOption = Annotated[str, typer.Option("--date", help="Date, YYYY-MM-DD.")]


@app.command("list")
def list_(pack: LoadedPackOption = None, db: DbOption = None, json_out: JsonOption = False) -> None:
    """List one pack's agreements and their drafts."""
    with session_scope(db_url(db)) as session:
        data = service.overview(session, pack=pack)
    if json_out:
        print_json(data)
        return
    for a in data:
        console.print(
            f"[bold]{escape(a['name'])}[/bold] ({escape(a['id'])})", markup=True, highlight=False
        )
        for d in a["drafts"]:
            signed = f", signed {d['signed_on']}" if d["signed_on"] else ""
            console.print(
                f"  {d['id']}: {d['label']}, {d['date']}, origin {d['origin'] or '-'}, "
                f"{d['provisions']} provisions{signed}",
                highlight=False,
            )


@app.command()
def show(
    draft: Annotated[str, typer.Argument(help="Draft id.")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Show a draft's provisions with the parties' current stances on their issues."""
    with session_scope(db_url(db)) as session:
        view = links.draft_view(session, draft)
    if json_out:
        print_json(view)
        return
    console.print(
        f"[bold]{escape(view.label)}[/bold] ({escape(view.id)}, {view.date}, "
        f"origin {escape(view.origin or '-')})",
        markup=True,
        highlight=False,
    )
    for p in view.provisions:
        stances = "; ".join(
            f"{issue}: " + ", ".join(f"{party} {stance}" for party, stance in cells.items())
            for issue, cells in p.stances.items()
            if cells
        )
        console.print(
            f"{p.number:>3}. {p.title} [{', '.join(p.issues)}]"
            + (f" — deadline {p.deadline}" if p.deadline else ""),
            highlight=False,
        )
        if stances:
            console.print(f"     talks: {stances}", style="dim", highlight=False)


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="Older draft id.")],
    new: Annotated[str, typer.Argument(help="Newer draft id.")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Align two drafts' provisions; report added, removed and changed ones and changed figures."""
    with session_scope(db_url(db)) as session:
        result = diffing.diff_drafts(session, old, new)
    if json_out:
        print_json(result)
        return
    console.print(render_diff(result))


def render_diff(result: diffing.DraftDiff) -> Group:
    """Return a diff as Rich text lines."""
    lines = [
        Text(
            f"diff {result.old} -> {result.new}: {len(result.changed)} changed, "
            f"{len(result.added)} added, {len(result.removed)} removed, "
            f"{len(result.unchanged)} unchanged",
            style="bold",
        )
    ]
    for c in result.changed:
        lines.append(
            Text(
                f"~ {c.old.number}. {c.old.title} -> {c.new.number}. {c.new.title}", style="yellow"
            )
        )
        for f in c.figures:
            lines.append(Text(f"    {f.what}: {f.old or '(none)'} -> {f.new or '(none)'}"))
    for p in result.removed:
        lines.append(Text(f"- {p.number}. {p.title}", style="red"))
    for p in result.added:
        lines.append(Text(f"+ {p.number}. {p.title}", style="green"))
    return Group(*lines)


@app.command()
def sign(
    draft: Annotated[str, typer.Argument(help="Draft id.")],
    date: DateOption,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Mark a draft as signed; implementation tracking starts from that date."""
    on = parse_date(date, where="--date")
    with session_scope(db_url(db)) as session:
        signed = service.sign(session, draft, on, by=cli_user())
        out = {"draft": signed.id, "signed_on": signed.signed_on}
    if json_out:
        print_json(out)
    else:
        console.print(f"draft {out['draft']} signed on {out['signed_on']}", highlight=False)


@app.command()
def implement(
    provision: Annotated[
        str,
        typer.Argument(
            help="Provision: DRAFT:N, its number in the draft (e.g. twenty-point-framework:3), "
            "or its id."
        ),
    ],
    level: Annotated[
        int, typer.Option(help="PAM level: 0 not initiated, 1 minimal, 2 intermediate, 3 full.")
    ],
    date: DateOption,
    source: Annotated[int | None, typer.Option(help="Evidence: a source id.")] = None,
    claim: Annotated[int | None, typer.Option(help="Evidence: a claim id.")] = None,
    note: Annotated[str | None, typer.Option(help="Note.")] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Record a provision's implementation level with its evidence."""
    on = parse_date(date, where="--date")
    with session_scope(db_url(db)) as session:
        target = service.resolve_provision(session, provision)
        row = implementation.record(
            session,
            target.id,
            level,
            on,
            by=cli_user(),
            source_id=source,
            claim_id=claim,
            note=note,
        )
        out = {
            "record": row.id,
            "provision": row.provision_id,
            "level": row.level,
            "date": row.recorded_on,
        }
    if json_out:
        print_json(out)
    else:
        console.print(
            f"provision {target.draft_id}:{target.number} ({target.title}): level {level} on {on}",
            highlight=False,
        )


@app.command()
def indicator(
    draft: Annotated[str, typer.Argument(help="Signed draft id.")],
    kind: Annotated[str, typer.Option(help="prisoner_exchange, funds or guarantee.")],
    date: DateOption,
    data: Annotated[
        str,
        typer.Option(
            help="JSON object; fields by --kind: prisoner_exchange: released_by {actor: number} "
            "(required), mediator; funds: donor (required), pledged (required, >= 0), "
            "disbursed (>= 0, default 0), currency (default USD); guarantee: guarantor, "
            'commitment (both required). E.g. {"released_by": {"party-a": 84, "party-b": 84}}.'
        ),
    ],
    source: Annotated[int | None, typer.Option(help="Evidence: a source id.")] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Record a quantitative indicator: a prisoner exchange, funds, or a guarantee."""
    on = parse_date(date, where="--date")
    try:
        payload = json.loads(data)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"--data: invalid JSON: {exc.msg}") from exc
    if not isinstance(payload, dict):
        raise InvalidInput("--data: expected a JSON object")
    with session_scope(db_url(db)) as session:
        row = implementation.add_indicator(
            session, draft, kind, on, payload, by=cli_user(), source_id=source
        )
        out = {"indicator": row.id, "kind": row.kind, "date": row.date, "data": row.data}
    if json_out:
        print_json(out)
    else:
        console.print(f"{kind} recorded for {draft} on {on}", highlight=False)


@app.command()
def status(
    draft: Annotated[str, typer.Argument(help="Signed draft id.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="Date (default today).")] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Show each provision's PAM level, overdue deadlines, and roll-ups by issue and overall."""
    date = parse_date(as_of, where="--as-of") if as_of else None
    with session_scope(db_url(db)) as session:
        result = implementation.draft_status(session, draft, date)
    if json_out:
        print_json(result)
        return
    table = Table(
        title=f"{result.draft} signed {result.signed_on}, as of {result.as_of}: "
        f"{result.overall.percent}% implemented",
        box=box.SIMPLE_HEAD,
    )
    for column in ("no.", "provision", "level", "due", "overdue"):
        table.add_column(column, no_wrap=True)
    for p in result.provisions:
        table.add_row(
            p.number,
            p.title[:40],
            f"{p.level} {p.level_name}",
            str(p.due or ""),
            "OVERDUE" if p.overdue else "",
        )
    console.print(table)
    console.print(
        "by issue: " + ", ".join(f"{i} {r.percent}%" for i, r in result.by_issue.items()),
        highlight=False,
    )
