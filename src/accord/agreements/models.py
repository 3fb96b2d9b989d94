"""Agreement tables: agreements, drafts, provisions, implementation records and indicators."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accord.db.base import Base, CanonicalJSON, UTCDateTime, utcnow

PAM_LEVELS = {0: "not initiated", 1: "minimal", 2: "intermediate", 3: "full"}
INDICATOR_KINDS = ("prisoner_exchange", "funds", "guarantee")


class Agreement(Base):
    """An agreement under negotiation or signed."""

    __tablename__ = "agreements"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    pack_id: Mapped[str | None] = mapped_column(String(80))

    drafts: Mapped[list[Draft]] = relationship(back_populates="agreement", order_by="Draft.date")


class Draft(Base):
    """A version of an agreement's text; ``signed_on`` is set once it is signed."""

    __tablename__ = "drafts"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(300))
    date: Mapped[dt.date] = mapped_column(Date)
    origin: Mapped[str | None] = mapped_column(ForeignKey("actors.id"))
    note: Mapped[str | None] = mapped_column(Text)
    signed_on: Mapped[dt.date | None] = mapped_column(Date)

    agreement: Mapped[Agreement] = relationship(back_populates="drafts")
    provisions: Mapped[list[Provision]] = relationship(
        back_populates="draft", cascade="all, delete-orphan", order_by="Provision.position"
    )


class Provision(Base):
    """One provision (point) of a draft."""

    __tablename__ = "provisions"
    __table_args__ = (UniqueConstraint("draft_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    draft_id: Mapped[str] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    issues: Mapped[list[str]] = mapped_column(CanonicalJSON(), default=list)
    obligated: Mapped[list[str]] = mapped_column(CanonicalJSON(), default=list)
    deadline: Mapped[str | None] = mapped_column(String(60))
    targets: Mapped[list[dict[str, Any]]] = mapped_column(CanonicalJSON(), default=list)

    draft: Mapped[Draft] = relationship(back_populates="provisions")


class ImplementationRecord(Base):
    """A provision's implementation level on the Peace Accords Matrix scale, with evidence."""

    __tablename__ = "implementation_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    provision_id: Mapped[int] = mapped_column(ForeignKey("provisions.id"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120))


class Indicator(Base):
    """A quantitative indicator of a signed draft: an exchange, money, or a guarantee."""

    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    draft_id: Mapped[str] = mapped_column(ForeignKey("drafts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    date: Mapped[dt.date] = mapped_column(Date)
    data: Mapped[dict[str, Any]] = mapped_column(CanonicalJSON())
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120))
