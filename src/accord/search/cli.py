"""``accord search``: find what sources and claims say, best matches first."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from accord.cli.common import DbOption, JsonOption, console, db_url, print_json
from accord.db.session import session_scope
from accord.search.service import SearchFilter, search, snippet_parts
from accord.sources.readers import parse_date


def search_command(
    query: Annotated[
        str,
        typer.Argument(
            help='Words (all must occur), "a phrase", -word to exclude, or between alternatives.'
        ),
    ],
    scope: Annotated[str, typer.Option("--in", help="all, sources or claims.")] = "all",
    issue: Annotated[str | None, typer.Option(help="Only claims on this issue.")] = None,
    holder: Annotated[str | None, typer.Option(help="Only claims of this holder.")] = None,
    kind: Annotated[
        str | None,
        typer.Option(help="Only claims of this kind: position, status, proposal, event."),
    ] = None,
    state: Annotated[
        str | None, typer.Option(help="Only claims in this review state: machine, accepted, ...")
    ] = None,
    publisher: Annotated[str | None, typer.Option(help="Only this publisher's sources.")] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="Dated on or after, YYYY-MM-DD.")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="Dated on or before, YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=200)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Search sources and claims (full text), best matches first, with the matches marked."""
    f = SearchFilter(
        query=query,
        scope=scope,
        issue=issue,
        holder=holder,
        kind=kind,
        state=state,
        publisher=publisher,
        start=parse_date(start, where="--from") if start else None,
        end=parse_date(end, where="--to") if end else None,
        limit=limit,
        offset=offset,
    )
    with session_scope(db_url(db), read_only=True) as session:
        result = search(session, f)
    if json_out:
        print_json(
            {
                "query": result.query,
                "total": result.total,
                "limit": limit,
                "offset": offset,
                "hits": [
                    {**h.__dict__, "snippet": "".join(t for t, _ in snippet_parts(h.snippet))}
                    | {"matches": [t for t, hit in snippet_parts(h.snippet) if hit]}
                    for h in result.hits
                ],
            }
        )
        return
    console.print(f"{result.total} match(es) for {query!r}", highlight=False)
    for h in result.hits:
        c = h.claim or {}
        if h.type == "claim":
            who = c.get("holder_id") or "-"
            value = c.get("stance") or c.get("status") or c.get("event_type") or ""
            head = f"claim #{h.id} {c.get('kind')} {c.get('issue_id') or '-'} {who} {value}"
        else:
            head = f"source #{h.id} {h.title or 'untitled'}"
        where = f" — source {h.source_id}, {h.publisher or 'unknown publisher'}, {h.published_at or 'undated'}"
        console.print(Text(head, style="bold") + Text(where, style="dim"), soft_wrap=True)
        line = Text("  ")
        for piece, hit in snippet_parts(h.snippet):
            line.append(piece, style="reverse" if hit else "")
        console.print(line, soft_wrap=True)
