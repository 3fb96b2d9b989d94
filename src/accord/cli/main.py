"""The root ``accord`` command: global flags and every domain's commands."""

from __future__ import annotations

from typing import Annotated

import typer

from accord import __version__
from accord.agreements.cli import app as agreement_app
from accord.audit.cli import app as audit_app
from accord.audit.cli import verify
from accord.backup.cli import backup, restore
from accord.claims.cli import app as claims_app
from accord.cli.common import ROOT_OPTIONS, AccordGroup, DbOption
from accord.council.cli import app as council_app
from accord.db.cli import app as db_app
from accord.demo.cli import demo, init
from accord.exports.cli import export, release
from accord.extract.cli import eval_
from accord.extract.corpus_cli import app as corpus_app
from accord.extract.train_cli import app as extract_app
from accord.incidents.cli import app as incidents_app
from accord.negotiation.cli import board, events, issue
from accord.packs.cli import app as pack_app
from accord.reports.cli import app as report_app
from accord.sources.cli import app as sources_app
from accord.sources.cli import ingest
from accord.territory.cli import app as territory_app
from accord.users.cli import app as users_app
from accord.web.cli import serve
from accord.zones.cli import app as zones_app

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
    db: DbOption = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Peace-process monitor: run `accord demo` to see it work."""
    ctx.meta["accord.debug"] = debug
    ROOT_OPTIONS["db"] = db


app.command()(init)
app.command()(demo)
app.command()(ingest)
app.command()(verify)
app.add_typer(extract_app, name="extract")
app.add_typer(corpus_app, name="corpus")
app.command("eval")(eval_)
app.command()(board)
app.command()(issue)
app.command()(events)
app.command()(export)
app.command()(release)
app.command()(serve)
app.command()(backup)
app.command()(restore)
app.add_typer(db_app, name="db")
app.add_typer(pack_app, name="pack")
app.add_typer(sources_app, name="sources")
app.add_typer(claims_app, name="claims")
app.add_typer(agreement_app, name="agreement")
app.add_typer(incidents_app, name="incidents")
app.add_typer(zones_app, name="zones")
app.add_typer(council_app, name="council")
app.add_typer(report_app, name="report")
app.add_typer(territory_app, name="territory")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")


def run() -> None:
    """Entry point of the ``accord`` console script."""
    app()


if __name__ == "__main__":
    run()
