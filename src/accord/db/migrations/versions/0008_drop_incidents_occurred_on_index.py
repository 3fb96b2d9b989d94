"""drop the index on incidents.occurred_on

Date filters are answered from the occurred_at index (``incidents.models.occurred_between``);
the second date index cost about a tenth of every large import's insert time.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 18:25:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Drop ix_incidents_occurred_on."""
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incidents_occurred_on"))


def downgrade() -> None:
    """Create ix_incidents_occurred_on again."""
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incidents_occurred_on"), ["occurred_on"], unique=False)
