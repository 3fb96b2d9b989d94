"""The claims table: extracted (and later reviewed) claims, each tied to a source span."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from accord.db.base import Base, CanonicalJSON, UTCDateTime, utcnow

REVIEW_STATES = ("machine", "accepted", "corrected", "rejected")


class Claim(Base):
    """One claim of the extraction contract, with provenance and review state."""

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    pack_id: Mapped[str | None] = mapped_column(String(80), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    issue_id: Mapped[str | None] = mapped_column(ForeignKey("issues.id"), index=True)
    sub_issue_id: Mapped[str | None] = mapped_column(ForeignKey("issues.id"))
    holder_id: Mapped[str | None] = mapped_column(ForeignKey("actors.id"), index=True)
    speaker_id: Mapped[str | None] = mapped_column(ForeignKey("actors.id"))
    stance: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str | None] = mapped_column(String(20))
    progress_pct: Mapped[int | None] = mapped_column(Integer)
    event_type: Mapped[str | None] = mapped_column(String(20))
    participants: Mapped[list[str] | None] = mapped_column(CanonicalJSON())
    place: Mapped[str | None] = mapped_column(String(200))
    date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    date_precision: Mapped[str | None] = mapped_column(String(10))
    summary: Mapped[str] = mapped_column(Text, default="")
    quote: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    confidence: Mapped[float] = mapped_column(Float)
    negated: Mapped[bool] = mapped_column(Boolean, default=False)
    hedged: Mapped[bool] = mapped_column(Boolean, default=False)
    extractor: Mapped[str] = mapped_column(String(60))
    extractor_version: Mapped[str] = mapped_column(String(20))
    review_state: Mapped[str] = mapped_column(String(20), default="machine", index=True)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"))
    extra: Mapped[dict[str, Any] | None] = mapped_column(CanonicalJSON())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120))
