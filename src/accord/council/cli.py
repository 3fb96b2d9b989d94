"""``accord council``: members, rulings on verified incidents, and the list of rulings."""

from __future__ import annotations

from typing import Annotated

import typer

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
from accord.council import service
from accord.db.session import session_scope
from accord.errors import InvalidInput
from accord.packs import choice
from accord.sources.readers import parse_date

app = new_app("Council: members, rulings on verified incidents.")


@app.command()
def members(
    pack: LoadedPackOption = None, db: DbOption = None, json_out: JsonOption = False
) -> None:
    """List a pack's council members and roles."""
    with session_scope(db_url(db)) as session:
        out = [
            {"id": m.id, "name": m.name, "role": m.role, "actor": m.actor_id, "pack": m.pack_id}
            for m in service.members(session, choice.owner(session, pack))
        ]
    if json_out:
        print_json(out)
        return
    for m in out:
        console.print(f"{m['id']}: {m['name']} ({m['role']})", highlight=False)


@app.command()
def rule(
    incident_id: Annotated[int, typer.Argument(help="Verified incident id.")],
    outcome: Annotated[str, typer.Option(help="violation, no_violation or inconclusive.")],
    vote: Annotated[list[str], typer.Option(help="MEMBER=yes|no|abstain (repeatable).")],
    published: Annotated[str, typer.Option(help="Publication date, YYYY-MM-DD.")],
    party: Annotated[str | None, typer.Option(help="Party held responsible (actor id).")] = None,
    reason: Annotated[str | None, typer.Option(help="Reasoning.")] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Record the council's ruling on a verified incident, with the vote record."""
    votes = {}
    for item in vote:
        member, sep, value = item.partition("=")
        if not sep:
            raise InvalidInput(f"--vote {item!r}: use MEMBER=yes|no|abstain")
        votes[member.strip()] = value.strip()
    day = parse_date(published, where="--published")
    with session_scope(db_url(db)) as session:
        ruling = service.rule(
            session, incident_id, outcome, votes, day, by=cli_user(), party=party, reasoning=reason
        )
        out = {
            "id": ruling.id,
            "incident": incident_id,
            "outcome": outcome,
            "party": party,
            "votes": votes,
            "published_on": day,
        }
    if json_out:
        print_json(out)
    else:
        console.print(f"ruling {out['id']} on incident {incident_id}: {outcome}", highlight=False)


@app.command()
def rulings(
    date: Annotated[str | None, typer.Option(help="Only rulings published on this date.")] = None,
    pack: LoadedPackOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """List the council's rulings on a pack's incidents."""
    day = parse_date(date, where="--date") if date else None
    with session_scope(db_url(db)) as session:
        out = [
            {
                "id": r.id,
                "incident": r.incident_id,
                "outcome": r.outcome,
                "party": r.attributed_party,
                "votes": r.votes,
                "published_on": r.published_on,
                "reasoning": r.reasoning,
                "pack": r.pack_id,
            }
            for r in service.rulings(session, on=day, pack=choice.owner(session, pack))
        ]
    if json_out:
        print_json({"total": len(out), "items": out})
        return
    for r in out:
        console.print(
            f"{r['published_on']} ruling {r['id']}: incident {r['incident']} "
            f"{r['outcome']} {r['party'] or ''}",
            highlight=False,
        )
