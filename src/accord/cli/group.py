"""The root command group: sub-commands imported on first use, errors as one line.

Importing every domain's command module costs over a second (spaCy, the geo stack, SQLAlchemy),
so ``accord --version`` and ``accord --help`` must not do it. The group knows each command's
name, where it lives and its one-line help, and imports a module only when its command runs.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from importlib import import_module
from typing import Any

import typer
from typer import _click as click  # typer 0.29 ships its own copy of Click
from typer.core import TyperCommand, TyperGroup

# Options given before the sub-command (``accord --db URL ...``); set by the root callback.
ROOT_OPTIONS: dict[str, str | None] = {}


@dataclass(frozen=True)
class LazyCommand:
    """A sub-command: its name, ``module:attribute`` (a function or a Typer app) and help line."""

    name: str
    target: str
    help: str
    group: bool = False

    def load(self) -> click.Command:
        """Import the command's module and return it as a Click command."""
        module, _, attr = self.target.partition(":")
        obj = getattr(import_module(module), attr)
        if self.group:  # mounted as add_typer does, so a one-command app stays a group
            holder = typer.Typer(add_completion=False)
            holder.add_typer(obj, name=self.name)
            outer = typer.main.get_command(holder)
            if not isinstance(outer, TyperGroup):
                raise TypeError(f"{self.target} did not build a command group")
            command = outer.commands[self.name]
        else:
            single = typer.Typer(add_completion=False)
            single.command(self.name)(obj)
            command = typer.main.get_command(single)
        command.name = self.name
        return command


# Order is the order `accord --help` lists them in. tests/foundation/test_cli_workbench.py checks
# that every help line here is the command's own.
COMMANDS: tuple[LazyCommand, ...] = (
    LazyCommand(
        "init", "accord.demo.cli:init", "Create or upgrade the database and load the bundled pack."
    ),
    LazyCommand(
        "demo",
        "accord.demo.cli:demo",
        "Build a fresh demo database (ACCORD_HOME/demo unless --db) and print a summary.",
    ),
    LazyCommand(
        "ingest",
        "accord.sources.cli:ingest",
        "Ingest .txt, .md, .html and .json documents; known bytes are skipped as already known.",
    ),
    LazyCommand(
        "verify",
        "accord.audit.cli:verify",
        "Recompute the audit hash chain and every blob's SHA-256; fail on the first mismatch.",
    ),
    LazyCommand(
        "extract",
        "accord.extract.train_cli:app",
        "Print the claims of a document (`accord extract FILE`), or retrain the scorer.",
        group=True,
    ),
    LazyCommand(
        "corpus",
        "accord.extract.corpus_cli:app",
        "The real-text corpus: catalogue and cache.",
        group=True,
    ),
    LazyCommand(
        "eval",
        "accord.extract.cli:eval_",
        "Score extraction against gold files: P/R/F1 per kind, with misses and false alarms.",
    ),
    LazyCommand(
        "board",
        "accord.negotiation.cli:board_app",
        "Show per issue the reconciled status and each main party's current stance.",
        group=True,
    ),
    LazyCommand(
        "issue",
        "accord.negotiation.cli:issue",
        "Show every claim and event on an issue in date order, with stance changes marked.",
    ),
    LazyCommand(
        "events",
        "accord.negotiation.cli:events",
        "List meetings, calls and talks, merged across sources; scheduled ones are upcoming.",
    ),
    LazyCommand(
        "search",
        "accord.search.cli:search_command",
        "Search sources and claims (full text), best matches first, with the matches marked.",
    ),
    LazyCommand(
        "export",
        "accord.exports.cli:export",
        "Export a dataset as CSV, JSON, Parquet, GeoJSON, GeoParquet or ACLED CSV.",
    ),
    LazyCommand(
        "release",
        "accord.exports.cli:release",
        "Write every dataset with a Frictionless datapackage.json and a README (public view).",
    ),
    LazyCommand(
        "serve",
        "accord.web.cli:serve",
        "Serve the web UI and the REST API (schema at /openapi.json).",
    ),
    LazyCommand(
        "backup",
        "accord.backup.cli:backup",
        "Back up the SQLite database (online, consistent) and the blob store into one archive.",
    ),
    LazyCommand(
        "restore",
        "accord.backup.cli:restore",
        "Restore a backup (checking every hash), then verify the audit chain and the blobs.",
    ),
    LazyCommand(
        "db", "accord.db.cli:app", "Database schema: upgrade and current revision.", group=True
    ),
    LazyCommand(
        "pack", "accord.packs.cli:app", "Case packs: load one and show what is loaded.", group=True
    ),
    LazyCommand(
        "sources",
        "accord.sources.cli:app",
        "Sources: list and show ingested documents, and date undated ones.",
        group=True,
    ),
    LazyCommand(
        "feeds",
        "accord.feeds.cli:app",
        "Feeds: watch RSS, Atom and JSON feeds; poll them; see their health.",
        group=True,
    ),
    LazyCommand(
        "watch",
        "accord.feeds.cli:watch",
        "Poll each feed at its interval until SIGTERM or SIGINT (Ctrl-C).",
    ),
    LazyCommand(
        "claims",
        "accord.claims.cli:app",
        "Claims: list, accept, reject and correct what was extracted.",
        group=True,
    ),
    LazyCommand(
        "agreement",
        "accord.agreements.cli:app",
        "Agreements: drafts, diffs, signing and implementation (PAM scale).",
        group=True,
    ),
    LazyCommand(
        "incidents",
        "accord.incidents.cli:app",
        "Incidents: file, list, show, import (ACLED, UCDP, GeoJSON, CSV) and check.",
        group=True,
    ),
    LazyCommand(
        "zones",
        "accord.zones.cli:app",
        "Zones: load, derive a line of contact, buffer, list and show.",
        group=True,
    ),
    LazyCommand(
        "council",
        "accord.council.cli:app",
        "Council: members, rulings on verified incidents.",
        group=True,
    ),
    LazyCommand(
        "report",
        "accord.reports.cli:app",
        "Reports: the daily monitoring report (HTML with offline charts and map, PDF) and the weekly"
        " negotiation brief.",
        group=True,
    ),
    LazyCommand(
        "territory",
        "accord.territory.cli:app",
        "Territory: compare proposals, follow the occupied area over time, map the options.",
        group=True,
    ),
    LazyCommand(
        "users",
        "accord.users.cli:app",
        "Users: add, passwords, sign-out everywhere, API tokens (issue, list, revoke).",
        group=True,
    ),
    LazyCommand(
        "alerts",
        "accord.alerts.cli:app",
        "Alerts: subscribe to changes, evaluate, deliver (webhook, e-mail, Atom), history.",
        group=True,
    ),
    LazyCommand(
        "audit",
        "accord.audit.cli:app",
        "The audit log: signed checkpoints (anchors) of its hash chain.",
        group=True,
    ),
)
_BY_NAME = {c.name: c for c in COMMANDS}


