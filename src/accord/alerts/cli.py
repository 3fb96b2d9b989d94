"""``accord alerts``: subscriptions, evaluation, delivery and history."""

from __future__ import annotations

from typing import Annotated

import typer

from accord.alerts import evaluate, sender, service
from accord.alerts.schemas import SubscriptionIn
from accord.cli.common import (
    DbOption,
    JsonOption,
    cli_user,
    console,
    db_url,
    new_app,
    print_json,
)
from accord.db.session import session_scope

app = new_app("Alerts: subscribe to changes, evaluate, deliver (webhook, e-mail, Atom), history.")

UserOption = Annotated[
    str | None, typer.Option("--user", help="Whose subscriptions (default: ACCORD_USER).")
]


@app.command()
def subscribe(
    kind: Annotated[
        str, typer.Argument(help="board, search, zone, violation, ruling or deadline.")
    ],
    issue: Annotated[str | None, typer.Option(help="board/search: only this issue.")] = None,
    holder: Annotated[
        str | None, typer.Option(help="board/search: only this party (holder).")
    ] = None,
    pack: Annotated[str | None, typer.Option(help="board: this loaded pack's board.")] = None,
    query: Annotated[str | None, typer.Option(help="search: the saved search's words.")] = None,
    claim_kind: Annotated[
        str | None, typer.Option(help="search: only claims of this kind.")
    ] = None,
    zone: Annotated[str | None, typer.Option(help="zone/violation: only this zone.")] = None,
    draft: Annotated[str | None, typer.Option(help="deadline: only this signed draft.")] = None,
    webhook: Annotated[str | None, typer.Option(help="Deliver by POST to this URL.")] = None,
    secret: Annotated[
        str | None,
        typer.Option(help="Webhook signing secret (16+ characters; default: a new random one)."),
    ] = None,
    email: Annotated[str | None, typer.Option(help="Deliver by e-mail to this address.")] = None,
    digest: Annotated[
        bool, typer.Option("--digest", help="One message a day instead of one per alert.")
    ] = False,
    user: UserOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Subscribe to a kind of change; it starts from now (what is there already is not news)."""
    data = SubscriptionIn(
        kind=kind,
        cadence="digest" if digest else "immediate",
        pack=pack,
        issue=issue,
        holder=holder,
        query=query,
        claim_kind=claim_kind,
        zone=zone,
        draft=draft,
        webhook_url=webhook,
        webhook_secret=secret,
        email=email,
    )
    with session_scope(db_url(db)) as session:
        row = service.subscribe(session, data, user=user or cli_user(), by=cli_user())
        out = service.describe(row)
        signing = row.webhook_secret if webhook and not secret else None
    if json_out:
        print_json({**out.model_dump(mode="json"), "webhook_secret": signing})
        return
    console.print(f"subscription {out.id}: {out.kind} {out.filters} ({out.cadence})")
    if signing:
        console.print(f"webhook signing secret (shown once): {signing}")


@app.command("list")
def list_command(
    user: UserOption = None,
    all_users: Annotated[bool, typer.Option("--all", help="Every user's subscriptions.")] = False,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """List active subscriptions."""
    with session_scope(db_url(db), read_only=True) as session:
        who = None if all_users else (user or cli_user())
        rows = [service.describe(r) for r in service.subscriptions(session, user=who)]
    if json_out:
        print_json(rows)
        return
    if not rows:
        console.print("no subscriptions")
    for r in rows:
        where = ", ".join(x for x in (r.webhook_url, r.email) if x) or "Atom feed only"
        console.print(f"{r.id}  {r.user}  {r.kind}  {r.filters}  {r.cadence}  → {where}")


@app.command()
def remove(
    subscription_id: Annotated[int, typer.Argument(help="The subscription's id.")],
    user: UserOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """End a subscription (its alert history stays)."""
    with session_scope(db_url(db)) as session:
        row = service.remove(session, subscription_id, user=user or cli_user(), by=cli_user())
        out = service.describe(row)
    if json_out:
        print_json(out)
    else:
        console.print(f"subscription {out.id} removed")


@app.command()
def run(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Compare every subscription's snapshot with the database once; queue the alerts found."""
    with session_scope(db_url(db)) as session:
        summary = evaluate.run(session, by=cli_user())
    if json_out:
        print_json(summary.__dict__)
    else:
        console.print(
            f"{summary.subscriptions} subscription(s): {summary.alerts} alert(s), "
            f"{summary.messages} message(s) queued"
        )


@app.command()
def send(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Deliver the outbox's due messages once (failed ones are retried later, with backoff)."""
    summary = sender.send_due(db_url(db), by=cli_user())
    if json_out:
        print_json(summary.__dict__)
    else:
        console.print(f"{summary.sent} sent, {summary.failed} failed (to retry)")
    if summary.failed:
        raise typer.Exit(1)


@app.command()
def watch(
    interval: Annotated[
        float, typer.Option(min=0.1, help="Seconds between passes (evaluate, then send).")
    ] = 10.0,
    no_evaluate: Annotated[
        bool, typer.Option("--send-only", help="Only deliver; another process evaluates.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Evaluate and deliver every INTERVAL seconds until SIGTERM or SIGINT."""

    def report(found: evaluate.RunSummary | None, sent: sender.SendSummary) -> None:
        if (found and found.alerts) or sent.sent or sent.failed:
            alerts = found.alerts if found else 0
            console.print(f"{alerts} alert(s); {sent.sent} sent, {sent.failed} failed")

    sender.watch(
        db_url(db), by=cli_user(), interval_s=interval, evaluate_too=not no_evaluate, on_pass=report
    )


@app.command()
def history(
    user: UserOption = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Show a user's alerts, newest first, with their deliveries."""
    with session_scope(db_url(db), read_only=True) as session:
        rows = service.history(session, user=user or cli_user(), limit=limit)
    if json_out:
        print_json(rows)
        return
    for a in rows:
        sent = ", ".join(
            f"{d['channel']} {'sent' if d['sent_at'] else 'failed' if d['failed_at'] else 'queued'}"
            for d in a.deliveries
        )
        console.print(f"{a.created_at:%Y-%m-%d %H:%M}  {a.title}  [{sent or 'Atom only'}]")


@app.command("feed-token")
def feed_token(user: UserOption = None, db: DbOption = None, json_out: JsonOption = False) -> None:
    """Make a new token for a user's Atom feed of alerts (the old one stops working)."""
    who = user or cli_user()
    with session_scope(db_url(db)) as session:
        token = service.issue_feed_token(session, user=who, by=cli_user())
    path = f"/alerts/feed.atom?token={token}"
    if json_out:
        print_json({"user": who, "token": token, "path": path})
    else:
        console.print(f"feed of {who} (token shown once): {path}")
