"""The root ``accord`` command: global flags; each domain's commands are imported on first use."""

from __future__ import annotations

from typing import Annotated

import typer

from accord import __version__
from accord.cli.group import ROOT_OPTIONS, AccordGroup

app = typer.Typer(
    cls=AccordGroup,
    help="accord: a peace-process monitor (claims, board, agreements, ceasefire monitoring).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"accord {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="SQLAlchemy database URL (default: ACCORD_DB or a SQLite file in ACCORD_HOME).",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Peace-process monitor: run `accord demo` to see it work."""
    ctx.meta["accord.debug"] = debug
    ROOT_OPTIONS["db"] = db


def run() -> None:
    """Entry point of the ``accord`` console script."""
    app()


if __name__ == "__main__":
    run()
