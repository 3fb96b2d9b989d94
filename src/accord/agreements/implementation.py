"""Implementation of a signed draft: PAM levels per provision, indicators, and roll-ups.

Peace Accords Matrix scale: 0 not initiated, 1 minimal, 2 intermediate, 3 full. A provision's
level on a date is its latest record on or before that date (0 without one). Roll-ups are
PAM-style percentages: the sum of levels over three times the number of provisions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.agreements.deadlines import parse_deadline
from accord.agreements.models import INDICATOR_KINDS, PAM_LEVELS, ImplementationRecord, Indicator
from accord.agreements.service import get_draft, get_provision
from accord.audit import service as audit
from accord.claims.models import Claim
from accord.errors import Conflict, InvalidInput
from accord.sources.models import Source


class PrisonerExchange(BaseModel):
    """Numbers released by each side in one exchange, and who mediated it."""

    released_by: dict[str, int] = Field(min_length=1)
    mediator: str | None = None


class Funds(BaseModel):
    """Money pledged and disbursed by a donor."""

    donor: str
    pledged: float = Field(ge=0)
    disbursed: float = Field(default=0, ge=0)
    currency: str = "USD"


class Guarantee(BaseModel):
    """A security-guarantee commitment by a guarantor."""

    guarantor: str
    commitment: str


INDICATOR_SHAPES: dict[str, type[BaseModel]] = {
    "prisoner_exchange": PrisonerExchange,
    "funds": Funds,
    "guarantee": Guarantee,
}


def _check_evidence(session: Session, source_id: int | None, claim_id: int | None) -> None:
    if source_id is not None and session.get(Source, source_id) is None:
        raise InvalidInput(f"--source: evidence source {source_id} does not exist")
    if claim_id is not None and session.get(Claim, claim_id) is None:
        raise InvalidInput(f"--claim: evidence claim {claim_id} does not exist")


def record(
    session: Session,
    provision_id: int,
    level: int,
    on: dt.date,
    *,
    by: str,
    source_id: int | None = None,
    claim_id: int | None = None,
    note: str | None = None,
) -> ImplementationRecord:
    """Record a provision's implementation level on a date, with its evidence."""
    if level not in PAM_LEVELS:
        raise InvalidInput(f"--level: {level} is outside the PAM scale 0-3")
    provision = get_provision(session, provision_id)
    draft = provision.draft
    if draft.signed_on is None:
        raise Conflict(f"draft {draft.id!r} is not signed: sign it before recording implementation")
    if on < draft.signed_on:
        raise InvalidInput(f"--date {on} is before the signing ({draft.signed_on})")
    _check_evidence(session, source_id, claim_id)
    row = ImplementationRecord(
        provision_id=provision.id,
        level=level,
        recorded_on=on,
        source_id=source_id,
        claim_id=claim_id,
        note=note,
        created_by=by,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        by=by,
        action="implementation.record",
        entity="provision",
        entity_id=provision.id,
        payload={
            "record": row.id,
            "level": level,
            "on": on.isoformat(),
            "source": source_id,
            "claim": claim_id,
        },
    )
    return row


def add_indicator(
    session: Session,
    draft_id: str,
    kind: str,
    on: dt.date,
    data: dict[str, Any],
    *,
    by: str,
    source_id: int | None = None,
) -> Indicator:
    """Record a quantitative indicator (prisoner exchange, funds, guarantee) of a signed draft."""
    if kind not in INDICATOR_KINDS:
        raise InvalidInput(f"--kind: unknown indicator {kind!r} (use {', '.join(INDICATOR_KINDS)})")
    draft = get_draft(session, draft_id)
    if draft.signed_on is None:
        raise Conflict(f"draft {draft_id!r} is not signed: sign it before recording indicators")
    try:
        shaped = INDICATOR_SHAPES[kind].model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "(data)"
        raise InvalidInput(f"{kind} field {field!r}: {first['msg']}") from exc
    _check_evidence(session, source_id, None)
    row = Indicator(
        draft_id=draft.id,
        kind=kind,
        date=on,
        data=shaped.model_dump(),
        source_id=source_id,
        created_by=by,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        by=by,
        action="indicator.add",
        entity="draft",
        entity_id=draft.id,
        payload={"indicator": row.id, "kind": kind, "data": row.data},
    )
    return row


