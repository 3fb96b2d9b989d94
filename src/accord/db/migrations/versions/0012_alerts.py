"""alert subscriptions, alerts, outbox and feed tokens

Tables of `accord.alerts`: what each user subscribed to (with the snapshot last compared), the
alerts detected, the transactional outbox the sender delivers from, and Atom feed tokens.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 02:28:59.340483
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import accord.db.base

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the four alert tables."""
    op.create_table(
        "alert_feed_tokens",
        sa.Column("user", sa.String(length=120), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", accord.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user", name=op.f("pk_alert_feed_tokens")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_alert_feed_tokens_token_sha256")),
    )
    op.create_table(
        "alert_subscriptions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("filters", accord.db.base.CanonicalJSON(), nullable=False),
        sa.Column("cadence", sa.String(length=20), nullable=False),
        sa.Column("webhook_url", sa.String(length=2000), nullable=True),
        sa.Column("webhook_secret", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("state", accord.db.base.CanonicalJSON(), nullable=False),
        sa.Column("created_at", accord.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_subscriptions")),
    )
    with op.batch_alter_table("alert_subscriptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_subscriptions_user"), ["user"], unique=False)

    op.create_table(
        "alert_outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("target", sa.String(length=2000), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("payload", accord.db.base.CanonicalJSON(), nullable=False),
        sa.Column("created_at", accord.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", accord.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("leased_until", accord.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sent_at", accord.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("failed_at", accord.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["alert_subscriptions.id"],
            name=op.f("fk_alert_outbox_subscription_id_alert_subscriptions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_outbox")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_alert_outbox_idempotency_key")),
    )
    with op.batch_alter_table("alert_outbox", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alert_outbox_next_attempt_at"), ["next_attempt_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_alert_outbox_sent_at"), ["sent_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_alert_outbox_subscription_id"), ["subscription_id"], unique=False
        )

    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("user", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("detail", accord.db.base.CanonicalJSON(), nullable=False),
        sa.Column("created_at", accord.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("digested_at", accord.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["alert_subscriptions.id"],
            name=op.f("fk_alerts_subscription_id_alert_subscriptions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint("subscription_id", "key", name=op.f("uq_alerts_subscription_id")),
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alerts_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_alerts_subscription_id"), ["subscription_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_alerts_user"), ["user"], unique=False)


def downgrade() -> None:
    """Drop them again."""
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alerts_user"))
        batch_op.drop_index(batch_op.f("ix_alerts_subscription_id"))
        batch_op.drop_index(batch_op.f("ix_alerts_created_at"))

    op.drop_table("alerts")
    with op.batch_alter_table("alert_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_outbox_subscription_id"))
        batch_op.drop_index(batch_op.f("ix_alert_outbox_sent_at"))
        batch_op.drop_index(batch_op.f("ix_alert_outbox_next_attempt_at"))

    op.drop_table("alert_outbox")
    with op.batch_alter_table("alert_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_subscriptions_user"))

    op.drop_table("alert_subscriptions")
    op.drop_table("alert_feed_tokens")
