"""zones, incidents, rulings and reports belong to a pack

Several packs can live in one database: the monitoring data (zones, incidents, council rulings,
written reports) records the pack it belongs to, and every view reads one pack's rows.

Rows stored before this revision are given an owner: an incident goes to the loaded pack whose
area of interest holds its point, a zone to the pack whose area holds the middle of its bounding
box, a ruling to its incident's pack. Whatever is left (and every stored report) goes to
``ukraine-2025`` when it is loaded, the only pack that databases held before packs could sit side
by side, else to the most recently loaded pack. With no pack loaded the rows stay without one.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 02:45:00.000000
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("zones", "incidents", "rulings", "report_artifacts")
# the pack of databases from before several packs could be loaded side by side
_FIRST_PACK = "ukraine-2025"


def upgrade() -> None:
    """Add an indexed pack_id to each table and give existing rows their pack."""
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("pack_id", sa.String(length=80), nullable=True))
            batch_op.create_index(batch_op.f(f"ix_{table}_pack_id"), ["pack_id"], unique=False)
    bind = op.get_bind()
    packs = bind.execute(sa.text("SELECT id, area_of_interest FROM packs ORDER BY loaded_at, id"))
    rows = [(pack_id, area) for pack_id, area in packs]
    for pack_id, area in rows:
        if not area:
            continue
        west, south, east, north = (float(v) for v in json.loads(area))
        box = {"p": pack_id, "w": west, "s": south, "e": east, "n": north}
        bind.execute(
            sa.text(
                "UPDATE incidents SET pack_id = :p WHERE pack_id IS NULL "
                "AND longitude BETWEEN :w AND :e AND latitude BETWEEN :s AND :n"
            ),
            box,
        )
        bind.execute(
            sa.text(
                "UPDATE zones SET pack_id = :p WHERE pack_id IS NULL "
                "AND (min_lon + max_lon) / 2 BETWEEN :w AND :e "
                "AND (min_lat + max_lat) / 2 BETWEEN :s AND :n"
            ),
            box,
        )
    bind.execute(
        sa.text(
            "UPDATE rulings SET pack_id = "
            "(SELECT incidents.pack_id FROM incidents WHERE incidents.id = rulings.incident_id)"
        )
    )
    ids = [pack_id for pack_id, _area in rows]
    fallback = _FIRST_PACK if _FIRST_PACK in ids else (ids[-1] if ids else None)
    if fallback is None:
        return
    for table in _TABLES:
        bind.execute(
            sa.text(f"UPDATE {table} SET pack_id = :p WHERE pack_id IS NULL"),  # noqa: S608 — fixed names
            {"p": fallback},
        )


def downgrade() -> None:
    """Drop the columns again.

    A plain ``DROP COLUMN`` (SQLite 3.35 or newer, PostgreSQL): rebuilding ``incidents`` the
    batch way would drop a table that rulings and zone hits still point at.
    """
    for table in reversed(_TABLES):
        op.drop_index(op.f(f"ix_{table}_pack_id"), table_name=table)
        op.execute(f"ALTER TABLE {table} DROP COLUMN pack_id")
