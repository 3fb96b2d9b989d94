"""Link provisions to the talks: the board's current stances on each provision's issues."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlalchemy.orm import Session

from accord.agreements.service import get_draft
from accord.negotiation import service as negotiation
from accord.sources import service as sources


class ProvisionView(BaseModel):
    """A provision with the parties' current stances and statuses on its issues."""

    id: int
    number: str
    title: str
    summary: str
    issues: list[str]
    obligated: list[str]
    deadline: str | None
    targets: list[dict[str, object]]
    stances: dict[str, dict[str, str]]
    statuses: dict[str, str | None]


class DraftView(BaseModel):
    """A draft with its provisions linked to the board."""

    id: str
    agreement: str
    label: str
    date: dt.date
    origin: str | None
    note: str | None
    signed_on: dt.date | None
    provisions: list[ProvisionView]


def draft_view(session: Session, draft_id: str, as_of: dt.date | None = None) -> DraftView:
    """Return a draft whose provisions show the board's stances and statuses on their issues."""
    draft = get_draft(session, draft_id)
    board = negotiation.board(session, as_of=as_of) if _has_sources(session) else None
    rows = {r.issue: r for r in board.rows} if board else {}
    provisions = []
    for p in draft.provisions:
        stances = {
            issue: {party: cell.stance for party, cell in rows[issue].cells.items() if cell}
            for issue in p.issues
            if issue in rows
        }
        statuses = {issue: rows[issue].status for issue in p.issues if issue in rows}
        provisions.append(
            ProvisionView(
                id=p.id,
                number=p.number,
                title=p.title,
                summary=p.summary,
                issues=list(p.issues),
                obligated=list(p.obligated),
                deadline=p.deadline,
                targets=list(p.targets),
                stances=stances,
                statuses=statuses,
            )
        )
    return DraftView(
        id=draft.id,
        agreement=draft.agreement_id,
        label=draft.label,
        date=draft.date,
        origin=draft.origin,
        note=draft.note,
        signed_on=draft.signed_on,
        provisions=provisions,
    )


def _has_sources(session: Session) -> bool:
    return sources.count(session) > 0
