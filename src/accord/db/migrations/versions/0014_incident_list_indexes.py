"""indexes that serve filtered and deep pages of the incident list

``ix_incidents_when`` (occurred_at, id, occurred_on, type, status) replaces the single-column
index on ``occurred_at``: a newest-first page (occurred_at, then id) with date, type or status
filters is read from the index alone, and rows are read only for the page itself.
``ix_incidents_status_when`` (status, occurred_at, id, type, occurred_on) does the same for
pages and counts filtered by status (a monitor's queue), with or without the other filters. Both
give the page order themselves, so no plan has to sort the list, with or without statistics.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 03:10:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = ("occurred_at", "id", "occurred_on", "type", "status")
STATUS_WHEN = ("status", "occurred_at", "id", "type", "occurred_on")


def upgrade() -> None:
    """Replace the occurred_at index with two covering ones."""
    op.drop_index("ix_incidents_occurred_at", table_name="incidents")
    op.create_index("ix_incidents_when", "incidents", list(WHEN))
    op.create_index("ix_incidents_status_when", "incidents", list(STATUS_WHEN))


def downgrade() -> None:
    """Restore the single-column index on occurred_at."""
    op.drop_index("ix_incidents_status_when", table_name="incidents")
    op.drop_index("ix_incidents_when", table_name="incidents")
    op.create_index("ix_incidents_occurred_at", "incidents", ["occurred_at"])
