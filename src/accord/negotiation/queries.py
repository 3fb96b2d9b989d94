"""Queries over active claims (machine or accepted; rejected and corrected ones are left out)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.claims.models import Claim
from accord.claims.workflow import ACTIVE_STATES
from accord.sources.models import Source

Row = tuple[Claim, dt.date | None, str | None]


def effective_date(claim: Claim, published: dt.date | None) -> dt.date | None:
    """Return the date a claim counts from: its own date, else its source's publication."""
    return claim.date or published


def active_claims(
    session: Session,
    *,
    as_of: dt.date | None = None,
    issue: str | None = None,
    kinds: tuple[str, ...] | None = None,
    pack_id: str | None = None,
) -> list[Row]:
    """Return active claims with their source's publication date and title, oldest first.

    Claims of undated sources are left out: they cannot be placed in time, so they would count
    at every as-of date. They count once ``accord sources set-date`` dates their source.
    """
    query = (
        select(Claim, Source.published_at, Source.title)
        .join(Source, Source.id == Claim.source_id)
        .where(Claim.review_state.in_(ACTIVE_STATES), Source.published_at.is_not(None))
    )
    if pack_id is not None:
        query = query.where(Claim.pack_id == pack_id)
    if issue is not None:
        query = query.where(Claim.issue_id == issue)
    if kinds is not None:
        query = query.where(Claim.kind.in_(kinds))
    rows: list[Row] = [(c, p, t) for c, p, t in session.execute(query)]
    if as_of is not None:
        rows = [r for r in rows if r[1] is not None and r[1] <= as_of]
    rows.sort(
        key=lambda r: (effective_date(r[0], r[1]) or dt.date.min, r[1] or dt.date.min, r[0].id)
    )
    return rows


def first_publication(session: Session) -> dt.date | None:
    """Return the earliest publication date of any source."""
    return session.scalar(select(func.min(Source.published_at)))
