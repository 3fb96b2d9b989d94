"""Incident tables: reports, their zone hits and violation candidates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    and_,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from accord.db.base import Base, CanonicalJSON, UTCDateTime, utcnow

INCIDENT_STATUSES = ("reported", "under_review", "verified", "unverified", "dismissed")


class Incident(Base):
    """One geolocated incident report."""

    __tablename__ = "incidents"
    # Newest-first pages and counts, with date, type or status filters, are read from these
    # indexes alone, already in page order (migration 0014).
    __table_args__ = (
        Index("ix_incidents_when", "occurred_at", "id", "occurred_on", "type", "status"),
        Index("ix_incidents_status_when", "status", "occurred_at", "id", "type", "occurred_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    external_id: Mapped[str | None] = mapped_column(String(120), unique=True)
    source_format: Mapped[str] = mapped_column(String(20), default="manual")
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # the reported local date of occurred_at; filter with ``occurred_between`` (it narrows by occurred_at)
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    time_precision: Mapped[str] = mapped_column(String(10))
    time_precision_code: Mapped[str | None] = mapped_column(String(10))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    location_precision: Mapped[str] = mapped_column(String(12))
    location_precision_code: Mapped[str | None] = mapped_column(String(10))
    location_name: Mapped[str | None] = mapped_column(String(300))
    admin1: Mapped[str | None] = mapped_column(String(200))
    admin2: Mapped[str | None] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(60))
    sub_type: Mapped[str | None] = mapped_column(String(80))
    alleged_perpetrator: Mapped[str | None] = mapped_column(String(200))
    attributed_to: Mapped[str | None] = mapped_column(String(200))
    attribution_confidence: Mapped[float | None] = mapped_column(Float)
    target_type: Mapped[str | None] = mapped_column(String(60))
    casualties: Mapped[dict[str, Any] | None] = mapped_column(CanonicalJSON())
    sources: Mapped[list[dict[str, Any]]] = mapped_column(CanonicalJSON(), default=list)
    reporter: Mapped[str | None] = mapped_column(String(200))
    observer: Mapped[dict[str, Any] | None] = mapped_column(CanonicalJSON())
    notes: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict[str, Any] | None] = mapped_column(CanonicalJSON())
    status: Mapped[str] = mapped_column(String(20), default="reported")
    pack_id: Mapped[str | None] = mapped_column(String(80), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


def occurred_between(start: dt.date | None, end: dt.date | None) -> ColumnElement[bool]:
    """Incidents whose ``occurred_on`` lies in [start, end] (either open), using occurred_at's index.

    ``occurred_on`` is the date where the incident happened (the date of occurred_at at its own
    UTC offset), so it can differ from the UTC date; an offset is under a day, so occurred_at lies
    within a day of it. The occurred_at range narrows the rows through its index, the occurred_on
    test keeps exactly the same rows as before.
    """
    conditions: list[ColumnElement[bool]] = []
    day = dt.timedelta(days=1)
    if start is not None:
        since = dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC) - day
        conditions += [Incident.occurred_at >= since, Incident.occurred_on >= start]
    if end is not None:
        until = dt.datetime.combine(end, dt.time(), tzinfo=dt.UTC) + 2 * day
        conditions += [Incident.occurred_at < until, Incident.occurred_on <= end]
    return and_(true(), *conditions)


class ZoneHit(Base):
    """An incident lies in a zone that was in force on its date."""

    __tablename__ = "incident_zone_hits"

    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True
    )
    zone_id: Mapped[str] = mapped_column(
        ForeignKey("zones.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ViolationCandidate(Base):
    """An incident that may break a ceasefire rule, pending verification."""

    __tablename__ = "violation_candidates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), index=True
    )
    ceasefire_id: Mapped[str] = mapped_column(String(80))
    rule_id: Mapped[str] = mapped_column(String(80))
    zone_id: Mapped[str | None] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class IncidentLock(Base):
    """A reviewer's lock on an incident under review; it lapses at ``expires_at``."""

    __tablename__ = "incident_locks"

    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True
    )
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Cluster(Base):
    """Reports that describe one event; members keep their own rows."""

    __tablename__ = "incident_clusters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    representative_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ClusterMember(Base):
    """An incident's membership of a duplicate cluster."""

    __tablename__ = "incident_cluster_members"

    cluster_id: Mapped[int] = mapped_column(
        ForeignKey("incident_clusters.id", ondelete="CASCADE"), primary_key=True
    )
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True, unique=True
    )


class DedupDecision(Base):
    """An analyst's ruling that two reports are (or are not) the same event; dedup obeys it."""

    __tablename__ = "dedup_decisions"

    incident_a: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True
    )
    incident_b: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True
    )
    same: Mapped[bool] = mapped_column()
    decided_by: Mapped[str] = mapped_column(String(120))
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
