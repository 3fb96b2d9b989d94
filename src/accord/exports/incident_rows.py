"""Incidents as export rows, read in id-ordered batches with what the council made of them.

Each batch is one Core query (no ORM objects) plus four range queries on the batch's ids for
zone hits, violation candidates, duplicate clusters and rulings, so memory stays bounded by the
batch size however many incidents there are.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import String, Text, func, select, type_coerce
from sqlalchemy.orm import Session

from accord.council.models import Ruling
from accord.exports.fields import INCIDENTS
from accord.exports.query import Batch, ExportQuery, coarsen
from accord.incidents import service as incidents
from accord.incidents.models import (
    Cluster,
    ClusterMember,
    Incident,
    ViolationCandidate,
    ZoneHit,
)

BATCH_ROWS = 20_000
NAMES = [f.name for f in INCIDENTS]
# stored columns read as they are; the JSON ones as their stored text
PLAIN = (
    "id external_id source_format occurred_at occurred_on time_precision time_precision_code "
    "latitude longitude location_precision location_precision_code location_name admin1 "
    "admin2 type sub_type alleged_perpetrator attributed_to attribution_confidence target_type "
    "reporter notes status created_at updated_at"
).split()


def count(session: Session, query: ExportQuery) -> int:
    """Return how many incidents the export will hold."""
    return incidents.count_incidents(session, query.incident_filter())


# dates and times read as stored (SQLite: text) and converted once per distinct value
TIMES = ("occurred_at", "created_at", "updated_at")
DAYS = ("occurred_on", "ruling_published_on")


@functools.lru_cache(maxsize=65536)
def _utc(value: Any) -> dt.datetime | None:
    """Return a stored date-time as an aware UTC datetime (SQLite keeps naive UTC text)."""
    if value is None:
        return None
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


@functools.lru_cache(maxsize=65536)
def _day(value: Any) -> dt.date | None:
    """Return a stored date as a date (SQLite keeps ISO text)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value[:10])


def _select(query: ExportQuery) -> Any:
    table = Incident.__table__
    columns = [
        type_coerce(table.c[name], String).label(name) if name in TIMES + DAYS else table.c[name]
        for name in PLAIN
    ]
    columns += [
        type_coerce(table.c.casualties, Text).label("casualties"),
        type_coerce(table.c.sources, Text).label("sources"),
        type_coerce(table.c.extra, Text).label("extra"),
    ]
    return incidents.filtered(select(*columns), query.incident_filter())


def _by_incident(session: Session, statement: Any) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = {}
    for incident_id, *rest in session.execute(statement):
        found.setdefault(incident_id, []).append(rest[0] if len(rest) == 1 else rest)
    return found


def _extras(session: Session, lo: int, hi: int) -> tuple[dict[int, list[Any]], ...]:
    """Return zone hits, violation rules, cluster and latest ruling of incidents lo..hi."""
    hits = _by_incident(
        session,
        select(ZoneHit.incident_id, ZoneHit.zone_id)
        .where(ZoneHit.incident_id.between(lo, hi))
        .order_by(ZoneHit.incident_id, ZoneHit.zone_id),
    )
    rules = _by_incident(
        session,
        select(
            ViolationCandidate.incident_id,
            ViolationCandidate.ceasefire_id + "/" + ViolationCandidate.rule_id,
        )
        .where(ViolationCandidate.incident_id.between(lo, hi))
        .order_by(ViolationCandidate.incident_id, ViolationCandidate.id),
    )
    clusters = _by_incident(
        session,
        select(ClusterMember.incident_id, ClusterMember.cluster_id, Cluster.representative_id)
        .join(Cluster, Cluster.id == ClusterMember.cluster_id)
        .where(ClusterMember.incident_id.between(lo, hi)),
    )
    latest = (
        select(func.max(Ruling.id))
        .where(Ruling.incident_id.between(lo, hi))
        .group_by(Ruling.incident_id)
    )
    rulings = _by_incident(
        session,
        select(
            Ruling.incident_id,
            Ruling.id,
            Ruling.outcome,
            Ruling.attributed_party,
            Ruling.published_on,
        ).where(Ruling.id.in_(latest)),
    )
    return hits, rules, clusters, rulings


@functools.lru_cache(maxsize=65536)
def _casualties(text: str | None) -> tuple[Any, Any, Any, Any]:
    if text is None:
        return None, None, None, None
    data = json.loads(text)
    civilian = data.get("civilian") or {}
    return data.get("low"), data.get("best"), data.get("high"), civilian.get("best")


def batches(session: Session, query: ExportQuery, size: int = BATCH_ROWS) -> Iterator[Batch]:
    """Yield the matching incidents, oldest id first, as column batches of export rows."""
    statement = _select(query).order_by(Incident.id)
    last = 0
    while True:
        result = session.connection().execute(statement.where(Incident.id > last).limit(size))
        rows = result.fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield _batch(session, query, rows)
        if len(rows) < size:
            return


def _batch(session: Session, query: ExportQuery, rows: Sequence[Any]) -> Batch:
    hits, rules, clusters, rulings = _extras(session, rows[0][0], rows[-1][0])
    out: Batch = {name: [] for name in NAMES}
    stored = dict(
        zip([*PLAIN, "casualties", "sources", "extra"], zip(*rows, strict=True), strict=True)
    )
    for name in PLAIN:
        out[name] = list(stored[name])
    for name in TIMES:
        out[name] = [_utc(v) for v in out[name]]
    out["occurred_on"] = [_day(v) for v in out["occurred_on"]]
    if not query.exact:
        out["latitude"] = [coarsen(v, query.step) for v in out["latitude"]]
        out["longitude"] = [coarsen(v, query.step) for v in out["longitude"]]
        out["reporter"] = [None] * len(rows)
    tolls = [_casualties(text) for text in stored["casualties"]]
    for i, name in enumerate(
        ("fatalities_low", "fatalities_best", "fatalities_high", "civilian_fatalities_best")
    ):
        out[name] = [toll[i] for toll in tolls]
    out["sources"] = [None if text in (None, "[]") else text for text in stored["sources"]]
    out["_extra"] = list(stored["extra"])  # for the ACLED columns kept there
    ids = out["id"]
    out["zones"] = [_joined(hits.get(i)) for i in ids]
    out["violation_candidates"] = [_joined(rules.get(i)) for i in ids]
    cluster = [clusters.get(i, [(None, None)])[0] for i in ids]
    out["cluster_id"] = [c[0] for c in cluster]
    out["cluster_representative"] = [c[1] for c in cluster]
    ruling = [rulings.get(i, [(None, None, None, None)])[0] for i in ids]
    for k, name in enumerate(
        ("ruling_id", "ruling_outcome", "ruling_party", "ruling_published_on")
    ):
        out[name] = [r[k] for r in ruling]
    return out


def _joined(values: list[Any] | None) -> str | None:
    return "; ".join(values) if values else None
