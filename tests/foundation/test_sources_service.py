from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.audit.models import AuditEvent
from accord.errors import InvalidInput
from accord.sources import service
from accord.sources.blobs import BlobStore
from accord.sources.models import Source


def test_ingest_stores_blob_text_and_audit(session: Session, tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path / "blobs")
    path = tmp_path / "a.txt"
    path.write_text("Title: Alpha\nDate: 2025-12-01\n\nKyiv and Washington met.", encoding="utf-8")
    source, added, _n = service.ingest_path(session, path, by="t", blobs=blobs, max_bytes=1000)
    assert added
    assert source.title == "Alpha" and source.text == "Kyiv and Washington met."
    assert blobs.get(source.sha256) == path.read_bytes()
    assert blobs.path_for(source.sha256).parent.name == source.sha256[2:4]
    event = session.scalar(select(AuditEvent).where(AuditEvent.entity_id == str(source.id)))
    assert event is not None and event.action == "source.ingest"


def test_same_bytes_twice_is_a_no_op(session: Session, tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path / "blobs")
    path = tmp_path / "a.txt"
    path.write_text("Moscow rejected the plan.", encoding="utf-8")
    first, added1, _ = service.ingest_path(session, path, by="t", blobs=blobs, max_bytes=1000)
    events = session.scalar(select(func.count()).select_from(AuditEvent))
    second, added2, _ = service.ingest_path(session, path, by="t", blobs=blobs, max_bytes=1000)
    assert added1 and not added2 and first.id == second.id
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_size_limit(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2000)
    with pytest.raises(
        InvalidInput, match=r"big\.txt: file is 2,000 bytes, over the limit of 1,000"
    ):
        service.ingest_path(session, path, by="t", blobs=BlobStore(tmp_path), max_bytes=1000)
    assert session.scalar(select(func.count()).select_from(Source)) == 0


def test_failed_file_writes_nothing(session: Session, tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path / "blobs")
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(InvalidInput):
        service.ingest_path(session, path, by="t", blobs=blobs, max_bytes=1000)
    assert session.scalar(select(func.count()).select_from(Source)) == 0
    assert not (tmp_path / "blobs").exists()


def test_iter_input_files_recurses_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "sub" / ".hidden").mkdir(parents=True)
    (tmp_path / "sub" / "b.md").write_text("b")
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "sub" / ".hidden" / "c.txt").write_text("c")
    (tmp_path / "sub" / "image.png").write_bytes(b"x")
    names = [p.name for p in service.iter_input_files([tmp_path])]
    assert names == ["a.txt", "b.md"]


def test_list_and_get(session: Session, tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path / "blobs")
    for i, day in enumerate(["2025-11-20", "2025-12-28"]):
        p = tmp_path / f"{day}-n{i}.txt"
        p.write_text(f"note {i}")
        service.ingest_path(session, p, by="t", blobs=blobs, max_bytes=1000)
    rows, total = service.list_sources(session)
    assert total == 2
    assert [r.published_at.isoformat() for r in rows if r.published_at] == [
        "2025-12-28",
        "2025-11-20",
    ]
