"""Read access to stored report artifacts (for ``accord verify``)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.reports.models import ReportArtifact


def iter_artifact_hashes(session: Session) -> Iterator[tuple[int, str]]:
    """Yield (artifact id, sha256) for every stored report file, in id order."""
    for row in session.execute(
        select(ReportArtifact.id, ReportArtifact.sha256).order_by(ReportArtifact.id)
    ):
        yield row[0], row[1]
