"""``accord verify``: check the audit chain and the blob store; ``accord audit anchor``."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from accord.audit.anchor import make_anchor, read_anchor
from accord.audit.integrity import leftover_files, sweep_leftover_files
from accord.audit.integrity import verify as run_verify
from accord.cli.common import (
    DbOption,
    JsonOption,
    console,
    db_url,
    err_console,
    new_app,
    print_json,
    settings,
)
from accord.db.session import session_scope
from accord.errors import Conflict, InvalidInput
from accord.sources.blobs import BlobStore, fsync_folder

app = new_app("The audit log: signed checkpoints (anchors) of its hash chain.")


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
    anchor_file: Annotated[
        Path | None,
        typer.Option(
            "--anchor",
            help="An anchor from `accord audit anchor`: fail when the chain is shorter than it, "
            "or differs from it (needs the ACCORD_SECRET_KEY that signed it).",
        ),
    ] = None,
) -> None:
    """Recompute the audit hash chain and every blob's SHA-256; fail on the first mismatch.

    Prints the chain's length and newest hash (note them, or keep an anchor, to detect a cut
    tail later). Temporary files that killed writes left in the blob store are counted; --sweep
    removes those more than an hour old, only when the check passed.
    """
    cfg = settings()
    anchor = read_anchor(anchor_file, cfg.secret_key) if anchor_file is not None else None
    store = BlobStore(cfg.blob_dir)
    with session_scope(db_url(db), read_only=True) as session:
        report = run_verify(session, store, anchor)
    leftovers = sweep_leftover_files(store) if sweep and report.ok else leftover_files(store)
    if json_out:
        print_json(
            {
                "ok": report.ok,
                "events": report.events,
                "head_hash": report.head_hash,
                "anchor": anchor.__dict__ if anchor is not None else None,
                "blobs": report.blobs,
                "problem": report.problem,
                "leftover_files": len(leftovers.paths),
                "leftover_bytes": leftovers.bytes,
                "swept": leftovers.removed,
            }
        )
    elif report.ok:
        extends = (
            f"; extends the anchor of {anchor.created_at} ({anchor.events} events)"
            if anchor is not None
            else ""
        )
        console.print(
            f"OK: {report.events} audit events chained, head {report.head_hash}; "
            f"{report.blobs} blobs intact{extends}",
            highlight=False,
            soft_wrap=True,
        )
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


@app.command()
def anchor(
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write the anchor to this new file (else print it)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Write a signed checkpoint of the audit chain (length, newest hash, time) to keep elsewhere.

    Signed with HMAC-SHA256 under a key derived from ACCORD_SECRET_KEY; check it later with
    `accord verify --anchor FILE`.
    """
    if output is not None and output.exists():
        raise Conflict(f"-o {output}: the file exists; choose a new name")
    if output is not None and not output.parent.is_dir():
        raise InvalidInput(f"-o {output}: folder {output.parent} does not exist")
    with session_scope(db_url(db), read_only=True) as session:
        signed = make_anchor(session, settings().secret_key)
    text = json.dumps(signed, indent=1) + "\n"
    if output is None:
        typer.echo(text, nl=False)
        return
    partial = output.with_name(output.name + ".partial")
    with partial.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(output)
    fsync_folder(output.parent)
    console.print(
        f"anchor written: {output} ({signed['events']} events, head {signed['head_hash']})",
        highlight=False,
        soft_wrap=True,
    )
