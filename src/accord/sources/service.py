"""Ingest documents into the content-addressed source store; list and show sources."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.audit import service as audit
from accord.claims import service as claims
from accord.errors import InvalidInput, NotFound
from accord.sources.blobs import BlobStore
from accord.sources.models import Source
from accord.sources.readers import SUPPORTED_SUFFIXES, Metadata, read_document


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Yield the files named, and the supported files under folders named, in sorted order."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES and not hidden:
                    yield child
        elif path.exists():
            yield path
        else:
            raise InvalidInput(f"{path}: no such file or folder")


def find_by_sha256(session: Session, sha256: str) -> Source | None:
    """Return the source with this content hash, if stored."""
    return session.scalar(select(Source).where(Source.sha256 == sha256))


def read_limited(path: Path, max_bytes: int) -> bytes:
    """Read a file's bytes, refusing files over the size limit."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read file: {exc.strerror}") from exc
    if size > max_bytes:
        raise InvalidInput(f"{path}: file is {size:,} bytes, over the limit of {max_bytes:,} bytes")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read file: {exc.strerror}") from exc


def ingest_bytes(
    session: Session,
    raw: bytes,
    path: Path,
    *,
    by: str,
    blobs: BlobStore,
    metadata: Metadata | None = None,
) -> tuple[Source, bool]:
    """Store one document unless its bytes are known; return the source and whether it is new."""
    sha256 = hashlib.sha256(raw).hexdigest()
    known = find_by_sha256(session, sha256)
    if known is not None:
        return known, False
    document = read_document(raw, path)
    meta = (metadata or Metadata()).merged_over(document.metadata)
    blobs.put(raw, sha256)
    source = Source(
        sha256=sha256,
        media_type=document.media_type,
        filename=path.name,
        size_bytes=len(raw),
        encoding=document.encoding,
        title=meta.title or _first_line(document.text),
        publisher=meta.publisher,
        url=meta.url,
        published_at=meta.published_at,
        language=meta.language,
        text=document.text,
        ingested_by=by,
    )
    session.add(source)
    session.flush()
    audit.record(
        session,
        by=by,
        action="source.ingest",
        entity="source",
        entity_id=source.id,
        payload={
            "sha256": sha256,
            "filename": path.name,
            "media_type": document.media_type,
            "text_sha256": hashlib.sha256(document.text.encode("utf-8")).hexdigest(),
        },
    )
    return source, True


def _first_line(text: str) -> str | None:
    for line in text.split("\n"):
        if line.strip():
            return line.strip()[:200]
    return None


def list_sources(
    session: Session, *, limit: int = 100, offset: int = 0, undated: bool = False
) -> tuple[list[Source], int]:
    """Return a page of sources, newest publication first, and the total count.

    With ``undated`` only the sources without a publication date.
    """
    query = select(Source)
    if undated:
        query = query.where(Source.published_at.is_(None))
    total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    rows = session.scalars(
        query.order_by(Source.published_at.desc().nulls_last(), Source.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), total


def get(session: Session, source_id: int) -> Source:
    """Return one source or raise NotFound."""
    source = session.get(Source, source_id)
    if source is None:
        raise NotFound(f"source {source_id} does not exist")
    return source


def count(session: Session) -> int:
    """Return the number of sources."""
    return int(session.scalar(select(func.count()).select_from(Source)) or 0)


def iter_blob_hashes(session: Session) -> Iterator[tuple[int, str]]:
    """Yield (source id, sha256) for every stored source, in id order."""
    for row in session.execute(select(Source.id, Source.sha256).order_by(Source.id)):
        yield row[0], row[1]


def ingest_path(
    session: Session,
    path: Path,
    *,
    by: str,
    blobs: BlobStore,
    max_bytes: int,
    metadata: Metadata | None = None,
    extract: bool = True,
    packs: Sequence[str] | None = None,
) -> tuple[Source, bool, int]:
    """Ingest a file within the size limit, extracting its claims when new.

    With ``packs`` named, claims are extracted for each of them that has none on the source yet,
    even when the source is already stored. Returns the source, whether it is new, and the
    number of claims stored.
    """
    raw = read_limited(path, max_bytes)
    source, added = ingest_bytes(session, raw, path, by=by, blobs=blobs, metadata=metadata)
    wanted = extract and (added or bool(packs))
    stored = claims.extract_for_source(session, source, by=by, pack_ids=packs) if wanted else []
    return source, added, len(stored)
