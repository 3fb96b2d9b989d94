"""Several OS processes writing one database at once: no lock errors, no lost review, one chain.

An ``accord ingest`` of 100 notes, an ``accord incidents import`` of an ACLED file and two
reviewers (Python processes using the service layer) run at the same time against the database
under test (SQLite file, or PostgreSQL when ACCORD_TEST_DB is set). The two reviewers race on the
same machine claims, one accepting and one rejecting each, so exactly one of them may win each
claim; they also walk disjoint incidents through ``reported -> under_review -> verified``.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from typer.testing import CliRunner

from accord.audit.models import AuditEvent
from accord.claims.models import Claim
from accord.cli.main import app
from accord.db.session import dispose_engines, session_scope
from accord.incidents.models import Incident
from accord.incidents.rows import ACLED_COLUMNS
from accord.sources.models import Source

SEED_NOTES = 12
NEW_NOTES = 100
SEED_INCIDENTS = 16
NEW_INCIDENTS = 6000  # more than one import batch (BATCH_ROWS), so several transactions
TIMEOUT_S = 120

ACCORD = Path(sys.executable).with_name("accord")

NOTE = """Title: Note {n}
Date: 2025-12-{day:02d}

Russia demanded the withdrawal of Ukrainian troops from Donbas (note {n}). Ukraine rejected the
demand. Zelenskiy said security guarantees were {pct}% there.
"""

REVIEWER = r"""
import json, sys, time
from sqlalchemy import func, select
from accord.claims import workflow as claims
from accord.db.session import session_scope
from accord.errors import Conflict
from accord.incidents import workflow as incidents
from accord.incidents.models import Incident
from accord.sources.models import Source

url, user, verdict = sys.argv[1:4]
claim_ids, incident_ids = json.loads(sys.argv[4]), json.loads(sys.argv[5])
seed_sources = int(sys.argv[6])
review = claims.accept if verdict == "accepted" else claims.reject

def count(model):
    with session_scope(url, read_only=True) as session:
        return session.scalar(select(func.count()).select_from(model))

# Start once the ingest is writing, so the reviews overlap the other writers.
deadline = time.monotonic() + 60
while count(Source) <= seed_sources and time.monotonic() < deadline:
    time.sleep(0.01)
out = {"at_start": [count(Source), count(Incident)], "claims": {}, "transitions": 0}
steps = [("claim", c) for c in claim_ids] + [("incident", i) for i in incident_ids]
steps.sort(key=lambda s: s[1] if s[0] == "claim" else s[1] + 0.5)  # interleave the two kinds
for kind, ident in steps:
    if kind == "claim":
        try:
            with session_scope(url) as session:
                _, changed = review(session, ident, by=user)
            out["claims"][ident] = "changed" if changed else "unchanged"
        except Conflict:
            out["claims"][ident] = "conflict"
    else:
        for target in ("under_review", "verified"):
            with session_scope(url) as session:
                incidents.transition(session, ident, target, by=user)
            out["transitions"] += 1
