"""``accord verify``: recompute the audit hash chain and every stored blob's hash."""

from __future__ import annotations

from dataclasses import dataclass

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
