"""``accord ingest`` and ``accord sources``: add documents and read them back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from accord.cli.common import (
    DbOption,
    JsonOption,
    cli_user,
    console,
    db_url,
    err_console,
    new_app,
    print_json,
    settings,
)
from accord.db.session import session_scope
from accord.errors import AccordError
from accord.packs import service as packs_service
from accord.sources import dating, editing, service
from accord.sources.blobs import BlobStore
from accord.sources.readers import Metadata, parse_date
from accord.sources.schemas import IngestOutcome, SourceDetail, SourceSummary

app = new_app("Sources: list and show ingested documents, and date undated ones.")


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).")],
    title: Annotated[str | None, typer.Option(help="Title for the ingested file(s).")] = None,
    publisher: Annotated[str | None, typer.Option(help="Publisher or outlet.")] = None,
    url: Annotated[str | None, typer.Option(help="Original URL.")] = None,
    date: Annotated[str | None, typer.Option(help="Publication date, YYYY-MM-DD.")] = None,
    pack: Annotated[
        list[str] | None,
        typer.Option(
            "--pack",
            help="Extract claims for this loaded pack (repeat for several; default: the "
            "default pack). A known source gets claims for a named pack that has none yet.",
        ),
    ] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Ingest .txt, .md, .html and .json documents; known bytes are skipped as already known."""
    cfg = settings()
    url_db = db_url(db)
    if pack:
        with session_scope(url_db) as session:
            for name in pack:
                packs_service.resolve(session, name)  # an unknown pack stops before any file
    meta = Metadata(
        title=title,
        publisher=publisher,
        url=url,
        published_at=parse_date(date, where="--date") if date else None,
    )
    files = list(service.iter_input_files(paths))
    blobs = BlobStore(cfg.blob_dir)
    outcomes: list[IngestOutcome] = []
    with Progress(
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        disable=len(files) < 2 or json_out,
    ) as progress:
        task = progress.add_task("ingest", total=len(files))
        for path in files:
            outcomes.append(_ingest_one(path, url_db, blobs, cfg.max_file_bytes, meta, pack))
            progress.advance(task)
    failed = sum(o.status == "failed" for o in outcomes)
    if any(o.status == "added" for o in outcomes):
        from accord.alerts.hooks import after_change

        after_change(url_db, by=cfg.user)  # alerts for what the new sources changed
    if json_out:
        print_json({"files": outcomes, "summary": _summary(outcomes)})
    else:
        _print_outcomes(outcomes)
    if failed:
        raise typer.Exit(2)


def _ingest_one(
    path: Path,
    url: str,
    blobs: BlobStore,
    max_bytes: int,
    meta: Metadata,
    packs: list[str] | None = None,
) -> IngestOutcome:
    try:
        with session_scope(url) as session:
            source, added, n_claims = service.ingest_path(
                session,
                path,
                by=cli_user(),
                blobs=blobs,
                max_bytes=max_bytes,
                metadata=meta,
                packs=packs,
            )
            undated = source.published_at is None
            return IngestOutcome(
                path=str(path),
                status="added" if added else "known",
                source_id=source.id,
                sha256=source.sha256,
                claims=n_claims,
                date_missing=undated,
                warning=dating.undated_warning(source.id) if undated else None,
            )
    except AccordError as exc:
        if exc.exit_code == 5:  # the database itself is unreachable: stop, not per-file
            raise
        return IngestOutcome(path=str(path), status="failed", error=str(exc))


def _summary(outcomes: list[IngestOutcome]) -> dict[str, int]:
    return {
        "added": sum(o.status == "added" for o in outcomes),
        "already_known": sum(o.status == "known" for o in outcomes),
        "failed": sum(o.status == "failed" for o in outcomes),
        "claims": sum(o.claims for o in outcomes),
        "undated": sum(o.date_missing for o in outcomes),
    }