class AccordGroup(TyperGroup):
    """Click group with lazily imported sub-commands and accord's one-line errors."""

    _listing = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Return the registered commands followed by the lazy ones, in table order."""
        names = list(super().list_commands(ctx))
        return names + [c.name for c in COMMANDS if c.name not in names]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Return a command, importing its module on first use (not for listing help)."""
        found = super().get_command(ctx, cmd_name)
        if found is not None or cmd_name not in _BY_NAME:
            return found
        entry = _BY_NAME[cmd_name]
        if self._listing:  # the help page needs only the name and the help line
            return TyperCommand(entry.name, help=entry.help, short_help=entry.help)
        command = entry.load()
        self.commands[cmd_name] = command
        return command

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Print the help page from the command table, importing no sub-command."""
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command, mapping domain errors to exit codes (tracebacks only with --debug)."""
        from accord.errors import AccordError, DatabaseUnavailable

        try:
            return super().invoke(ctx)
        except AccordError as exc:
            if ctx.meta.get("accord.debug"):
                raise
            _error_line(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except Exception as exc:
            sa_exc = sys.modules.get("sqlalchemy.exc")
            if sa_exc is None or not isinstance(exc, sa_exc.SQLAlchemyError):
                raise
            if ctx.meta.get("accord.debug"):
                raise
            from accord.cli.common import describe_database_error

            _error_line(describe_database_error(exc))
            raise typer.Exit(DatabaseUnavailable.exit_code) from None

    def main(
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Run as a program; a usage error is one line naming the command's ``--help``."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        try:
            result = super().main(
                args, prog_name, complete_var, False, windows_expand_args, **extra
            )
        except click.exceptions.NoArgsIsHelpError as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.exceptions.UsageError as exc:
            where = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx is not None else ""
            _error_line(exc.format_message() + where)
            sys.exit(exc.exit_code)
        except click.exceptions.ClickException as exc:
            _error_line(exc.format_message())
            sys.exit(exc.exit_code)
        except typer.Abort:
            _error_line("aborted")
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


def _error_line(message: str) -> None:
    """Print ``error: message`` as one line on stderr (red on a terminal)."""
    prefix = typer.style("error:", fg="red") if sys.stderr.isatty() else "error:"
    click.echo(f"{prefix} {' '.join(message.split())}", err=True)
