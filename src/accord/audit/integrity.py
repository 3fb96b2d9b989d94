"""``accord verify``: recompute the audit hash chain and every stored blob's hash.

The report gives the chain's length and newest hash, which an operator can compare with an
earlier note; with an anchor (``accord audit anchor``) the comparison is made here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from accord.audit.anchor import Anchor, anchor_problem
from accord.audit.service import GENESIS_HASH, walk_chain
from accord.reports import store as reports
from accord.sources import service as sources
from accord.sources.blobs import BlobStore


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of a verification: counts, and the first problem found (None when OK)."""

    events: int
    blobs: int
    problem: str | None
    head_hash: str = GENESIS_HASH

    @property
    def ok(self) -> bool:
        """Tell whether everything checked out."""
        return self.problem is None


def verify(session: Session, blobs: BlobStore, anchor: Anchor | None = None) -> VerifyReport:
    """Check the audit chain (against the anchor, if given), then each blob; stop at a problem."""
    state = walk_chain(session, at=anchor.events if anchor is not None else None)
    events, head = state.events, state.head_hash
    if state.problem is not None:
        problem = f"audit event {state.problem.event_id}: {state.problem.reason}"
        return VerifyReport(events, 0, problem, head)
    if anchor is not None:
        mismatch = anchor_problem(state, anchor)
        if mismatch is not None:
            return VerifyReport(events, 0, mismatch, head)
    checked = 0
    for source_id, sha256 in sources.iter_blob_hashes(session):
        checked += 1
        reason = blobs.check(sha256)
        if reason is not None:
            return VerifyReport(events, checked, f"source {source_id}: {reason}", head)
    for artifact_id, sha256 in reports.iter_artifact_hashes(session):
        checked += 1
        reason = blobs.check(sha256)
        if reason is not None:
            return VerifyReport(events, checked, f"report {artifact_id}: {reason}", head)
    return VerifyReport(events, checked, None, head)


# A blob write in progress touches its temporary file continually; one this old was abandoned.
SWEEP_GRACE_SECONDS = 3600


@dataclass
class LeftoverFiles:
    """Temporary files in the blob store left by writes that never finished."""

    paths: list[Path] = field(default_factory=list)
    bytes: int = 0
    removed: int = 0


def leftover_files(blobs: BlobStore) -> LeftoverFiles:
    """Find the temporary files a killed blob write left behind.

    Complete blobs that this database does not refer to are not counted: the store is shared by
    the databases of one home (the demo's among them), so only those files are certain garbage.
    """
    found = LeftoverFiles()
    for sha256, path in blobs.iter_files():
        if sha256 is None:
            found.paths.append(path)
            found.bytes += path.stat().st_size
    return found


def sweep_leftover_files(
    blobs: BlobStore, grace_seconds: float = SWEEP_GRACE_SECONDS
) -> LeftoverFiles:
    """Delete leftover temporary files last written more than ``grace_seconds`` ago."""
    found = leftover_files(blobs)
    cutoff = time.time() - grace_seconds
    for path in found.paths:
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                found.removed += 1
        except FileNotFoundError:
            continue  # removed meanwhile
    return found
