"""``accord backup`` and ``accord restore``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from accord.audit.integrity import verify as run_verify
from accord.backup import service
from accord.cli.common import DbOption, JsonOption, console, db_url, print_json, settings
from accord.db.session import dispose_engines, session_scope
from accord.sources.blobs import BlobStore


def backup(
    output: Annotated[Path, typer.Option("-o", "--output", help="Archive to write (.tar.gz).")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Back up the SQLite database (online, consistent) and the blob store into one archive."""
    summary = service.backup(db_url(db), settings().blob_dir, output)
    if json_out:
        print_json(summary.__dict__)
    else:
        console.print(f"backup written: {summary.archive} ({summary.blobs} blobs)", highlight=False)


def restore(
    archive: Annotated[Path, typer.Argument(help="Backup archive.")],
    force: Annotated[bool, typer.Option(help="Replace an existing database file.")] = False,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Restore a backup (checking every hash), then verify the audit chain and the blobs."""
    url = db_url(db)
    dispose_engines()
    summary = service.restore(archive, url, settings().blob_dir, force=force)
    with session_scope(url) as session:
        report = run_verify(session, BlobStore(settings().blob_dir))
    if json_out:
        print_json({**summary.__dict__, "verify_ok": report.ok, "problem": report.problem})
    else:
        console.print(
            f"restored {summary.archive} ({summary.blobs} blobs); verify: "
            f"{'OK' if report.ok else report.problem}",
            highlight=False,
        )
    if not report.ok:
        raise typer.Exit(6)
