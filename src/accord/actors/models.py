"""Actor tables: actors, their aliases, and dated person-to-actor affiliations."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accord.db.base import Base

ACTOR_KINDS = ("state", "organisation", "coalition", "person", "group")


class Actor(Base):
    """A party, organisation or person that can hold positions or speak."""

    __tablename__ = "actors"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    pack_id: Mapped[str | None] = mapped_column(String(80))

    aliases: Mapped[list[ActorAlias]] = relationship(
        back_populates="actor", cascade="all, delete-orphan", order_by="ActorAlias.id"
    )
    affiliations: Mapped[list[Affiliation]] = relationship(
        back_populates="person",
        cascade="all, delete-orphan",
        foreign_keys="Affiliation.person_id",
        order_by="Affiliation.id",
    )


class ActorAlias(Base):
    """A name, spelling variant, title, metonym or demonym that refers to an actor."""

    __tablename__ = "actor_aliases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    actor_id: Mapped[str] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="alias")

    actor: Mapped[Actor] = relationship(back_populates="aliases")


class Affiliation(Base):
    """A person's role for an actor over a date range (``valid_to`` None: ongoing)."""

    __tablename__ = "affiliations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[str] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(120))
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)

    person: Mapped[Actor] = relationship(back_populates="affiliations", foreign_keys=[person_id])
