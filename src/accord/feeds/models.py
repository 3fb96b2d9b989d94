"""Feed tables: watched feeds with their cursor and health, the items seen, and story groups."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from accord.db.base import Base, UTCDateTime, utcnow


class Feed(Base):
    """A watched RSS, Atom or JSON feed: where it is, its conditional-GET cursor and its health."""

    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    publisher: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(12))
    interval_s: Mapped[int] = mapped_column(Integer, default=600)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    last_polled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_success_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    items_seen: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120))


class FeedItem(Base):
    """One entry seen in a feed, keyed by its id (or canonical link); the source it became."""

    __tablename__ = "feed_items"
    __table_args__ = (UniqueConstraint("feed_id", "item_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"), index=True)
    item_key: Mapped[str] = mapped_column(String(2000))
    url: Mapped[str | None] = mapped_column(String(2000), index=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), index=True)
    error: Mapped[str | None] = mapped_column(Text)
    seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StoryMember(Base):
    """A source's place in a story group: copies and near-duplicates of one story share a story.

    ``story_id`` is the id of the group's first source; ``signature`` holds the MinHash values
    (little-endian uint32) that later sources are compared against.
    """

    __tablename__ = "story_members"

    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True
    )
    story_id: Mapped[int] = mapped_column(Integer, index=True)
    canonical_url: Mapped[str | None] = mapped_column(String(2000), index=True)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    grouped_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
