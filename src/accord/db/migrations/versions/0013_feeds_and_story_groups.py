"""feeds, feed items and story groups

``feeds`` holds each watched feed with its conditional-GET cursor (ETag, Last-Modified) and its
health; ``feed_items`` every entry seen (unique per feed), linked to the source it became;
``story_members`` puts each source in a story group (copies of one story share a group).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 02:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from accord.db.base import UTCDateTime

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the feed and story tables."""
    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("publisher", sa.String(length=200), nullable=True),
        sa.Column("language", sa.String(length=12), nullable=True),
        sa.Column("interval_s", sa.Integer(), nullable=False),
        sa.Column("etag", sa.String(length=500), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("last_polled_at", UTCDateTime(), nullable=True),
        sa.Column("last_success_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", UTCDateTime(), nullable=True),
        sa.Column("items_seen", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feeds")),
        sa.UniqueConstraint("url", name=op.f("uq_feeds_url")),
    )
    op.create_table(
        "feed_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=2000), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("seen_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["feed_id"], ["feeds.id"], name=op.f("fk_feed_items_feed_id_feeds"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_feed_items_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_items")),
        sa.UniqueConstraint("feed_id", "item_key", name=op.f("uq_feed_items_feed_id")),
    )
    op.create_index(op.f("ix_feed_items_feed_id"), "feed_items", ["feed_id"])
    op.create_index(op.f("ix_feed_items_url"), "feed_items", ["url"])
    op.create_index(op.f("ix_feed_items_source_id"), "feed_items", ["source_id"])
    op.create_table(
        "story_members",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("canonical_url", sa.String(length=2000), nullable=True),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.Column("grouped_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_story_members_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_story_members")),
    )
    op.create_index(op.f("ix_story_members_story_id"), "story_members", ["story_id"])
    op.create_index(op.f("ix_story_members_canonical_url"), "story_members", ["canonical_url"])


def downgrade() -> None:
    """Drop the feed and story tables."""
    op.drop_table("story_members")
    op.drop_table("feed_items")
    op.drop_table("feeds")
