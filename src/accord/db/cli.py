"""``accord db``: create or upgrade the schema and show its revision."""

from __future__ import annotations

import typer

from accord.cli.common import DbOption, JsonOption, console, db_url, new_app, print_json
from accord.db import migrate

app = new_app("Database schema: upgrade and current revision.")


@app.command()
def upgrade(
    revision: str = typer.Argument("head", help="Revision to upgrade to."),
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Create or upgrade the database schema."""
    reached = migrate.upgrade(db_url(db), revision)
    if json_out:
        print_json({"revision": reached})
    else:
        console.print(f"database at revision {reached}")


@app.command()
def current(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Show the database's current schema revision and the newest one available."""
    rev, head = migrate.current(db_url(db)), migrate.head()
    if json_out:
        print_json({"revision": rev, "head": head, "up_to_date": rev == head})
    else:
        state = "up to date" if rev == head else f"behind head {head}: run `accord db upgrade`"
        console.print(f"revision {rev or '(none)'} ({state})")
