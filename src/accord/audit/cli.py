"""``accord verify``: check the audit chain and the blob store."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from accord.audit.integrity import stray_blobs, sweep_stray_blobs
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
            help="Also delete blob-store files nothing refers to (left by killed ingests) "
            "that are more than an hour old.",
        ),
    ] = False,
) -> None:
    """Recompute the audit hash chain and every blob's SHA-256; fail on the first mismatch.

    Files in the blob store that no source or report refers to are counted; --sweep removes
    those older than an hour.
    """
    store = BlobStore(settings().blob_dir)
    with session_scope(db_url(db), read_only=True) as session:
        report = run_verify(session, store)
        strays = sweep_stray_blobs(session, store) if sweep else stray_blobs(session, store)
    if json_out:
        print_json(
            {
                "ok": report.ok,
                "events": report.events,
                "blobs": report.blobs,
                "problem": report.problem,
                "stray_files": len(strays.paths),
                "stray_bytes": strays.bytes,
                "swept": strays.removed,
            }
        )
    elif report.ok:
        console.print(f"OK: {report.events} audit events chained, {report.blobs} blobs intact")
    if not json_out and strays.paths:
        console.print(
            f"{len(strays.paths)} stray files in the blob store ({strays.bytes:,} bytes), "
            + (f"{strays.removed} swept" if sweep else "remove with `accord verify --sweep`")
        )
    else:
        err_console.print(
            f"[red]FAILED:[/red] {escape(str(report.problem))}",
            markup=True,
            highlight=False,
            soft_wrap=True,
        )
    if not report.ok:
        raise typer.Exit(6)
