"""The daily monitoring report's numbers: by type, zone and party, reported vs verified, trends."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.council import service as council
from accord.errors import InvalidInput
from accord.incidents.models import Incident, ZoneHit, occurred_between
from accord.zones.models import Zone

TREND_DAYS = 30


class CountRow(BaseModel):
    """A category's count on the day, the day before, and the change."""

    key: str
    today: int
    previous: int
    change: int


class DailyReport(BaseModel):
    """Everything the daily report shows."""

    date: dt.date
    pack: str | None = None
    total: int
    previous_total: int
    verified: int
    by_status: dict[str, int]
    by_type: list[CountRow]
    by_zone: list[CountRow]
    by_party: list[CountRow]
    trend: list[dict[str, Any]]
    incidents: list[dict[str, Any]]
    rulings: list[dict[str, Any]]


def _rows(today: Counter[str], previous: Counter[str]) -> list[CountRow]:
    keys = sorted(set(today) | set(previous), key=lambda k: (-today[k], k))
    return [
        CountRow(key=k, today=today[k], previous=previous[k], change=today[k] - previous[k])
        for k in keys
    ]


def _party(incident: Incident) -> str:
    return incident.attributed_to or incident.alleged_perpetrator or "unknown"


def latest_day(session: Session, pack: str | None = None) -> dt.date | None:
    """Return the newest day up to today with an incident (of a pack), or None when there is none."""
    query = select(func.max(Incident.occurred_on)).where(Incident.occurred_on <= dt.date.today())
    if pack:
        query = query.where(Incident.pack_id == pack)
    newest = session.scalar(query)
    return newest


def build(session: Session, day: dt.date, pack: str | None = None) -> DailyReport:
    """Compute a pack's report for a day (every pack's with None); refuse an empty day.

    A day is empty when it has neither incidents nor rulings.
    """
    start = day - dt.timedelta(days=TREND_DAYS - 1)
    query = select(Incident).where(occurred_between(start, day), Incident.status != "dismissed")
    if pack:
        query = query.where(Incident.pack_id == pack)
    window = list(session.scalars(query))
    rulings = council.rulings(session, on=day, pack=pack)
    todays = [i for i in window if i.occurred_on == day]
    yesterday = day - dt.timedelta(days=1)
    previous = [i for i in window if i.occurred_on == yesterday]
    if not todays and not rulings:
        raise InvalidInput(f"--date {day}: no incidents or rulings on that day")
    ids = [i.id for i in todays + previous]
    zone_names = {z.id: z.kind for z in session.scalars(select(Zone))}
    hits: dict[int, list[str]] = {}
    for incident_id, zone_id in session.execute(
        select(ZoneHit.incident_id, ZoneHit.zone_id).where(ZoneHit.incident_id.in_(ids))
    ):
        if zone_names.get(zone_id) != "admin_area":
            hits.setdefault(incident_id, []).append(zone_id)
    per_day = Counter(i.occurred_on for i in window)
    verified_per_day = Counter(i.occurred_on for i in window if i.status == "verified")
    return DailyReport(
        date=day,
        pack=pack,
        total=len(todays),
        previous_total=len(previous),
        verified=sum(1 for i in todays if i.status == "verified"),
        by_status=dict(Counter(i.status for i in todays)),
        by_type=_rows(Counter(i.type for i in todays), Counter(i.type for i in previous)),
        by_zone=_rows(
            Counter(z for i in todays for z in hits.get(i.id, [])),
            Counter(z for i in previous for z in hits.get(i.id, [])),
        ),
        by_party=_rows(Counter(_party(i) for i in todays), Counter(_party(i) for i in previous)),
        trend=[
            {
                "date": (start + dt.timedelta(days=n)).isoformat(),
                "reported": per_day[start + dt.timedelta(days=n)],
                "verified": verified_per_day[start + dt.timedelta(days=n)],
            }
            for n in range(TREND_DAYS)
        ],
        incidents=[
            {
                "id": i.id,
                "type": i.type,
                "lat": i.latitude,
                "lon": i.longitude,
                "status": i.status,
                "zones": hits.get(i.id, []),
            }
            for i in todays
        ],
        rulings=[
            {
                "id": r.id,
                "incident": r.incident_id,
                "outcome": r.outcome,
                "party": r.attributed_party,
                "votes": r.votes,
            }
            for r in rulings
        ],
    )
