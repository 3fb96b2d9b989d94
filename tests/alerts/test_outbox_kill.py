"""Kill test: SIGKILL the alert sender while a delivery is in flight, start it again, and every
alert arrives, each acted on once by a receiver that dedupes on the idempotency key.

The receiver holds the sixth message's request open, so the sender is killed after that message
was delivered and before it was marked sent: the case a transactional outbox must survive.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from accord.alerts import evaluate, sender, service
from accord.alerts.models import OutboxMessage
from accord.alerts.schemas import SubscriptionIn
from accord.alerts.settings import AlertSettings
from accord.claims import service as claims
from accord.db import migrate
from accord.db.session import dispose_engines, session_scope
from accord.packs import service as packs
from accord.sources import service as sources
from accord.sources.blobs import BlobStore
from alerts.receivers import Hook, webhook_receiver

SECRET = "kill-test-signing-secret-0123456789"
NOTES = 12
HOLD_AFTER = 5
SRC = Path(__file__).resolve().parents[2] / "src"


def _queue(db: str, tmp_path: Path, url: str) -> int:
    """Subscribe a saved search, add matching claims, evaluate: return the messages queued."""
    migrate.upgrade(db)
    with session_scope(db) as session:
        packs.load_by_name(session, "ukraine-2025", by="t")
        data = SubscriptionIn(
            kind="search", query="rejected", webhook_url=url, webhook_secret=SECRET
        )
        service.subscribe(session, data, user="ann", by="t")
    with session_scope(db) as session:
        blobs = BlobStore(tmp_path / "blobs")
        for n in range(NOTES):
            text = f"Kyiv rejected the plan. Note {n}.".encode()
            source, _new = sources.ingest_bytes(
                session, text, tmp_path / f"n{n}.txt", by="t", blobs=blobs
            )
            claims.extract_for_source(session, source, by="t")
        return evaluate.run(session, by="t").messages


def _sender(db: str, *args: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "ACCORD_ALERT_LEASE_S": "2",
        "ACCORD_ALERT_TIMEOUT_S": "30",
    }
    command = [sys.executable, "-m", "accord.cli.main", "alerts", *args, "--db", db]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _unsent(db: str) -> int:
    with session_scope(db) as session:
        query = (
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
        )
        return int(session.scalar(query) or 0)


def test_sigkill_between_delivery_and_mark_loses_and_doubles_nothing(
    fresh_db: str, home: Path, tmp_path: Path
) -> None:
    with webhook_receiver(Hook(secret=SECRET, hold_after=HOLD_AFTER)) as hook:
        queued = _queue(fresh_db, tmp_path, hook.url)
        assert queued == NOTES
        dispose_engines()  # the sender is another process: no connection of ours in its way
        process = _sender(fresh_db, "watch", "--send-only", "--interval", "0.2")
        try:
            assert hook.wait_for(HOLD_AFTER + 1, timeout=90), "the sender never got going"
            time.sleep(0.2)
            process.send_signal(signal.SIGKILL)
            process.wait(10)
        finally:
            if process.poll() is None:
                process.kill()
        assert process.returncode == -signal.SIGKILL
        held = hook.requests[HOLD_AFTER]["key"]
        hook.release.set()
        assert _unsent(fresh_db) == NOTES - HOLD_AFTER  # the held one was delivered, not marked
        time.sleep(2.2)  # the dead sender's lease lapses; a new sender starts
        summary = sender.send_due(fresh_db, by="restart", settings=AlertSettings())
        assert (summary.sent, summary.failed) == (NOTES - HOLD_AFTER, 0)
    assert _unsent(fresh_db) == 0
    assert hook.bad_signatures == 0
    counts = hook.keys
    assert len(counts) == NOTES  # every alert arrived
    assert counts[held] == 2  # the one in flight at the kill came again, same key
    assert all(n == 1 for key, n in counts.items() if key != held)
    assert len(hook.unique()) == NOTES  # what the deduping receiver acted on: each once
