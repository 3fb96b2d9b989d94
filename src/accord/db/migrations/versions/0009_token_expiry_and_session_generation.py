"""token expiry, revocation and last use; per-user session generation

Tokens made before this revision never expire (expires_at stays NULL) until revoked. Every user
starts at session generation 0; cookies signed before the upgrade carry no generation and are
refused, so everyone signs in once more.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import accord.db.base

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add users.session_generation and the api_tokens expiry, revocation and last-use times."""
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False)
        )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        for column in ("expires_at", "revoked_at", "last_used_at"):
            batch_op.add_column(
                sa.Column(column, accord.db.base.UTCDateTime(timezone=True), nullable=True)
            )


def downgrade() -> None:
    """Drop the columns again."""
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        for column in ("last_used_at", "revoked_at", "expires_at"):
            batch_op.drop_column(column)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