class ProvisionStatus(BaseModel):
    """A provision's implementation as of a date."""

    id: int
    number: str
    title: str
    issues: list[str]
    level: int
    level_name: str
    due: dt.date | None
    overdue: bool


class Rollup(BaseModel):
    """PAM-style roll-up: levels summed over the maximum (3 per provision)."""

    provisions: int
    points: int
    percent: float


class DraftStatus(BaseModel):
    """Implementation status of a signed draft."""

    draft: str
    signed_on: dt.date
    as_of: dt.date
    provisions: list[ProvisionStatus]
    overall: Rollup
    by_issue: dict[str, Rollup]
    indicators: dict[str, Any]


def rollup(levels: list[int]) -> Rollup:
    """Return the PAM roll-up of a list of levels."""
    points = sum(levels)
    percent = round(100.0 * points / (3 * len(levels)), 1) if levels else 0.0
    return Rollup(provisions=len(levels), points=points, percent=percent)


def _levels(session: Session, provision_ids: list[int], as_of: dt.date) -> dict[int, int]:
    rows = session.scalars(
        select(ImplementationRecord)
        .where(ImplementationRecord.provision_id.in_(provision_ids))
        .where(ImplementationRecord.recorded_on <= as_of)
        .order_by(ImplementationRecord.recorded_on, ImplementationRecord.id)
    )
    latest: dict[int, int] = {}
    for row in rows:
        latest[row.provision_id] = row.level
    return latest


def indicator_summary(session: Session, draft_id: str, as_of: dt.date) -> dict[str, Any]:
    """Return totals: prisoners released by side, funds by donor, guarantees by guarantor."""
    released: dict[str, int] = {}
    funds: dict[str, dict[str, float]] = {}
    guarantees: dict[str, list[str]] = {}
    exchanges = 0
    for row in session.scalars(
        select(Indicator)
        .where(Indicator.draft_id == draft_id, Indicator.date <= as_of)
        .order_by(Indicator.date, Indicator.id)
    ):
        if row.kind == "prisoner_exchange":
            exchanges += 1
            for side, number in row.data["released_by"].items():
                released[side] = released.get(side, 0) + int(number)
        elif row.kind == "funds":
            entry = funds.setdefault(row.data["donor"], {"pledged": 0.0, "disbursed": 0.0})
            entry["pledged"] += row.data["pledged"]
            entry["disbursed"] += row.data["disbursed"]
        else:
            guarantees.setdefault(row.data["guarantor"], []).append(row.data["commitment"])
    return {
        "prisoner_exchanges": exchanges,
        "prisoners_released_by": released,
        "funds_by_donor": funds,
        "guarantees_by_guarantor": guarantees,
    }


def draft_status(session: Session, draft_id: str, as_of: dt.date | None = None) -> DraftStatus:
    """Return each provision's level, overdue deadlines and the roll-ups, as of a date."""
    draft = get_draft(session, draft_id)
    if draft.signed_on is None:
        raise Conflict(f"draft {draft_id!r} is not signed: there is no implementation to report")
    as_of = as_of or dt.date.today()
    levels = _levels(session, [p.id for p in draft.provisions], as_of)
    provisions = []
    for p in draft.provisions:
        level = levels.get(p.id, 0)
        due = parse_deadline(p.deadline).due(draft.signed_on) if p.deadline else None
        provisions.append(
            ProvisionStatus(
                id=p.id,
                number=p.number,
                title=p.title,
                issues=list(p.issues),
                level=level,
                level_name=PAM_LEVELS[level],
                due=due,
                overdue=due is not None and due < as_of and level < 3,
            )
        )
    issues = sorted({i for p in provisions for i in p.issues})
    return DraftStatus(
        draft=draft.id,
        signed_on=draft.signed_on,
        as_of=as_of,
        provisions=provisions,
        overall=rollup([p.level for p in provisions]),
        by_issue={i: rollup([p.level for p in provisions if i in p.issues]) for i in issues},
        indicators=indicator_summary(session, draft.id, as_of),
    )
