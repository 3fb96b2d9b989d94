import datetime as dt
import hashlib
import itertools
import json
import os
import time
from pathlib import Path

from sqlalchemy import text, update
from sqlalchemy.orm import Session

from accord.audit import service as audit
from accord.audit.integrity import (
    SWEEP_GRACE_SECONDS,
    leftover_files,
    sweep_leftover_files,
    verify,
)
from accord.audit.models import AuditEvent
from accord.sources import service as sources
from accord.sources.blobs import TEMP_PREFIX, BlobStore


def _fill(session: Session, tmp_path: Path) -> BlobStore:
    blobs = BlobStore(tmp_path / "blobs")
    for i in range(3):
        p = tmp_path / f"n{i}.txt"
        p.write_text(f"Kyiv statement number {i}.")
        sources.ingest_path(session, p, by="t", blobs=blobs, max_bytes=10_000)
    return blobs


# The documented canonical form of an event (README, "Audit log"): the UTF-8 bytes of its fields
# as JSON with sorted keys, no spaces and non-ASCII characters kept; the hash is their SHA-256.
CANONICAL = (
    '{"action":"source.ingest","entity":"source","entity_id":"7",'
    '"occurred_at":"2026-01-02T03:04:05.000006+00:00",'
    '"payload_sha256":"abababababababababababababababababababababababababababababababab",'
    '"prev_hash":"0000000000000000000000000000000000000000000000000000000000000000",'
    '"user":"Олена"}'
)
CANONICAL_SHA256 = "55281bb5d7ef9ff8b2c7d4e919cc649e8c5a8ec2300297da2d4c9646d1b1b316"


def hand_hash(event: AuditEvent, **changed: str) -> str:
    """Hash an event (with some fields changed) by hand from the documented canonical form."""
    fields = {
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "occurred_at": event.occurred_at.isoformat(),
        "payload_sha256": event.payload_sha256,
        "prev_hash": event.prev_hash,
        "user": event.user,
    } | changed
    text_form = (
        "{"
        + ",".join(
            f"{json.dumps(k)}:{json.dumps(v, ensure_ascii=False)}" for k, v in fields.items()
        )
        + "}"
    )
    return hashlib.sha256(text_form.encode("utf-8")).hexdigest()


def test_event_hash_is_the_sha256_of_the_documented_canonical_form() -> None:
    event = AuditEvent(
        occurred_at=dt.datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=dt.UTC),
        user="Олена",
        action="source.ingest",
        entity="source",
        entity_id="7",
        payload_sha256="ab" * 32,
        prev_hash="0" * 64,
    )
    assert hashlib.sha256(CANONICAL.encode("utf-8")).hexdigest() == CANONICAL_SHA256
    assert hand_hash(event) == CANONICAL_SHA256
    assert audit.event_hash(event) == CANONICAL_SHA256


def test_payload_hash_is_the_sha256_of_the_canonical_payload(session: Session) -> None:
    event = audit.record(
        session,
        by="t",
        action="x.test",
        entity="x",
        entity_id=1,
        payload={"sha256": "ü", "filename": "n.txt"},
    )
    # '{"filename":"n.txt","sha256":"ü"}' in UTF-8
    assert (
        event.payload_sha256 == "3da1d65b5ba25883a33a3dd150a6e95954063bd814dec8a3a383bea874ccfd7c"
    )


def test_chain_links_each_event_to_the_previous(session: Session, tmp_path: Path) -> None:
    _fill(session, tmp_path)
    events = session.query(AuditEvent).order_by(AuditEvent.id).all()
    assert len(events) >= 3
    assert events[0].prev_hash == "0" * 64
    for prev, cur in itertools.pairwise(events):
        assert cur.prev_hash == prev.hash
    for event in events:
        assert event.hash == hand_hash(event)


def test_verify_ok(session: Session, tmp_path: Path) -> None:
    blobs = _fill(session, tmp_path)
    report = verify(session, blobs)
    assert report.ok and report.blobs == 3 and report.events >= 3


