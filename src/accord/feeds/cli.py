"""``accord feeds`` (add, list, show, remove, poll) and ``accord watch``."""

from __future__ import annotations

import signal
import sys
import threading
from typing import Annotated

import typer
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
from accord.feeds import poller, service
from accord.feeds.fetch import FetchPolicy
from accord.feeds.schemas import FeedItemView, FeedView
from accord.sources.blobs import BlobStore

app = new_app("Feeds: watch RSS, Atom and JSON feeds; poll them; see their health.")

WorkersOption = Annotated[
    int, typer.Option("--workers", min=1, max=256, help="Feeds fetched at once.")
]
NoExtractOption = Annotated[
    bool, typer.Option("--no-extract", help="Store new items as sources without extracting claims.")
]


def _policy() -> FetchPolicy:
    return FetchPolicy(allow_private=settings().feeds_allow_private)


@app.command()
def add(
    url: Annotated[str, typer.Argument(help="The feed's http(s) URL.")],
    name: Annotated[str | None, typer.Option(help="A short name.")] = None,
    publisher: Annotated[str | None, typer.Option(help="Publisher or outlet of its items.")] = None,
    language: Annotated[str | None, typer.Option(help="Language of its items (e.g. en).")] = None,
    interval: Annotated[
        int, typer.Option(help="Seconds between polls by `accord watch`.", min=1)
    ] = 600,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Watch a feed (RSS 0.9x/1.0/2.0, Atom or JSON Feed)."""
    with session_scope(db_url(db)) as session:
        feed = FeedView.model_validate(
            service.add(
                session,
                url,
                by=cli_user(),
                name=name,
                publisher=publisher,
                language=language,
                interval_s=interval,
            )
        )
    if json_out:
        print_json(feed)
        return
    console.print(f"feed {feed.id} added: {feed.url} (every {feed.interval_s} s)", highlight=False)


@app.command("list")
def list_(db: DbOption = None, json_out: JsonOption = False) -> None:
    """List watched feeds with their health (last success, last error, items seen)."""
    with session_scope(db_url(db), read_only=True) as session:
        feeds = [FeedView.model_validate(f) for f in service.list_feeds(session)]
    if json_out:
        print_json({"feeds": feeds})
        return
    table = Table(title=f"feeds ({len(feeds)})")
    for column in ("id", "name", "url", "every", "health", "last success", "items", "last error"):
        table.add_column(column)
    for f in feeds:
        table.add_row(
            str(f.id),
            f.name or "",
            f.url,
            f"{f.interval_s} s",
            "ok" if f.healthy else "failing",
            _time(f.last_success_at),
            str(f.items_seen),
            f.last_error or "",
        )
    console.print(table)


@app.command()
def show(
    feed: Annotated[str, typer.Argument(help="Feed id or URL.")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Show one feed's health and its latest items."""
    with session_scope(db_url(db), read_only=True) as session:
        row = service.get(session, feed)
        view = FeedView.model_validate(row)
        items = [FeedItemView.model_validate(i) for i in service.recent_items(session, row.id)]
        stored = service.item_count(session, row.id)
    if json_out:
        print_json({"feed": view, "items_stored": stored, "recent_items": items})
        return
    console.print(f"feed {view.id}: {view.url}", highlight=False)
    for label, value in (
        ("name", view.name),
        ("publisher", view.publisher),
        ("language", view.language),
        ("interval", f"{view.interval_s} s"),
        ("health", "ok" if view.healthy else "failing"),
        ("last poll", _time(view.last_polled_at)),
        ("last success", _time(view.last_success_at)),
        ("last error", f"{_time(view.last_error_at)} {view.last_error or ''}".strip()),
        ("items seen", str(view.items_seen)),
        ("items stored", str(stored)),
    ):
        console.print(f"  {label:13} {value or ''}", highlight=False)
    for item in items:
        where = f"source {item.source_id}" if item.source_id else f"failed: {item.error}"
        console.print(f"  - {item.url or item.item_key} ({where})", highlight=False)


@app.command()
def remove(
    feed: Annotated[str, typer.Argument(help="Feed id or URL.")],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Stop watching a feed (its sources stay)."""
    with session_scope(db_url(db)) as session:
        row = service.remove(session, feed, by=cli_user())
        removed = {"id": row.id, "url": row.url}
    if json_out:
        print_json({"removed": removed})
        return
    console.print(f"feed {removed['id']} removed: {removed['url']}", highlight=False)


@app.command()
def poll(
    feed: Annotated[
        list[str] | None, typer.Argument(help="Feed ids or URLs (default: every feed).")
    ] = None,
    workers: WorkersOption = 16,
    no_extract: NoExtractOption = False,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Poll feeds once (for cron or a systemd timer); store new items as sources."""
    url = db_url(db)
    ids = None
    if feed:
        with session_scope(url, read_only=True) as session:
            ids = [service.get(session, f).id for f in feed]
    stop = _stop_on_signals()
    with session_scope(url, read_only=True) as session:
        total = len(ids) if ids is not None else len(service.list_feeds(session))
    with Progress(
        TextColumn("polling"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        disable=json_out or total < 2,
    ) as progress:
        task = progress.add_task("poll", total=total)
        report = poller.poll(
            url,
            ids,
            by=cli_user(),
            blobs=BlobStore(settings().blob_dir),
            policy=_policy(),
            extract=not no_extract,
            workers=workers,
            stop=stop,
            on_feed=lambda _r: progress.advance(task),
        )
    _print_report(report, json_out)
    _alerts_after(url, report)
    if report.errors:
        raise typer.Exit(1)


def watch(
    workers: WorkersOption = 16,
    no_extract: NoExtractOption = False,
    db: DbOption = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print one JSON line per poll instead of text.")
    ] = False,
) -> None:
    """Poll each feed at its interval until SIGTERM or SIGINT (Ctrl-C)."""
    stop = _stop_on_signals()
    url = db_url(db)

    def on_poll(report: poller.PollReport) -> None:
        _print_report(report, json_out, one_line=True)
        _alerts_after(url, report)

    err_console.print("watching feeds (Ctrl-C to stop)", highlight=False)
    poller.watch(
        url,
        by=cli_user(),
        blobs=BlobStore(settings().blob_dir),
        policy=_policy(),
        extract=not no_extract,
        workers=workers,
        stop=stop,
        on_poll=on_poll,
    )
    err_console.print("stopped", highlight=False)


def _alerts_after(url: str, report: poller.PollReport) -> None:
    """Evaluate the alert subscriptions when a poll stored new sources."""
    if report.new_sources:
        from accord.alerts.hooks import after_change

        after_change(url, by=cli_user())


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()

    def _handler(_signum: int, _frame: object) -> None:
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _handler)
        signal.signal(signal.SIGINT, _handler)
    return stop


def _print_report(report: poller.PollReport, as_json: bool, *, one_line: bool = False) -> None:
    data = {
        "feeds": report.feeds,
        "not_modified": report.not_modified,
        "new_items": report.new_items,
        "new_sources": report.new_sources,
        "failed_items": report.failed_items,
        "errors": report.errors,
        "stopped": report.stopped,
    }
    if as_json:
        if one_line:
            import json

            console.print(json.dumps(data), highlight=False, soft_wrap=True)
            sys.stdout.flush()
        else:
            print_json(data)
        return
    console.print(
        f"polled {report.feeds} feed(s): {report.new_items} new item(s), "
        f"{report.new_sources} new source(s), {report.not_modified} not modified, "
        f"{len(report.errors)} with errors" + (" (stopped)" if report.stopped else ""),
        highlight=False,
    )
    for error in report.errors:
        err_console.print(
            f"feed {error['feed']}: {error['error']}", highlight=False, soft_wrap=True
        )
    if one_line:
        sys.stdout.flush()  # `accord watch > log`: each poll's line reaches the log at once


def _time(value: object) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if hasattr(value, "strftime") else "never"
