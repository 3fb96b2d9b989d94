"""claims belong to a pack

Several packs can live in one database: each claim records the pack whose extractor (or reviewer)
made it, and every board, timeline and claim list reads one pack's claims. Claims stored before
this revision go to the most recently loaded pack, the one that extracted them.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 21:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add claims.pack_id (indexed) and give existing claims to the latest loaded pack."""
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pack_id", sa.String(length=80), nullable=True))
        batch_op.create_index(batch_op.f("ix_claims_pack_id"), ["pack_id"], unique=False)
    op.execute(
        "UPDATE claims SET pack_id = "
        "(SELECT id FROM packs ORDER BY loaded_at DESC, id LIMIT 1) WHERE pack_id IS NULL"
    )


def downgrade() -> None:
    """Drop the column again."""
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claims_pack_id"))
        batch_op.drop_column("pack_id")
