"""The sender: lease due messages, deliver each, mark it sent, each step in its own transaction.

Delivery happens outside any transaction, so a slow receiver holds no database lock. A sender
killed after a delivery but before its mark leaves the message leased; once the lease lapses the
next sender delivers it again under the same idempotency key, so nothing is lost and a receiver
that keeps the keys it has seen never acts twice.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from accord.alerts import evaluate, outbox
from accord.alerts.delivery import DeliveryError, deliver
from accord.alerts.settings import AlertSettings, alert_settings
from accord.db.session import session_scope


@dataclass
class SendSummary:
    """What one pass of the sender did."""

    sent: int = 0
    failed: int = 0


def send_due(
    url: str, *, by: str, settings: AlertSettings | None = None, limit: int = 50
) -> SendSummary:
    """Deliver every message that is due now, in batches; return the counts."""
    settings = settings or alert_settings()
    summary = SendSummary()
    with httpx.Client(follow_redirects=False) as client:
        while True:
            with session_scope(url) as session:
                batch = outbox.lease_due(
                    session, by=by, limit=limit, lease_s=settings.alert_lease_s
                )
            if not batch:
                return summary
            for message in batch:
                try:
                    deliver(message, settings, client)
                except DeliveryError as exc:
                    with session_scope(url) as session:
                        outbox.mark_failed(
                            session, message.id, str(exc), by=by, base_s=settings.alert_retry_base_s
                        )
                    summary.failed += 1
                    continue
                with session_scope(url) as session:
                    outbox.mark_sent(session, message.id, by=by)
                summary.sent += 1


def evaluate_once(url: str, *, by: str) -> evaluate.RunSummary:
    """Run one evaluation in its own transaction."""
    with session_scope(url) as session:
        return evaluate.run(session, by=by)


def watch(
    url: str,
    *,
    by: str,
    interval_s: float,
    evaluate_too: bool = True,
    on_pass: Callable[[evaluate.RunSummary | None, SendSummary], None] | None = None,
) -> None:
    """Evaluate and send every ``interval_s`` seconds until SIGTERM or SIGINT."""
    stop = threading.Event()

    def halt(_signum: int, _frame: object) -> None:
        stop.set()

    previous = {s: signal.signal(s, halt) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        while not stop.is_set():
            started = time.monotonic()
            found = evaluate_once(url, by=by) if evaluate_too else None
            sent = send_due(url, by=by)
            if on_pass is not None:
                on_pass(found, sent)
            stop.wait(max(0.0, interval_s - (time.monotonic() - started)))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
