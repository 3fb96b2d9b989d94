"""Which pack a view or a write belongs to: the one named, else the default pack.

Kept apart from the loading service (which imports the domains' services) so that zones,
incidents, council and reports can ask for their pack without an import cycle.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.config import get_settings
from accord.errors import NotFound
from accord.packs.models import Pack


def loaded(session: Session) -> list[Pack]:
    """Return the packs loaded in this database."""
    return list(session.scalars(select(Pack).order_by(Pack.id)))


def current(session: Session) -> Pack | None:
    """Return the default pack: the only one loaded, else ACCORD_PACK if loaded, else the latest.

    Every view and command that takes ``--pack`` / ``?pack=`` falls back to this pack.
    """
    rows = loaded(session)
    if len(rows) <= 1:
        return rows[0] if rows else None
    configured = get_settings().pack
    for row in rows:
        if row.id == configured:
            return row
    return max(rows, key=lambda r: (r.loaded_at, r.id))


def resolve(session: Session, pack_id: str | None) -> Pack | None:
    """Return the named loaded pack (NotFound naming the loaded ones), or the default pack."""
    if pack_id is None:
        return current(session)
    row = session.get(Pack, pack_id)
    if row is None:
        known = ", ".join(p.id for p in loaded(session)) or "none"
        raise NotFound(f"pack {pack_id!r} is not loaded (loaded: {known})")
    return row


def owner(session: Session, pack_id: str | None) -> str | None:
    """Return the id of the pack a new row belongs to: the named one (checked), else the default.

    None only when no pack is loaded at all.
    """
    row = resolve(session, pack_id)
    return row.id if row is not None else None
