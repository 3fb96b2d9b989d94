"""``accord report``: write monitoring reports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from accord.cli.common import (
    DbOption,
    JsonOption,
    LoadedPackOption,
    cli_user,
    console,
    db_url,
    new_app,
    print_json,
    settings,
)
from accord.db.session import session_scope
from accord.reports import service
from accord.sources.blobs import BlobStore
from accord.sources.readers import parse_date

app = new_app("Reports: the daily monitoring report (HTML with offline charts and map, PDF).")


@app.command()
def daily(
    date: Annotated[str, typer.Option("--date", help="Report day, YYYY-MM-DD.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="HTML file to write.")],
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write a PDF beside it.")] = False,
    pack: LoadedPackOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Write a pack's daily report: counts by type, zone and party, trend, map, rulings."""
    day = parse_date(date, where="--date")
    with session_scope(db_url(db)) as session:
        artifacts = service.write_daily(
            session,
            day,
            output,
            by=cli_user(),
            blobs=BlobStore(settings().blob_dir),
            pdf=pdf,
            pack=pack,
        )
        out = [
            {"path": a.path, "sha256": a.sha256, "bytes": a.size_bytes, "media_type": a.media_type}
            for a in artifacts
        ]
    if json_out:
        print_json(out)
    else:
        for a in out:
            console.print(
                f"wrote {a['path']} ({a['bytes']:,} bytes, sha256 {str(a['sha256'])[:12]})",
                highlight=False,
            )
