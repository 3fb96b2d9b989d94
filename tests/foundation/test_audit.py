import itertools
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


def test_chain_links_each_event_to_the_previous(session: Session, tmp_path: Path) -> None:
    _fill(session, tmp_path)
    events = session.query(AuditEvent).order_by(AuditEvent.id).all()
    assert len(events) >= 3
    for prev, cur in itertools.pairwise(events):
        assert cur.prev_hash == prev.hash
        assert audit.event_hash(cur) == cur.hash


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


def test_verify_names_a_broken_link(session: Session, tmp_path: Path) -> None:
    blobs = _fill(session, tmp_path)
    target = session.query(AuditEvent).order_by(AuditEvent.id).all()[2]
    session.execute(update(AuditEvent).where(AuditEvent.id == target.id).values(user="mallory"))
    session.expire_all()
    report = verify(session, blobs)
    assert report.problem == f"audit event {target.id}: event hash does not match its fields"


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