def test_verify_names_an_edited_audit_row(session: Session, tmp_path: Path) -> None:
    blobs = _fill(session, tmp_path)
    target = session.query(AuditEvent).order_by(AuditEvent.id).all()[1]
    session.execute(
        text("UPDATE audit_events SET payload = :p WHERE id = :id"),
        {"p": '{"sha256":"forged"}', "id": target.id},
    )
    session.expire_all()
    report = verify(session, blobs)
    assert not report.ok
    assert report.problem == f"audit event {target.id}: payload does not match its SHA-256"


def test_verify_names_a_row_whose_fields_were_edited(session: Session, tmp_path: Path) -> None:
    blobs = _fill(session, tmp_path)
    target = session.query(AuditEvent).order_by(AuditEvent.id).all()[2]
    session.execute(update(AuditEvent).where(AuditEvent.id == target.id).values(user="mallory"))
    session.expire_all()
    report = verify(session, blobs)
    assert report.problem == f"audit event {target.id}: event hash does not match its fields"


def test_verify_names_a_middle_row_relinked_to_another_chain(
    session: Session, tmp_path: Path
) -> None:
    """A forger rewrites a middle row's previous hash and recomputes its own hash to match.

    Every row then hashes correctly on its own; only the link to the row before gives it away.
    """
    blobs = _fill(session, tmp_path)
    events = session.query(AuditEvent).order_by(AuditEvent.id).all()
    assert len(events) >= 3
    target = events[len(events) // 2]
    forged = hand_hash(target, prev_hash="f" * 64)
    session.execute(
        update(AuditEvent).where(AuditEvent.id == target.id).values(prev_hash="f" * 64, hash=forged)
    )
    session.expire_all()
    report = verify(session, blobs)
    assert not report.ok
    assert report.problem == f"audit event {target.id}: previous-hash link is broken"


def test_verify_names_the_row_after_a_deleted_middle_row(session: Session, tmp_path: Path) -> None:
    blobs = _fill(session, tmp_path)
    events = session.query(AuditEvent).order_by(AuditEvent.id).all()
    assert len(events) >= 3
    gone, after = events[1], events[2]
    session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": gone.id})
    session.expire_all()
    report = verify(session, blobs)
    assert report.problem == f"audit event {after.id}: previous-hash link is broken"


def test_verify_names_a_tampered_blob(session: Session, tmp_path: Path) -> None:
    blobs = _fill(session, tmp_path)
    source = sources.list_sources(session)[0][0]
    blobs.path_for(source.sha256).write_bytes(b"tampered")
    report = verify(session, blobs)
    assert report.problem is not None
    assert report.problem.startswith(f"source {source.id}: blob {source.sha256} does not match")


def test_verify_names_a_missing_blob(session: Session, tmp_path: Path) -> None:
    blobs = _fill(session, tmp_path)
    source = sources.list_sources(session)[0][0]
    blobs.path_for(source.sha256).unlink()
    assert "is missing" in (verify(session, blobs).problem or "")


def test_leftover_temp_files_are_counted_and_only_old_ones_swept(
    session: Session, tmp_path: Path
) -> None:
    """Half-written files a killed write left are found; a sweep spares fresh ones and blobs."""
    blobs = _fill(session, tmp_path)
    folder = next(blobs.root.glob("??/??"))
    old = folder / f"{TEMP_PREFIX}abandoned"
    old.write_bytes(b"half")
    fresh = folder / f"{TEMP_PREFIX}being-written"
    fresh.write_bytes(b"in progress")
    unreferenced = blobs.path_for(blobs.put(b"a blob another database of this home may use"))
    found = leftover_files(blobs)
    assert sorted(found.paths) == sorted([old, fresh]) and found.bytes == 4 + 11
    hour_ago = time.time() - SWEEP_GRACE_SECONDS - 60
    os.utime(old, (hour_ago, hour_ago))
    os.utime(unreferenced, (hour_ago, hour_ago))
    swept = sweep_leftover_files(blobs)
    assert swept.removed == 1 and not old.exists() and fresh.exists() and unreferenced.exists()
    assert verify(session, blobs).ok  # the three sources' blobs are untouched
