"""Store duplicate clusters and the analysts' split/join decisions (audited, rows never merged)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from accord.audit import service as audit
from accord.errors import InvalidInput, NotFound
from accord.incidents import dedup
from accord.incidents.models import Cluster, ClusterMember, DedupDecision, Incident
from accord.incidents.service import get

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _toll(casualties: dict[str, Any] | None) -> int | None:
    """Return the best death toll a report gives, if it gives one."""
    best = (casualties or {}).get("best")
    return int(best) if isinstance(best, int | float) else None


def _reports(session: Session) -> list[dedup.Report]:
    rows = session.execute(
        select(
            Incident.id,
            Incident.type,
            Incident.latitude,
            Incident.longitude,
            Incident.occurred_at,
            Incident.location_precision,
            Incident.time_precision,
            Incident.notes,
            Incident.sources,
            Incident.alleged_perpetrator,
            Incident.casualties,
        ).where(Incident.status != "dismissed")
    )
    return [
        dedup.Report(
            id=r[0],
            type=r[1],
            lat=r[2],
            lon=r[3],
            time=(r[4] - EPOCH).total_seconds() / 86400.0,
            location_precision=r[5],
            time_precision=r[6],
            notes=r[7],
            sources=len(r[8] or []),
            perpetrator=(r[9] or "").strip().lower() or None,
            casualties=_toll(r[10]),
        )
        for r in rows
    ]


def _decisions(session: Session) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    same: list[tuple[int, int]] = []
    different: list[tuple[int, int]] = []
    for d in session.scalars(select(DedupDecision)):
        (same if d.same else different).append((d.incident_a, d.incident_b))
    return same, different


def run_dedup(session: Session, *, by: str) -> dict[str, int]:
    """Recompute the duplicate clusters of all reports that are not dismissed."""
    reports = _reports(session)
    same, different = _decisions(session)
    groups = dedup.clusters(reports, same, different)
    by_id = {r.id: r for r in reports}
    session.execute(delete(ClusterMember))
    session.execute(delete(Cluster))
    members: list[dict[str, int]] = []
    for ids in groups:
        rep = dedup.representative([by_id[i] for i in ids])
        cluster = Cluster(representative_id=rep.id, size=len(ids))
        session.add(cluster)
        session.flush()
        members.extend({"cluster_id": cluster.id, "incident_id": i} for i in ids)
    if members:
        session.execute(insert(ClusterMember), members)
    session.flush()
    result = {
        "reports": len(reports),
        "clusters": len(groups),
        "duplicates": sum(len(g) - 1 for g in groups),
    }
    audit.record(
        session, by=by, action="incidents.dedup", entity="dedup", entity_id="all", payload=result
    )
    return result


def list_clusters(session: Session) -> list[dict[str, Any]]:
    """Return clusters with their representative and members."""
    out = []
    for cluster in session.scalars(select(Cluster).order_by(Cluster.id)):
        ids = list(
            session.scalars(
                select(ClusterMember.incident_id)
                .where(ClusterMember.cluster_id == cluster.id)
                .order_by(ClusterMember.incident_id)
            )
        )
        out.append(
            {
                "id": cluster.id,
                "representative": cluster.representative_id,
                "size": cluster.size,
                "members": ids,
            }
        )
    return out


def cluster_of(session: Session, incident_id: int) -> list[int]:
    """Return the members of the incident's cluster (just itself when it has none)."""
    cluster_id = session.scalar(
        select(ClusterMember.cluster_id).where(ClusterMember.incident_id == incident_id)
    )
    if cluster_id is None:
        return [incident_id]
    return list(
        session.scalars(
            select(ClusterMember.incident_id).where(ClusterMember.cluster_id == cluster_id)
        )
    )


def _decide(session: Session, a: int, b: int, same: bool, by: str) -> None:
    low, high = sorted((a, b))
    row = session.get(DedupDecision, (low, high)) or DedupDecision(incident_a=low, incident_b=high)
    row.same, row.decided_by = same, by
    session.add(row)


def split(session: Session, incident_id: int, *, by: str) -> dict[str, int]:
    """Take an incident out of its cluster: it is a different event from the other members."""
    get(session, incident_id)
    others = [i for i in cluster_of(session, incident_id) if i != incident_id]
    if not others:
        raise NotFound(f"incident {incident_id} is not in a cluster")
    for other in others:
        _decide(session, incident_id, other, False, by)
    session.flush()
    audit.record(
        session,
        by=by,
        action="incidents.split",
        entity="incident",
        entity_id=incident_id,
        payload={"from": others},
    )
    return run_dedup(session, by=by)


def join(session: Session, first: int, second: int, *, by: str) -> dict[str, int]:
    """Mark two incidents as reports of the same event and recluster."""
    if first == second:
        raise InvalidInput("join needs two different incidents")
    get(session, first)
    get(session, second)
    _decide(session, first, second, True, by)
    session.flush()
    audit.record(
        session,
        by=by,
        action="incidents.join",
        entity="incident",
        entity_id=first,
        payload={"with": second},
    )
    return run_dedup(session, by=by)
