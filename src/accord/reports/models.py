"""Stored report files: their path and SHA-256 (the bytes also go to the blob store)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from accord.db.base import Base, UTCDateTime, utcnow


class ReportArtifact(Base):
    """A written report file."""

    __tablename__ = "report_artifacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(30))
    pack_id: Mapped[str | None] = mapped_column(String(80), index=True)
    report_date: Mapped[dt.date] = mapped_column(Date)
    media_type: Mapped[str] = mapped_column(String(40))
    path: Mapped[str] = mapped_column(String(1000))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120))
