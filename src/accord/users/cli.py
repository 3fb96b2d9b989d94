"""``accord users``: users, passwords, sessions, and API tokens (issue, list, revoke)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from accord.cli.common import (
    DbOption,
    JsonOption,
    cli_user,
    console,
    db_url,
    err_console,
    new_app,
    print_json,
)
from accord.db.session import session_scope
from accord.errors import InvalidInput
from accord.users import service

app = new_app("Users: add, passwords, sign-out everywhere, API tokens (issue, list, revoke).")


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
    password = _read_password(password_stdin)
    with session_scope(db_url(db)) as session:
        user = service.create(session, name, role, password, by=cli_user())
        out = (user.name, user.role)
    console.print(f"user {out[0]} added as {out[1]}", highlight=False)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))


@app.command()
def token(
    name: Annotated[str, typer.Argument(help="User name.")],
    expires: Annotated[
        str | None,
        typer.Option(help="Expiry: a duration (30d, 12h, 90m, 2w) or a date/time (UTC if bare)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Issue an API token for a user; it is shown once and stored only as a hash."""
    when = service.parse_expiry(expires) if expires else None
    with session_scope(db_url(db)) as session:
        value = service.issue_token(session, name, by=cli_user(), expires_at=when)
    typer.echo(value)
    if when is not None:
        err_console.print(f"expires {when.isoformat(timespec='seconds')}", highlight=False)


@app.command()
def tokens(
    name: Annotated[str | None, typer.Argument(help="Only this user's tokens.")] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """List API tokens with their state (active, expired, revoked), expiry and last use."""
    with session_scope(db_url(db)) as session:
        out = service.list_tokens(session, name)
    if json_out:
        print_json(out)
        return
    for t in out:
        expires = t["expires_at"].isoformat(timespec="minutes") if t["expires_at"] else "never"
        used = t["last_used_at"].isoformat(timespec="minutes") if t["last_used_at"] else "never"
        console.print(
            f"{t['id']}  {t['user']}  {t['state']}  expires {expires}  last used {used}",
            highlight=False,
        )


@app.command("revoke-token")
def revoke_token(
    token: Annotated[
        str | None, typer.Argument(help="The token's id (from `accord users tokens`) or value.")
    ] = None,
    all_of: Annotated[
        str | None, typer.Option("--all-of", help="Revoke every live token of this user.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Revoke an API token (or all of a user's): it is refused from the next request on."""
    if (token is None) == (all_of is None):
        raise InvalidInput("give either a token (id or value) or --all-of NAME")
    with session_scope(db_url(db)) as session:
        if all_of is not None:
            ids = service.revoke_tokens_of(session, all_of, by=cli_user())
            message = f"revoked {len(ids)} token(s) of {all_of}"
        else:
            row = service.revoke_token(session, str(token), by=cli_user())
            message = f"revoked token {row.id}"
    console.print(message, highlight=False)


@app.command("sign-out")
def sign_out(name: Annotated[str, typer.Argument(help="User name.")], db: DbOption = None) -> None:
    """Sign a user out everywhere: every session cookie issued so far stops working."""
    with session_scope(db_url(db)) as session:
        service.end_sessions(session, name, by=cli_user())
    console.print(f"every session of {name} has ended", highlight=False)


@app.command()
def password(
    name: Annotated[str, typer.Argument(help="User name.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Change a user's password; their sessions end (API tokens stay until revoked)."""
    new = _read_password(password_stdin)
    with session_scope(db_url(db)) as session:
        service.set_password(session, name, new, by=cli_user())
    console.print(f"password of {name} changed; their sessions have ended", highlight=False)


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
