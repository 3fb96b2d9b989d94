"""Snapshots of what each kind of subscription watches, and the changes between two of them.

Each detector takes a subscription's filters and the state the previous evaluation stored, and
returns the new state and the changes found. A new subscription starts from the current state,
so it hears only of what changes after it was made. Detection reads the database only, so it
does not matter how a change arrived (ingest, the web, an import, a feed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.agreements import implementation
from accord.agreements.models import Draft
from accord.claims.models import Claim
from accord.council.models import Ruling
from accord.incidents.models import Incident, ViolationCandidate, ZoneHit
from accord.negotiation import service as negotiation
from accord.search.service import SearchFilter, search

State = dict[str, Any]


@dataclass
class Change:
    """One change worth an alert: a stable key, a one-line title and the details."""

    key: str
    title: str
    detail: dict[str, Any] = field(default_factory=dict)


Detector = Callable[[Session, dict[str, Any], State, dt.date], tuple[State, list[Change]]]


def board_cells(session: Session, filters: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """Return the board's cells and statuses as {"issue|what|party": [value, claim id]}."""
    board = negotiation.board(session, as_of=today, pack=filters.get("pack"))
    issue, holder = filters.get("issue"), filters.get("holder")
    cells: dict[str, Any] = {}
    for row in board.rows:
        if issue and row.issue != issue:
            continue
        for party, cell in row.cells.items():
            if cell is not None and (not holder or party == holder):
                cells[f"{row.issue}|stance|{party}"] = [cell.stance, cell.claim_id]
        for s in row.statuses:
            if not holder or s.holder == holder:
                pct = f" {s.progress_pct}%" if s.progress_pct else ""
                cells[f"{row.issue}|holder status|{s.holder}"] = [s.status + pct, s.claim_id]
        if row.status and not holder:
            latest = max(row.statuses, key=lambda s: (s.date or dt.date.min, s.claim_id))
            cells[f"{row.issue}|status|"] = [row.status, latest.claim_id]
    return cells


def detect_board(
    session: Session, filters: dict[str, Any], state: State, today: dt.date
) -> tuple[State, list[Change]]:
    """Compare the board's cells with the stored ones; every differing value is a change."""
    before: dict[str, Any] = state.get("cells", {})
    after = board_cells(session, filters, today)
    changes = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if old is not None and new is not None and old[0] == new[0]:
            continue
        issue, what, party = key.split("|")
        who = f" {party}" if party else ""
        title = f"{issue}:{who} {what} {old[0] if old else 'none'} → {new[0] if new else 'none'}"
        changes.append(
            Change(
                key=f"board:{key}:{new[1] if new else 'gone'}:{new[0] if new else ''}",
                title=title,
                detail={
                    "issue": issue,
                    "what": what,
                    "party": party or None,
                    "before": old[0] if old else None,
                    "after": new[0] if new else None,
                    "claim_id": new[1] if new else None,
                },
            )
        )
    return {"cells": after}, changes


def _max_id(session: Session, column: Any) -> int:
    return int(session.scalar(select(func.max(column))) or 0)


def detect_search(
    session: Session, filters: dict[str, Any], state: State, today: dt.date
) -> tuple[State, list[Change]]:
    """Find claims added since the last run that match the saved search."""
    after = int(state.get("after", 0))
    newest = _max_id(session, Claim.id)
    changes: list[Change] = []
    offset = 0
    while newest > after:
        f = SearchFilter(
            query=filters["query"],
            scope="claims",
            issue=filters.get("issue"),
            holder=filters.get("holder"),
            kind=filters.get("kind"),
            after_claim=after,
            limit=200,
            offset=offset,
        )
        result = search(session, f)
        for hit in result.hits:
            if hit.id > newest:
                continue  # added after this run began: the next run takes it
            claim = hit.claim or {}
            what = "/".join(
                str(claim.get(k)) for k in ("kind", "issue_id", "holder_id") if claim.get(k)
            )
            changes.append(
                Change(
                    key=f"search:claim:{hit.id}",
                    title=f"new claim matches {filters['query']!r}: {what}",
                    detail={"claim_id": hit.id, "source_id": hit.source_id, "title": hit.title},
                )
            )
        offset += len(result.hits)
        if not result.hits or offset >= result.total:
            break
    changes.sort(key=lambda c: c.detail["claim_id"])
    return {"after": max(after, newest)}, changes


