"""``accord verify``: check the audit chain and the blob store."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from accord.audit.integrity import leftover_files, sweep_leftover_files
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


def verify(
    db: DbOption = None,
    json_out: JsonOption = False,
    sweep: Annotated[
        bool,
        typer.Option(
            "--sweep",
            help="When everything checks out, also delete temporary files that killed blob "
            "writes left in the blob store more than an hour ago.",
        ),
    ] = False,
) -> None:
    """Recompute the audit hash chain and every blob's SHA-256; fail on the first mismatch.

    Temporary files that killed writes left in the blob store are counted; --sweep removes
    those more than an hour old, only when the check passed.
    """
    store = BlobStore(settings().blob_dir)
    with session_scope(db_url(db), read_only=True) as session:
        report = run_verify(session, store)
    leftovers = sweep_leftover_files(store) if sweep and report.ok else leftover_files(store)
    if json_out:
        print_json(
            {
                "ok": report.ok,
                "events": report.events,
                "blobs": report.blobs,
                "problem": report.problem,
                "leftover_files": len(leftovers.paths),
                "leftover_bytes": leftovers.bytes,
                "swept": leftovers.removed,
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
    if not json_out and leftovers.paths:
        console.print(
            f"{len(leftovers.paths)} temporary files left by interrupted writes "
            f"({leftovers.bytes:,} bytes), "
            + (
                f"{leftovers.removed} swept"
                if sweep and report.ok
                else "remove with `accord verify --sweep`"
            )
        )
    if not report.ok:
        raise typer.Exit(6)
