"""The issues table."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from accord.db.base import Base, CanonicalJSON


class Issue(Base):
    """One negotiation issue (e.g. ``territory``), possibly under a parent issue."""

    __tablename__ = "issues"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("issues.id", ondelete="SET NULL"))
    description: Mapped[str | None] = mapped_column(Text)
    keywords: Mapped[list[str]] = mapped_column(CanonicalJSON(), default=list)
    scale: Mapped[dict[str, Any] | None] = mapped_column(CanonicalJSON())
    pack_id: Mapped[str | None] = mapped_column(String(80))
