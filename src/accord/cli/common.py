"""Shared CLI pieces: options, the error-to-exit-code mapping, JSON and table rendering."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import BaseModel
from rich.console import Console

from accord.cli.group import ROOT_OPTIONS
from accord.config import Settings, get_settings

if TYPE_CHECKING:
    from sqlalchemy.exc import SQLAlchemyError

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="SQLAlchemy database URL (default: ACCORD_DB or a SQLite file in ACCORD_HOME)."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]

# Markup is off: text from sources, packs and files is printed as written. Calls that style
# their own words pass markup=True and escape every value they interpolate.
console = Console(markup=False)
err_console = Console(stderr=True, markup=False)


_SCHEMA_HINTS = (
    "no such table",
    "no such column",
    "does not exist",
    "undefinedtable",
    "undefinedcolumn",
)


def describe_database_error(exc: SQLAlchemyError) -> str:
    """Return one line for a database error, pointing at `accord db upgrade` for old schemas."""
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    if any(hint in detail.lower() for hint in _SCHEMA_HINTS):
        return (
            f"the database schema is missing or out of date ({detail}): run `accord db upgrade`"
            + _demo_hint()
        )
    return f"database error: {detail}"


def _demo_hint() -> str:
    """Point at the demo database when the default one is empty and a demo was built."""
    cfg = settings()
    demo = cfg.home_dir / "demo" / "accord.db"
    if cfg.db or ROOT_OPTIONS.get("db") or not demo.exists():
        return ""
    return f", or use the demo database: export ACCORD_DB={shlex.quote(f'sqlite:///{demo}')}"


def new_app(help_text: str) -> typer.Typer:
    """Return a Typer sub-app with accord's conventions."""
    return typer.Typer(help=help_text, no_args_is_help=True, pretty_exceptions_enable=False)


def settings() -> Settings:
    """Return settings read from the environment."""
    return get_settings()


def db_url(db: str | None) -> str:
    """Return the database URL: the command's ``--db``, the root ``--db``, or the settings'."""
    return settings().database_url(db or ROOT_OPTIONS.get("db"))


def cli_user() -> str:
    """Return the user name written to the audit log for CLI actions."""
    return settings().user


def to_jsonable(value: Any) -> Any:
    """Convert models and containers to plain JSON-ready data."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True)
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, Path):
        return str(value)
    return value


def print_json(value: Any) -> None:
    """Print a value as indented JSON on stdout."""
    sys.stdout.write(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2, default=str))
    sys.stdout.write("\n")


LoadedPackOption = Annotated[
    str | None,
    typer.Option(
        "--pack",
        help="A loaded pack's id (default: the only pack loaded, else ACCORD_PACK).",
    ),
]