print(json.dumps(out))
"""


def write_notes(folder: Path, start: int, count: int) -> Path:
    folder.mkdir(parents=True)
    for n in range(start, start + count):
        text = NOTE.format(n=n, day=1 + n % 28, pct=50 + n % 50)
        (folder / f"note-{n:04d}.txt").write_text(text, encoding="utf-8")
    return folder


def write_acled(path: Path, start: int, count: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(ACLED_COLUMNS))
        writer.writeheader()
        for n in range(start, start + count):
            row = {c: "" for c in ACLED_COLUMNS}
            row.update(
                {
                    "event_id_cnty": f"UKR{n}",
                    "event_date": f"2026-02-{1 + n % 28:02d}",
                    "year": "2026",
                    "time_precision": "1",
                    "disorder_type": "Political violence",
                    "event_type": "Explosions/Remote violence",
                    "sub_event_type": "Shelling/artillery/missile attack",
                    "actor1": "Military Forces of Russia",
                    "actor2": "Civilians (Ukraine)",
                    "iso": "804",
                    "country": "Ukraine",
                    "admin1": "Donetsk",
                    "location": "Kramatorsk",
                    "latitude": f"{48.5 + (n % 1000) / 5000:.4f}",
                    "longitude": f"{37.5 + (n % 997) / 5000:.4f}",
                    "geo_precision": "1",
                    "source": "Wire",
                    "notes": f"Shelling, report {n}.",
                    "fatalities": str(n % 3),
                }
            )
            writer.writerow(row)
    return path


def run(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_concurrent_writers(runner: CliRunner, home: Path, fresh_db: str, tmp_path: Path) -> None:
    # Seed: the pack, some machine claims and some reported incidents to review.
    run(runner, "init", "--db", fresh_db)
    run(runner, "ingest", str(write_notes(tmp_path / "seed", 0, SEED_NOTES)), "--db", fresh_db)
    seed_csv = write_acled(tmp_path / "seed.csv", 0, SEED_INCIDENTS)
    run(runner, "incidents", "import", str(seed_csv), "--format", "acled", "--db", fresh_db)
    with session_scope(fresh_db) as session:
        claim_ids = list(session.scalars(select(Claim.id).order_by(Claim.id)))
        incident_ids = list(session.scalars(select(Incident.id).order_by(Incident.id)))
        audit_before = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    assert len(claim_ids) >= 2 * SEED_NOTES and len(incident_ids) == SEED_INCIDENTS
    dispose_engines()

    notes = write_notes(tmp_path / "notes", SEED_NOTES, NEW_NOTES)
    new_csv = write_acled(tmp_path / "new.csv", SEED_INCIDENTS, NEW_INCIDENTS)
    env = {**os.environ, "ACCORD_HOME": str(home), "ACCORD_DB": fresh_db, "ACCORD_USER": "bulk"}
    reviewer = tmp_path / "reviewer.py"
    reviewer.write_text(REVIEWER, encoding="utf-8")
    commands = {
        "ingest": [str(ACCORD), "ingest", str(notes), "--json"],
        "import": [str(ACCORD), "incidents", "import", str(new_csv), "--format", "acled", "--json"],
        "alice": [sys.executable, str(reviewer), fresh_db, "alice", "accepted",
                  json.dumps(claim_ids), json.dumps(incident_ids[0::2]), str(SEED_NOTES)],
        "bob": [sys.executable, str(reviewer), fresh_db, "bob", "rejected",
                json.dumps(claim_ids), json.dumps(incident_ids[1::2]), str(SEED_NOTES)],
    }  # fmt: skip
    started = time.monotonic()
    procs = {
        name: subprocess.Popen(
            cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for name, cmd in commands.items()
    }
    outputs = {name: proc.communicate(timeout=TIMEOUT_S) for name, proc in procs.items()}
    elapsed = time.monotonic() - started

    for name, proc in procs.items():
        stdout, stderr = outputs[name]
        assert proc.returncode == 0, f"{name} exited {proc.returncode}:\n{stderr}\n{stdout}"
        assert "database is locked" not in stderr, f"{name}: {stderr}"
        assert "Traceback" not in stderr, f"{name}: {stderr}"
    ingest = json.loads(outputs["ingest"][0])
    imported = json.loads(outputs["import"][0])
    alice, bob = json.loads(outputs["alice"][0]), json.loads(outputs["bob"][0])
    assert ingest["summary"]["added"] == NEW_NOTES
    assert imported["inserted"] == NEW_INCIDENTS
    # The reviews began while a bulk writer was still at work (else the test proves little).
    totals = [SEED_NOTES + NEW_NOTES, SEED_INCIDENTS + NEW_INCIDENTS]
    assert any(
        n < total for r in (alice, bob) for n, total in zip(r["at_start"], totals, strict=True)
    ), (elapsed, alice["at_start"], bob["at_start"])

    # Each raced claim was won by exactly one reviewer; the other saw a conflict.
    winners: dict[int, str] = {}
    for cid in claim_ids:
        outcomes = (alice["claims"][str(cid)], bob["claims"][str(cid)])
        assert sorted(outcomes) == ["changed", "conflict"], (cid, outcomes)
        winners[cid] = "accepted" if outcomes[0] == "changed" else "rejected"

    with session_scope(fresh_db) as session:
        assert session.scalar(select(func.count()).select_from(Source)) == SEED_NOTES + NEW_NOTES
        new_claims = sum(f["claims"] for f in ingest["files"])
        assert session.scalar(select(func.count()).select_from(Claim)) == (
            len(claim_ids) + new_claims
        )
        assert session.scalar(select(func.count()).select_from(Incident)) == (
            SEED_INCIDENTS + NEW_INCIDENTS
        )
        states = dict(
            session.execute(
                select(Claim.id, Claim.review_state).where(Claim.id.in_(claim_ids))
            ).all()
        )
        assert states == winners
        reviewed = session.execute(
            select(AuditEvent.entity_id, AuditEvent.action, AuditEvent.user).where(
                AuditEvent.entity == "claim"
            )
        ).all()
        assert sorted((int(e), a) for e, a, _ in reviewed) == sorted(
            (cid, f"claim.{state}") for cid, state in winners.items()
        )  # every review recorded once: no lost or doubled update
        statuses = session.scalars(select(Incident.status).where(Incident.id.in_(incident_ids)))
        assert set(statuses) == {"verified"}
        transitions = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "incident.transition")
        )
        assert transitions == alice["transitions"] + bob["transitions"] == 2 * SEED_INCIDENTS
        locks = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "incident.lock")
        )
        assert locks == SEED_INCIDENTS  # starting a review takes the lock, once per incident
        ingests = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "source.ingest")
        )
        assert ingests == SEED_NOTES + NEW_NOTES
        audit_after = session.scalar(select(func.count()).select_from(AuditEvent))
        import_events = session.scalars(
            select(AuditEvent.payload).where(AuditEvent.action == "incidents.import")
        ).all()
        assert sum(p["inserted"] for p in import_events) == SEED_INCIDENTS + NEW_INCIDENTS
    assert audit_after == (
        audit_before
        + 2 * NEW_NOTES
        + len(import_events)
        - 1
        + len(claim_ids)
        + 2 * SEED_INCIDENTS
        + locks
    )
    dispose_engines()

    check = subprocess.run(
        [str(ACCORD), "verify", "--json"], env=env, capture_output=True, text=True, timeout=60
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert json.loads(check.stdout)["ok"] is True
