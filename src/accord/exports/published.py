"""What the council has published: for the public, read-only view.

That is: the daily reports it has written (stored report artifacts), the rulings whose
publication date has come, and, once ``accord release`` has run, the last release's files and
the board as of that release. Nothing else: no incident list, no claims, no sources.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.audit.models import AuditEvent
from accord.council.models import Ruling
from accord.errors import NotFound
from accord.exports.release import sha256_of
from accord.negotiation import service as negotiation
from accord.reports.models import ReportArtifact


def last_release(session: Session) -> AuditEvent | None:
    """Return the audit event of the latest release, if any."""
    return session.scalar(
        select(AuditEvent)
        .where(AuditEvent.action == "release.write")
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )


def overview(session: Session, today: dt.date | None = None) -> dict[str, Any]:
    """Return the published material: the last release, the board as of it, rulings, reports."""
    event = last_release(session)
    day = today or dt.date.today()
    rulings = session.scalars(
        select(Ruling).where(Ruling.published_on <= day).order_by(Ruling.published_on, Ruling.id)
    )
    out: dict[str, Any] = {
        "release": None,
        "board": None,
        "rulings": [
            {
                "id": r.id,
                "incident": r.incident_id,
                "outcome": r.outcome,
                "party": r.attributed_party,
                "published_on": r.published_on,
                "votes": r.votes,
                "reasoning": r.reasoning,
            }
            for r in rulings
        ],
        "reports": _reports(session),
    }
    if event is None:
        return out
    files = [
        {"name": Path(path).name, "sha256": digest, "rows": event.payload["rows"].get(path)}
        for path, digest in event.payload["files"].items()
    ]
    files += [
        {"name": "datapackage.json", "sha256": event.payload["datapackage_sha256"], "rows": None},
        {"name": "README.md", "sha256": event.payload["readme_sha256"], "rows": None},
    ]
    out["release"] = {
        "id": event.entity_id,
        "created": event.payload["created"],
        "accord_version": event.payload["accord_version"],
        "licence": event.payload["licence"],
        "files": files,
    }
    released_on = dt.datetime.fromisoformat(event.payload["created"]).date()
    out["board"] = negotiation.board(session, as_of=released_on)
    return out


def _reports(session: Session) -> list[dt.date]:
    """Return the dates of the daily reports the council has written (published)."""
    return list(
        session.scalars(
            select(ReportArtifact.report_date)
            .where(ReportArtifact.kind == "daily")
            .distinct()
            .order_by(ReportArtifact.report_date)
        )
    )


def report_day(session: Session, day: dt.date) -> dt.date:
    """Return a daily report's date if the council has published it, else raise NotFound."""
    if day not in _reports(session):
        raise NotFound(f"no daily report for {day} has been published")
    return day


def release_file(session: Session, name: str) -> Path:
    """Return a file of the last release, checked against the hash recorded when it was written."""
    event = last_release(session)
    if event is None:
        raise NotFound("nothing has been released yet")
    payload = event.payload
    digests = {Path(p).name: (p, d) for p, d in payload["files"].items()}
    digests["datapackage.json"] = ("datapackage.json", payload["datapackage_sha256"])
    digests["README.md"] = ("README.md", payload["readme_sha256"])
    if name not in digests:
        raise NotFound(f"the release has no file {name!r}")
    relative, digest = digests[name]
    path = Path(str(payload["folder"])) / str(relative)
    if not path.is_file() or sha256_of(path) != digest:
        raise NotFound(f"{name} is no longer as released (moved or changed)")
    return path
