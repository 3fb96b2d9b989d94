"""``accord verify``: recompute the audit hash chain and every stored blob's hash."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from accord.audit.service import verify_chain
from accord.reports import store as reports
from accord.sources import service as sources
from accord.sources.blobs import BlobStore


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of a verification: counts, and the first problem found (None when OK)."""

    events: int
    blobs: int
    problem: str | None

    @property
    def ok(self) -> bool:
        """Tell whether everything checked out."""
        return self.problem is None


def verify(session: Session, blobs: BlobStore) -> VerifyReport:
    """Check the audit chain, then each source's blob; stop at the first problem."""
    events, chain_problem = verify_chain(session)
    if chain_problem is not None:
        return VerifyReport(
            events, 0, f"audit event {chain_problem.event_id}: {chain_problem.reason}"
        )
    checked = 0
    for source_id, sha256 in sources.iter_blob_hashes(session):
        checked += 1
        reason = blobs.check(sha256)
        if reason is not None:
            return VerifyReport(events, checked, f"source {source_id}: {reason}")
    for artifact_id, sha256 in reports.iter_artifact_hashes(session):
        checked += 1
        reason = blobs.check(sha256)
        if reason is not None:
            return VerifyReport(events, checked, f"report {artifact_id}: {reason}")
    return VerifyReport(events, checked, None)


# An ingest writes its blob before its transaction commits: only older strays are swept.
SWEEP_GRACE_SECONDS = 3600


@dataclass
class StrayFiles:
    """Files in the blob store that nothing stored refers to."""

    paths: list[Path] = field(default_factory=list)
    bytes: int = 0
    removed: int = 0


def stray_blobs(session: Session, blobs: BlobStore) -> StrayFiles:
    """Find blob files no source or report refers to, and temp files a killed write left."""
    referenced = {sha for _id, sha in sources.iter_blob_hashes(session)}
    referenced |= {sha for _id, sha in reports.iter_artifact_hashes(session)}
    strays = StrayFiles()
    for sha256, path in blobs.iter_files():
        if sha256 is None or sha256 not in referenced:
            strays.paths.append(path)
            strays.bytes += path.stat().st_size
    return strays


def sweep_stray_blobs(
    session: Session, blobs: BlobStore, grace_seconds: float = SWEEP_GRACE_SECONDS
) -> StrayFiles:
    """Delete stray files last written more than ``grace_seconds`` ago; return what was found.

    A write in progress has a fresh file (``BlobStore.put`` touches a blob it reuses), so the
    grace period keeps a sweep from taking a blob that a running ingest is about to commit.
    """
    strays = stray_blobs(session, blobs)
    cutoff = time.time() - grace_seconds
    for path in strays.paths:
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                strays.removed += 1
        except FileNotFoundError:
            continue  # removed meanwhile
    return strays
