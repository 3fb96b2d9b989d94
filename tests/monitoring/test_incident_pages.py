"""Pages of the incident list: the right rows in the right order, read through the indexes.

Many incidents share a day (imported files often give bare dates), so newest-first pages depend
on the id to break ties; deep pages and filtered pages must still come back in that order. On
SQLite the page's ids are read from a covering index, with no sort of the whole list.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.incidents import service
from accord.incidents.models import INCIDENT_STATUSES, Incident
from accord.incidents.rows import from_accord

TYPES = ("battles", "explosion", "military-presence")


def _fill(session: Session) -> list[dict[str, object]]:
    """Store 150 incidents over five days, three types and three statuses; return their facts."""
    facts = []
    statuses = list(INCIDENT_STATUSES)[:3]
    for i in range(150):
        day = dt.date(2026, 2, 1 + i % 5)
        when = (
            f"{day.isoformat()}T00:00:00+00:00"
            if i % 3
            else f"{day.isoformat()}T0{i % 9}:15:00+00:00"
        )
        incident = service.create(
            session,
            from_accord(
                {
                    "external_id": f"page-{i}",
                    "occurred_at": when,
                    "latitude": 48 + (i % 7) / 10,
                    "longitude": 37,
                    "type": TYPES[i % 3 if i % 4 else 0],
                }
            ),
            by="t",
        )
        incident.status = statuses[(i // 7) % 3]
        session.flush()
        facts.append(
            {
                "id": incident.id,
                "at": dt.datetime.fromisoformat(when),
                "day": day,
                "type": incident.type,
                "status": incident.status,
            }
        )
    return facts


def test_pages_follow_newest_first_then_highest_id_under_every_filter(session: Session) -> None:
    facts = _fill(session)
    statuses = sorted({f["status"] for f in facts})
    for type_, status, start in itertools.product(
        (None, "explosion"), (None, statuses[1]), (None, dt.date(2026, 2, 3))
    ):
        expected = [
            f["id"]
            for f in sorted(facts, key=lambda f: (f["at"], f["id"]), reverse=True)
            if (type_ is None or f["type"] == type_)
            and (status is None or f["status"] == status)
            and (start is None or f["day"] >= start)
        ]
        assert len(expected) >= 5, "the fixture must leave something to page through"
        f = service.IncidentFilter(type=type_, status=status, start=start)
        for offset, limit in ((0, 7), (5, 7), (len(expected) - 3, 7), (len(expected), 7)):
            rows = service.rows_of_incidents(session, f, limit=limit, offset=offset)
            assert [r["id"] for r in rows] == expected[offset : offset + limit], (f, offset)
        assert service.count_incidents(session, f) == len(expected)


def test_sqlite_reads_a_page_of_ids_from_a_covering_index(session: Session) -> None:
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("query plans are SQLite's")
    _fill(session)
    table = Incident.__table__
    for f in (
        service.IncidentFilter(),
        service.IncidentFilter(type="explosion"),
        service.IncidentFilter(status="reported"),
        service.IncidentFilter(status="reported", type="explosion"),
        service.IncidentFilter(status="verified", start=dt.date(2026, 2, 2)),
        service.IncidentFilter(start=dt.date(2026, 2, 2), end=dt.date(2026, 2, 4)),
    ):
        query = (
            service.filtered(select(table.c.id), f)
            .order_by(table.c.occurred_at.desc(), table.c.id.desc())
            .limit(50)
            .offset(100)
        )
        compiled = query.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        plan = " | ".join(
            row[-1]
            for row in session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")
        )
        assert "COVERING INDEX ix_incidents_" in plan, (f, plan)
        assert "TEMP B-TREE" not in plan, (f, plan)