def detect_zone(
    session: Session, filters: dict[str, Any], state: State, today: dt.date
) -> tuple[State, list[Change]]:
    """Find incidents newly found in the zone (or any zone) since the last run.

    Zone hits are recomputed by ``accord incidents check`` (all rows replaced), so they are
    compared by what they are (incident and zone), never by row ids.
    """
    seen = set(state.get("seen", []))
    query = (
        select(ZoneHit.incident_id, ZoneHit.zone_id, Incident.type, Incident.occurred_at)
        .join(Incident, Incident.id == ZoneHit.incident_id)
        .order_by(ZoneHit.incident_id, ZoneHit.zone_id)
    )
    if filters.get("zone"):
        query = query.where(ZoneHit.zone_id == filters["zone"])
    changes = []
    for incident, zone, kind, when in session.execute(query):
        key = f"{incident}:{zone}"
        if key in seen:
            continue
        seen.add(key)
        changes.append(
            Change(
                key=f"zone:{key}",
                title=f"incident {incident} ({kind}) in zone {zone}",
                detail={"incident_id": incident, "zone": zone, "type": kind, "occurred_at": when},
            )
        )
    return {"seen": sorted(seen)}, changes


def detect_violation(
    session: Session, filters: dict[str, Any], state: State, today: dt.date
) -> tuple[State, list[Change]]:
    """Find violation candidates (incident, ceasefire, rule, zone) not seen before."""
    seen = set(state.get("seen", []))
    query = select(ViolationCandidate).order_by(
        ViolationCandidate.incident_id, ViolationCandidate.id
    )
    if filters.get("zone"):
        query = query.where(ViolationCandidate.zone_id == filters["zone"])
    changes = []
    for v in session.scalars(query):
        key = f"{v.incident_id}:{v.ceasefire_id}:{v.rule_id}:{v.zone_id or ''}"
        if key in seen:
            continue
        seen.add(key)
        changes.append(
            Change(
                key=f"violation:{key}",
                title=f"violation candidate: incident {v.incident_id} ({v.rule_id})",
                detail={
                    "incident_id": v.incident_id,
                    "ceasefire": v.ceasefire_id,
                    "rule": v.rule_id,
                    "zone": v.zone_id,
                    "description": v.description,
                },
            )
        )
    return {"seen": sorted(seen)}, changes


def detect_ruling(
    session: Session, filters: dict[str, Any], state: State, today: dt.date
) -> tuple[State, list[Change]]:
    """Find council rulings whose publication date has come since the last run."""
    seen = set(state.get("seen", []))
    published = list(
        session.scalars(select(Ruling).where(Ruling.published_on <= today).order_by(Ruling.id))
    )
    changes = [
        Change(
            key=f"ruling:{r.id}",
            title=f"council ruling on incident {r.incident_id}: {r.outcome}",
            detail={
                "ruling_id": r.id,
                "incident_id": r.incident_id,
                "outcome": r.outcome,
                "party": r.attributed_party,
                "published_on": r.published_on,
            },
        )
        for r in published
        if r.id not in seen
    ]
    return {"seen": sorted(seen | {r.id for r in published})}, changes


def deadline_marks(session: Session, filters: dict[str, Any], today: dt.date) -> list[Change]:
    """Return every 'due' and 'missed' mark of signed drafts' provisions as of a day."""
    query = select(Draft.id).where(Draft.signed_on.is_not(None)).order_by(Draft.id)
    if filters.get("draft"):
        query = query.where(Draft.id == filters["draft"])
    marks = []
    for draft_id in session.scalars(query):
        status = implementation.draft_status(session, draft_id, today)
        for p in status.provisions:
            if p.due is None or p.due > today or p.level >= 3:
                continue
            what = "missed" if p.overdue else "due"
            marks.append(
                Change(
                    key=f"deadline:{p.id}:{what}:{p.due}",
                    title=f"{draft_id} provision {p.number}: deadline {p.due} {what}",
                    detail={
                        "draft": draft_id,
                        "provision": p.number,
                        "title": p.title,
                        "due": p.due,
                        "level": p.level,
                        "state": what,
                    },
                )
            )
    return marks


def detect_deadline(
    session: Session, filters: dict[str, Any], state: State, today: dt.date
) -> tuple[State, list[Change]]:
    """Find implementation deadlines that came due or were missed since the last run."""
    seen = set(state.get("seen", []))
    marks = deadline_marks(session, filters, today)
    fresh = [m for m in marks if m.key not in seen]
    return {"seen": sorted(seen | {m.key for m in marks})}, fresh


DETECTORS: dict[str, Detector] = {
    "board": detect_board,
    "search": detect_search,
    "zone": detect_zone,
    "violation": detect_violation,
    "ruling": detect_ruling,
    "deadline": detect_deadline,
}
