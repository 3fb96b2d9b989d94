"""The packs table: which case pack is loaded, with the hash of its content."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from accord.db.base import Base, CanonicalJSON, UTCDateTime, utcnow


class Pack(Base):
    """A loaded case pack."""

    __tablename__ = "packs"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(40))
    description: Mapped[str | None] = mapped_column(Text)
    main_parties: Mapped[list[str]] = mapped_column(CanonicalJSON(), default=list)
    content_sha256: Mapped[str] = mapped_column(String(64))
    root: Mapped[str | None] = mapped_column(String(1000))
    area_of_interest: Mapped[list[float] | None] = mapped_column(CanonicalJSON())
    loaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
