"""The weekly negotiation brief: board changes, what is coming, deadlines, incidents in numbers.

The week is the seven days ending on the brief's date. "What changed" is the board diff from the
day before the week to its last day; upcoming events are the scheduled ones after it (up to
``AHEAD_DAYS``); deadlines are the signed drafts' provisions not fully implemented that fall due
within ``AHEAD_DAYS`` or are already missed; the ceasefire numbers count the week's incidents by
type, zone and status against the week before.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.agreements import implementation
from accord.agreements.models import Draft
from accord.council import service as council
from accord.errors import InvalidInput
from accord.incidents.models import Incident, ZoneHit, occurred_between
from accord.negotiation import changes, timeline
from accord.negotiation.schemas import EventOut
from accord.reports.daily import CountRow
from accord.zones.models import Zone

WEEK_DAYS = 7
AHEAD_DAYS = 14


class Deadline(BaseModel):
    """A provision of a signed draft that is due soon or overdue, with its level on the date."""

    draft: str
    provision_id: int
    number: str
    title: str
    due: dt.date
    level: int
    level_name: str
    missed: bool


class WeekNumbers(BaseModel):
    """The ceasefire week in numbers, against the week before."""

    total: int
    previous_total: int
    verified: int
    by_type: list[CountRow]
    by_zone: list[CountRow]
    by_status: list[CountRow]
    rulings: list[dict[str, object]]


class WeeklyBrief(BaseModel):
    """Everything the weekly negotiation brief shows."""

    start: dt.date
    end: dt.date
    changes: list[changes.Change]
    upcoming: list[EventOut]
    deadlines: list[Deadline]
    numbers: WeekNumbers


def _rows(this: Counter[str], before: Counter[str]) -> list[CountRow]:
    keys = sorted(set(this) | set(before), key=lambda k: (-this[k], k))
    return [
        CountRow(key=k, today=this[k], previous=before[k], change=this[k] - before[k]) for k in keys
    ]


def _numbers(session: Session, start: dt.date, end: dt.date) -> WeekNumbers:
    before_start = start - dt.timedelta(days=WEEK_DAYS)
    window = list(session.scalars(select(Incident).where(occurred_between(before_start, end))))
    this = [i for i in window if i.occurred_on >= start]
    before = [i for i in window if i.occurred_on < start]
    kinds = {z.id: z.kind for z in session.scalars(select(Zone))}
    hits: dict[int, list[str]] = {}
    ids = [i.id for i in window]
    for incident_id, zone_id in session.execute(
        select(ZoneHit.incident_id, ZoneHit.zone_id).where(ZoneHit.incident_id.in_(ids))
    ):
        if kinds.get(zone_id) != "admin_area":
            hits.setdefault(incident_id, []).append(zone_id)

    def counted(rows: list[Incident]) -> list[Incident]:
        return [i for i in rows if i.status != "dismissed"]

    rulings = [r for r in council.rulings(session) if start <= r.published_on <= end]
    return WeekNumbers(
        total=len(counted(this)),
        previous_total=len(counted(before)),
        verified=sum(1 for i in this if i.status == "verified"),
        by_type=_rows(
            Counter(i.type for i in counted(this)), Counter(i.type for i in counted(before))
        ),
        by_zone=_rows(
            Counter(z for i in counted(this) for z in hits.get(i.id, [])),
            Counter(z for i in counted(before) for z in hits.get(i.id, [])),
        ),
        by_status=_rows(Counter(i.status for i in this), Counter(i.status for i in before)),
        rulings=[
            {
                "id": r.id,
                "incident": r.incident_id,
                "outcome": r.outcome,
                "party": r.attributed_party,
                "published": r.published_on.isoformat(),
            }
            for r in rulings
        ],
    )


def _deadlines(session: Session, end: dt.date) -> list[Deadline]:
    horizon = end + dt.timedelta(days=AHEAD_DAYS)
    found: list[Deadline] = []
    signed = session.scalars(
        select(Draft).where(Draft.signed_on.is_not(None), Draft.signed_on <= end).order_by(Draft.id)
    )
    for draft in signed:
        status = implementation.draft_status(session, draft.id, end)
        for p in status.provisions:
            if p.due is None or p.level >= 3 or p.due > horizon:
                continue
            found.append(
                Deadline(
                    draft=draft.id,
                    provision_id=p.id,
                    number=p.number,
                    title=p.title,
                    due=p.due,
                    level=p.level,
                    level_name=p.level_name,
                    missed=p.due < end,
                )
            )
    return sorted(found, key=lambda d: (d.due, d.draft, d.provision_id))


def _upcoming(session: Session, end: dt.date) -> list[EventOut]:
    horizon = end + dt.timedelta(days=AHEAD_DAYS)
    try:
        found = timeline.events(session, as_of=end, upcoming=True)
    except InvalidInput:  # before the first source: nothing is known to be coming
        return []
    return [e for e in found if e.date is not None and e.date <= horizon]


def build(session: Session, end: dt.date) -> WeeklyBrief:
    """Compute the brief for the week ending on ``end`` (that day and the six before it)."""
    start = end - dt.timedelta(days=WEEK_DAYS - 1)
    diff = changes.board_diff(session, start - dt.timedelta(days=1), end)
    return WeeklyBrief(
        start=start,
        end=end,
        changes=diff.changes,
        upcoming=_upcoming(session, end),
        deadlines=_deadlines(session, end),
        numbers=_numbers(session, start, end),
    )
