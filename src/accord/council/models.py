"""Council tables: members and rulings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from accord.db.base import Base, CanonicalJSON, UTCDateTime, utcnow

OUTCOMES = ("violation", "no_violation", "inconclusive")
VOTES = ("yes", "no", "abstain")


class CouncilMember(Base):
    """A member of the council, with a role and the party they represent (if any)."""

    __tablename__ = "council_members"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(80))
    actor_id: Mapped[str | None] = mapped_column(String(80))
    pack_id: Mapped[str | None] = mapped_column(String(80))


class Ruling(Base):
    """The council's ruling on a verified incident, with the vote record."""

    __tablename__ = "rulings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    attributed_party: Mapped[str | None] = mapped_column(String(80))
    votes: Mapped[dict[str, Any]] = mapped_column(CanonicalJSON())
    published_on: Mapped[dt.date] = mapped_column(Date, index=True)
    reasoning: Mapped[str | None] = mapped_column(Text)
    pack_id: Mapped[str | None] = mapped_column(String(80), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120))
