"""``accord users``: add users, issue API tokens, list users."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from accord.cli.common import DbOption, JsonOption, cli_user, console, db_url, new_app, print_json
from accord.db.session import session_scope
from accord.users import service

app = new_app("Users: add (password from a prompt or stdin), API tokens, list.")


@app.command()
def add(
    name: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[str, typer.Option(help="viewer, analyst, monitor, council or admin.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Add a user; the password is read from a prompt (or stdin) and stored as an argon2 hash."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    with session_scope(db_url(db)) as session:
        user = service.create(session, name, role, password, by=cli_user())
        out = (user.name, user.role)
    console.print(f"user {out[0]} added as {out[1]}", highlight=False)


@app.command()
def token(name: Annotated[str, typer.Argument(help="User name.")], db: DbOption = None) -> None:
    """Issue an API token for a user; it is shown once and stored only as a hash."""
    with session_scope(db_url(db)) as session:
        value = service.issue_token(session, name, by=cli_user())
    typer.echo(value)


@app.command("list")
def list_(db: DbOption = None, json_out: JsonOption = False) -> None:
    """List users and their roles."""
    with session_scope(db_url(db)) as session:
        out = [
            {"name": u.name, "role": u.role, "created_at": u.created_at}
            for u in service.list_users(session)
        ]
    if json_out:
        print_json(out)
    else:
        for u in out:
            console.print(f"{u['name']}: {u['role']}", highlight=False)
