"""``accord verify``: check the audit chain and the blob store."""

from __future__ import annotations

import typer
from rich.markup import escape

from accord.audit.integrity import verify as run_verify
from accord.cli.common import (
    DbOption,
    JsonOption,
    console,
    db_url,
    err_console,
    print_json,
    settings,
)
from accord.db.session import session_scope
from accord.sources.blobs import BlobStore


def verify(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Recompute the audit hash chain and every blob's SHA-256; fail on the first mismatch."""
    with session_scope(db_url(db), read_only=True) as session:
        report = run_verify(session, BlobStore(settings().blob_dir))
    if json_out:
        print_json(
            {
                "ok": report.ok,
                "events": report.events,
                "blobs": report.blobs,
                "problem": report.problem,
            }
        )
    elif report.ok:
        console.print(f"OK: {report.events} audit events chained, {report.blobs} blobs intact")
    else:
        err_console.print(
            f"[red]FAILED:[/red] {escape(str(report.problem))}",
            markup=True,
            highlight=False,
            soft_wrap=True,
        )
    if not report.ok:
        raise typer.Exit(6)
