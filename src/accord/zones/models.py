"""The zones table: versioned geometries with a kind and rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, Float, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from accord.db.base import Base, CanonicalJSON, UTCDateTime, utcnow

ZONE_KINDS = (
    "line_of_contact",
    "occupied_area",
    "dmz",
    "exclusion_zone",
    "free_economic_zone",
    "admin_area",
    "security_zone",
)


class Zone(Base):
    """A geofence or line, in force between two dates (open ends allowed)."""

    __tablename__ = "zones"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    pack_id: Mapped[str | None] = mapped_column(String(80), index=True)
    name: Mapped[str] = mapped_column(String(300))
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    rules: Mapped[list[Any] | None] = mapped_column(CanonicalJSON())
    geometry_wkb: Mapped[bytes] = mapped_column(LargeBinary)
    geometry_type: Mapped[str] = mapped_column(String(30))
    area_km2: Mapped[float | None] = mapped_column(Float)
    length_km: Mapped[float | None] = mapped_column(Float)
    min_lon: Mapped[float] = mapped_column(Float)
    min_lat: Mapped[float] = mapped_column(Float)
    max_lon: Mapped[float] = mapped_column(Float)
    max_lat: Mapped[float] = mapped_column(Float)
    derived_from: Mapped[dict[str, Any] | None] = mapped_column(CanonicalJSON())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120))


class Ceasefire(Base):
    """A ceasefire's terms as loaded from the pack (the validated spec, as JSON)."""

    __tablename__ = "ceasefires"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    pack_id: Mapped[str | None] = mapped_column(String(80))
    spec: Mapped[dict[str, Any]] = mapped_column(CanonicalJSON())
