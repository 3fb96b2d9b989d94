"""Zones, rulings, drafts, provisions, implementation, indicators and sources as export rows.

These tables are small beside incidents, so each is read in one query and yielded as one batch
(sources in batches, since their text can be large).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from accord.agreements.models import (
    PAM_LEVELS,
    Agreement,
    Draft,
    ImplementationRecord,
    Indicator,
    Provision,
)
from accord.council.models import Ruling
from accord.exports import fields
from accord.exports.query import Batch, ExportQuery, columns_of
from accord.incidents.models import ZoneHit
from accord.sources.models import Source
from accord.zones.models import Zone

SOURCE_BATCH = 500


def _names(table: tuple[fields.Field, ...]) -> list[str]:
    return [f.name for f in table]


def _json(value: Any) -> str | None:
    return (
        None if value in (None, [], {}) else json.dumps(value, sort_keys=True, ensure_ascii=False)
    )


def zones(session: Session, query: ExportQuery) -> Iterator[Batch]:
    """Yield zones (those in force at some time in the asked dates) with their WKB geometry."""
    statement = select(Zone).order_by(Zone.id)
    if query.zone:
        statement = statement.where(Zone.id == query.zone)
    if query.pack:
        statement = statement.where(Zone.pack_id == query.pack)
    rows = []
    for zone in session.scalars(statement):
        if query.end and zone.valid_from and zone.valid_from > query.end:
            continue
        if query.start and zone.valid_to and zone.valid_to < query.start:
            continue
        rows.append(
            {
                **{name: getattr(zone, name) for name in _names(fields.ZONES)},
                "rules": _json(zone.rules),
                "derived_from": _json(zone.derived_from),
                "geometry": zone.geometry_wkb,
            }
        )
    yield columns_of(rows, [*_names(fields.ZONES), "geometry"])


def _ruling_filter(statement: Select[Any], query: ExportQuery) -> Select[Any]:
    if query.start:
        statement = statement.where(Ruling.published_on >= query.start)
    if query.end:
        statement = statement.where(Ruling.published_on <= query.end)
    if query.status:
        statement = statement.where(Ruling.outcome == query.status)
    if query.pack:
        statement = statement.where(Ruling.pack_id == query.pack)
    if query.zone:
        statement = statement.where(
            Ruling.incident_id.in_(select(ZoneHit.incident_id).where(ZoneHit.zone_id == query.zone))
        )
    return statement


def rulings(session: Session, query: ExportQuery) -> Iterator[Batch]:
    """Yield the council's rulings with each member's vote and the tallies."""
    statement = _ruling_filter(select(Ruling).order_by(Ruling.published_on, Ruling.id), query)
    rows = []
    for ruling in session.scalars(statement):
        votes = ruling.votes or {}
        tally = {
            v: sum(1 for cast in votes.values() if cast == v) for v in ("yes", "no", "abstain")
        }
        rows.append(
            {
                "id": ruling.id,
                "incident_id": ruling.incident_id,
                "outcome": ruling.outcome,
                "attributed_party": ruling.attributed_party,
                **{f"votes_{k}": n for k, n in tally.items()},
                "votes": _json(votes),
                "published_on": ruling.published_on,
                "reasoning": ruling.reasoning,
            }
        )
    yield columns_of(rows, _names(fields.RULINGS))


def _drafts(session: Session, query: ExportQuery) -> list[Draft]:
    statement = select(Draft).join(Agreement).order_by(Draft.date, Draft.id)
    if query.pack:
        statement = statement.where(Agreement.pack_id == query.pack)
    return [d for d in session.scalars(statement) if query.in_dates(d.date)]


def drafts(session: Session, query: ExportQuery) -> Iterator[Batch]:
    """Yield agreement drafts with their provision count and the issues they cover."""
    rows = []
    for draft in _drafts(session, query):
        issues = sorted({i for p in draft.provisions for i in p.issues or []})
        rows.append(
            {
                "id": draft.id,
                "agreement_id": draft.agreement_id,
                "agreement_name": draft.agreement.name,
                "pack_id": draft.agreement.pack_id,
                "label": draft.label,
                "date": draft.date,
                "origin": draft.origin,
                "signed_on": draft.signed_on,
                "provisions": len(draft.provisions),
                "issues": "; ".join(issues) or None,
            }
        )
    yield columns_of(rows, _names(fields.DRAFTS))


def provisions(session: Session, query: ExportQuery) -> Iterator[Batch]:
    """Yield the provisions of the drafts, with issues, obligated parties and deadlines."""
    rows = []
    for draft in _drafts(session, query):
        for p in draft.provisions:
            rows.append(
                {
                    **{name: getattr(p, name) for name in _names(fields.PROVISIONS)},
                    "issues": "; ".join(p.issues or []) or None,
                    "obligated": "; ".join(p.obligated or []) or None,
                }
            )
    yield columns_of(rows, _names(fields.PROVISIONS))


def implementation(session: Session, query: ExportQuery) -> Iterator[Batch]:
    """Yield one row per provision and date with its PAM level and evidence (PAM long format)."""
    statement = (
        select(ImplementationRecord, Provision)
        .join(Provision, Provision.id == ImplementationRecord.provision_id)
        .join(Draft, Draft.id == Provision.draft_id)
        .join(Agreement, Agreement.id == Draft.agreement_id)
        .order_by(Provision.draft_id, Provision.position, ImplementationRecord.recorded_on)
        .order_by(ImplementationRecord.id)
    )
    if query.pack:
        statement = statement.where(Agreement.pack_id == query.pack)
    if query.start:
        statement = statement.where(ImplementationRecord.recorded_on >= query.start)
    if query.end:
        statement = statement.where(ImplementationRecord.recorded_on <= query.end)
    rows = [
        {
            "provision_id": p.id,
            "draft_id": p.draft_id,
            "provision_number": p.number,
            "date": r.recorded_on,
            "level": r.level,
            "level_label": PAM_LEVELS.get(r.level),
            "source_id": r.source_id,
            "claim_id": r.claim_id,
            "note": r.note,
            "recorded_by": r.created_by,
        }
        for r, p in session.execute(statement).all()
    ]
    yield columns_of(rows, _names(fields.IMPLEMENTATION))


def indicators(session: Session, query: ExportQuery) -> Iterator[Batch]:
    """Yield the quantitative indicators of signed drafts."""
    statement = (
        select(Indicator)
        .join(Draft, Draft.id == Indicator.draft_id)
        .join(Agreement, Agreement.id == Draft.agreement_id)
        .order_by(Indicator.date, Indicator.id)
    )
    if query.pack:
        statement = statement.where(Agreement.pack_id == query.pack)
    if query.start:
        statement = statement.where(Indicator.date >= query.start)
    if query.end:
        statement = statement.where(Indicator.date <= query.end)
    rows = [
        {
            "id": i.id,
            "draft_id": i.draft_id,
            "kind": i.kind,
            "date": i.date,
            "data": _json(i.data),
            "source_id": i.source_id,
        }
        for i in session.scalars(statement)
    ]
    yield columns_of(rows, _names(fields.INDICATORS))


def source_fields(query: ExportQuery) -> tuple[fields.Field, ...]:
    """Return the columns of the sources export (the text only when asked for and allowed)."""
    return (*fields.SOURCES, fields.SOURCE_TEXT) if query.with_text else fields.SOURCES


def sources(session: Session, query: ExportQuery) -> Iterator[Batch]:
    """Yield source metadata (and text when asked for), in batches."""
    names = _names(source_fields(query))
    columns = [getattr(Source, name) for name in names]
    statement = select(*columns).order_by(Source.id)
    if query.start:
        statement = statement.where(Source.published_at >= query.start)
    if query.end:
        statement = statement.where(Source.published_at <= query.end)
    last = 0
    while True:
        rows = session.execute(statement.where(Source.id > last).limit(SOURCE_BATCH)).fetchall()
        if not rows:
            return
        last = rows[-1].id
        yield {name: [getattr(row, name) for row in rows] for name in names}