def _print_outcomes(outcomes: list[IngestOutcome]) -> None:
    for outcome in outcomes:
        if outcome.status == "failed":
            err_console.print(
                f"[red]failed:[/red] {escape(str(outcome.error))}",
                markup=True,
                highlight=False,
                soft_wrap=True,
            )
        elif outcome.status == "known":
            console.print(
                f"already known: {outcome.path} (source {outcome.source_id})", highlight=False
            )
        if outcome.warning:
            err_console.print(
                f"[yellow]warning:[/yellow] {escape(outcome.path)}: {escape(outcome.warning)}",
                markup=True,
                highlight=False,
                soft_wrap=True,
            )
    table = Table(title="ingest summary")
    for column in ("added", "already known", "failed", "claims extracted", "undated"):
        table.add_column(column, justify="right")
    summary = _summary(outcomes)
    table.add_row(
        str(summary["added"]),
        str(summary["already_known"]),
        str(summary["failed"]),
        str(summary["claims"]),
        str(summary["undated"]),
    )
    console.print(table)


@app.command("list")
def list_(
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="Page size.")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Rows to skip.")] = 0,
    undated: Annotated[
        bool, typer.Option("--undated", help="Only sources without a publication date.")
    ] = False,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """List sources, newest publication first (undated ones last, marked 'undated')."""
    with session_scope(db_url(db)) as session:
        rows, total = service.list_sources(session, limit=limit, offset=offset, undated=undated)
        items = [SourceSummary.model_validate(r) for r in rows]
    if json_out:
        print_json({"total": total, "limit": limit, "offset": offset, "items": items})
        return
    table = Table(title=f"sources ({total})")
    for column in ("id", "published", "title", "publisher", "type", "sha256"):
        table.add_column(column)
    for s in items:
        table.add_row(
            str(s.id),
            _date(s.published_at),
            s.title or "",
            s.publisher or "",
            s.media_type,
            s.sha256[:12],
        )
    console.print(table)


@app.command()
def show(
    source_id: Annotated[int, typer.Argument(help="Source id.")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Show one source with its metadata and text."""
    with session_scope(db_url(db)) as session:
        detail = SourceDetail.model_validate(service.get(session, source_id))
    if json_out:
        print_json(detail)
        return
    console.print(
        f"[bold]{escape(detail.title or '(untitled)')}[/bold]", markup=True, highlight=False
    )
    console.print(
        f"source {detail.id} · {detail.publisher or 'unknown publisher'} · "
        f"{_date(detail.published_at)} · {detail.media_type} · sha256 {detail.sha256}",
        highlight=False,
    )
    if detail.date_missing:
        err_console.print(
            f"[yellow]warning:[/yellow] {escape(dating.undated_warning(detail.id))}",
            markup=True,
            highlight=False,
            soft_wrap=True,
        )
    console.print()
    console.print(detail.text, highlight=False, markup=False)


@app.command("set-date")
def set_date(
    source_id: Annotated[int, typer.Argument(help="Source id.")],
    date: Annotated[str, typer.Argument(help="Publication date, YYYY-MM-DD.")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Set a source's publication date (audited); an undated source then counts as of it."""
    published = parse_date(date, where="DATE")
    with session_scope(db_url(db)) as session:
        before = service.get(session, source_id).published_at
        source, redated = dating.set_published(session, source_id, published, by=cli_user())
        summary = SourceSummary.model_validate(source)
    if json_out:
        print_json({"source": summary, "previous": before, "claims_redated": redated})
        return
    was = before.isoformat() if before else "undated"
    console.print(
        f"source {source_id} dated {published} (was {was}); {len(redated)} claim(s) re-dated",
        highlight=False,
    )


@app.command("edit")
def edit(
    source_id: Annotated[int, typer.Argument(help="Source id.")],
    date: Annotated[
        str | None, typer.Option("--date", help="Publication date, YYYY-MM-DD (re-dates claims).")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="New title.")] = None,
    publisher: Annotated[str | None, typer.Option("--publisher", help="New publisher.")] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Correct a source's title, publisher or publication date (audited; the text never changes)."""
    published = parse_date(date, where="--date") if date is not None else None
    with session_scope(db_url(db)) as session:
        source, changes = editing.edit(
            session, source_id, by=cli_user(), title=title, publisher=publisher, published=published
        )
        summary = SourceSummary.model_validate(source)
    if json_out:
        print_json({"source": summary, "changes": changes})
        return
    if not changes:
        console.print(f"source {source_id}: nothing changed (same values)", highlight=False)
        return
    for field, change in changes.items():
        console.print(
            escape(f"source {source_id} {field}: {change['from'] or '-'} -> {change['to']}")
            + (
                f" ({len(change['claims_redated'])} claim(s) re-dated)"
                if "claims_redated" in change
                else ""
            ),
            highlight=False,
        )


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else "undated"
