"""``accord pack``: load a case pack and show what is loaded."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from accord.cli.common import DbOption, JsonOption, cli_user, console, db_url, new_app, print_json
from accord.db.session import session_scope
from accord.packs import service

app = new_app("Case packs: load one and show what is loaded.")


@app.command()
def load(
    pack: Annotated[
        str, typer.Argument(help="Pack folder, or the id of a bundled pack (see docs/PACKS.md).")
    ],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Validate and load a pack (a no-op when its content is already loaded)."""
    with session_scope(db_url(db)) as session:
        result = service.load_by_name(session, pack, by=cli_user())
    if json_out:
        print_json(result.__dict__)
        return
    verb = "loaded" if result.changed else "already loaded (unchanged)"
    console.print(f"pack {result.pack_id} {verb}: {result.actors} actors, {result.issues} issues")


@app.command()
def show(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Show the loaded packs, their actors and issues."""
    with session_scope(db_url(db)) as session:
        data = service.describe(session)
    if json_out:
        print_json(data)
        return
    for p in data["packs"]:
        console.print(
            f"[bold]{escape(p['name'])}[/bold] ({escape(p['id'])} v{escape(str(p['version']))}), "
            f"main parties: {escape(', '.join(p['main_parties']))}",
            markup=True,
            highlight=False,
        )
    table = Table(title=f"actors ({len(data['actors'])})")
    for column in ("id", "kind", "name", "aliases"):
        table.add_column(column)
    for a in data["actors"]:
        table.add_row(a["id"], a["kind"], a["name"], ", ".join(a["aliases"][:6]))
    console.print(table)
    table = Table(title=f"issues ({len(data['issues'])})")
    for column in ("id", "name", "parent", "keywords"):
        table.add_column(column)
    for i in data["issues"]:
        table.add_row(i["id"], i["name"], i["parent"] or "", str(len(i["keywords"])))
    console.print(table)
