"""What changed on the board between two dates: cells and statuses, with the claims behind them."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlalchemy.orm import Session

from accord.errors import InvalidInput
from accord.negotiation import queries, service
from accord.negotiation.schemas import Board


class Side(BaseModel):
    """A cell or status on one of the two dates."""

    value: str
    claim_id: int
    date: dt.date | None


class Change(BaseModel):
    """One cell (a party's stance) or status (an issue's, or a holder's) that differs."""

    issue: str
    what: str  # "stance", "status" (the reconciled one) or "holder status"
    party: str | None
    before: Side | None
    after: Side | None


class BoardDiff(BaseModel):
    """The changes between two dates, issue by issue."""

    start: dt.date
    end: dt.date
    changes: list[Change]


def _cells(board: Board) -> dict[tuple[str, str, str | None], Side]:
    out: dict[tuple[str, str, str | None], Side] = {}
    for row in board.rows:
        for party, cell in row.cells.items():
            if cell is not None:
                out[(row.issue, "stance", party)] = Side(
                    value=cell.stance, claim_id=cell.claim_id, date=cell.date
                )
        for s in row.statuses:
            value = s.status + (f" {s.progress_pct}%" if s.progress_pct else "")
            out[(row.issue, "holder status", s.holder)] = Side(
                value=value, claim_id=s.claim_id, date=s.date
            )
        if row.status and row.statuses:
            latest = max(row.statuses, key=lambda s: (s.date or dt.date.min, s.claim_id))
            out[(row.issue, "status", None)] = Side(
                value=row.status, claim_id=latest.claim_id, date=latest.date
            )
    return out


def board_diff(session: Session, start: dt.date, end: dt.date) -> BoardDiff:
    """Return every stance and status that differs between the boards of two dates."""
    if end < start:
        raise InvalidInput(f"--to {end} is before --from {start}")
    first = queries.first_publication(session)
    # before the first source the board is empty: everything on it then is a change
    empty = first is None or start < first
    before = {} if empty else _cells(service.board(session, as_of=start))
    after = _cells(service.board(session, as_of=end))
    changes = []
    for key in sorted(before.keys() | after.keys(), key=lambda k: (k[0], k[1], k[2] or "")):
        old, new = before.get(key), after.get(key)
        if old is not None and new is not None and old.value == new.value:
            continue
        issue, what, party = key
        changes.append(Change(issue=issue, what=what, party=party, before=old, after=new))
    return BoardDiff(start=start, end=end, changes=changes)
