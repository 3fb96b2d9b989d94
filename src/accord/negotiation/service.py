"""Build the board: per issue the parties' current stances and the reconciled status.

Rules (also in the README):
1. Only active claims count: rejected claims are ignored, corrected ones are replaced by their
   correction.
2. A claim counts from its own date, else its source's publication date; with ``as_of`` only
   sources published on or before that date count, and sources without a publication date
   never count (``undated_sources`` says how many are left out) until they are dated.
3. A party's cell is its latest position or proposal on the issue (later date wins; on the same
   date the later-published source, then the later claim); ``sources`` counts the independent
   reports in which the party takes that same stance: copies of one story (syndicated,
   near-duplicate, or one article under several URLs; see ``accord.feeds.stories``) count once.
   ``copies`` counts the distinct sources.
4. Each holder's status is its latest status claim on the issue.
5. The issue's status is the holders' common status when they agree, ``contested`` when their
   latest statuses differ, and none when no one has assessed it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from accord.errors import InvalidInput
from accord.feeds import service as feeds
from accord.issues import service as issues
from accord.negotiation.queries import Row, active_claims, effective_date, first_publication
from accord.negotiation.schemas import Board, BoardRow, Cell, HolderStatus
from accord.packs import service as packs
from accord.packs.models import Pack
from accord.sources import dating

CONTESTED = "contested"


def check_as_of(session: Session, as_of: dt.date) -> None:
    """Refuse an as-of date before the first source: the board would be empty by construction."""
    first = first_publication(session)
    if first is not None and as_of < first:
        raise InvalidInput(f"--as-of {as_of} is before the first source ({first})")


def _cell(rows: list[Row], party: str, story: dict[int, int]) -> Cell | None:
    stances = [r for r in rows if r[0].holder_id == party and r[0].kind in ("position", "proposal")]
    if not stances:
        return None
    latest = stances[-1][0]
    sources = {r[0].source_id for r in stances if r[0].stance == latest.stance}
    return Cell(
        stance=latest.stance or "",
        date=effective_date(latest, stances[-1][1]),
        sources=len({story.get(s, s) for s in sources}),
        copies=len(sources),
        claim_id=latest.id,
    )


def _statuses(rows: list[Row]) -> list[HolderStatus]:
    latest: dict[str, HolderStatus] = {}
    for claim, published, _title in rows:
        if claim.kind == "status" and claim.holder_id and claim.status:
            latest[claim.holder_id] = HolderStatus(
                holder=claim.holder_id,
                status=claim.status,
                progress_pct=claim.progress_pct,
                date=effective_date(claim, published),
                claim_id=claim.id,
            )
    return sorted(latest.values(), key=lambda s: s.holder)


def reconcile(statuses: list[HolderStatus]) -> str | None:
    """Return the issue's status from each holder's latest one (rule 5)."""
    values = {s.status for s in statuses}
    if not values:
        return None
    return values.pop() if len(values) == 1 else CONTESTED


def board(session: Session, *, as_of: dt.date | None = None, pack: str | None = None) -> Board:
    """Return one pack's board as of a date (default today; default pack: see packs.current)."""
    as_of = as_of or dt.date.today()
    check_as_of(session, as_of)
    selected = packs.resolve(session, pack)
    parties = list(selected.main_parties) if selected is not None else []
    claims = active_claims(
        session,
        as_of=as_of,
        kinds=("position", "proposal", "status"),
        pack_id=selected.id if selected is not None else None,
    )
    story = feeds.stories_of(session, [row[0].source_id for row in claims])
    by_issue: dict[str, list[Row]] = {}
    for row in claims:
        if row[0].issue_id:
            by_issue.setdefault(row[0].issue_id, []).append(row)
    rows = []
    for issue_id, name in _top_issues(session, selected):
        issue_rows = by_issue.get(issue_id, [])
        statuses = _statuses(issue_rows)
        rows.append(
            BoardRow(
                issue=issue_id,
                name=name,
                status=reconcile(statuses),
                statuses=statuses,
                cells={party: _cell(issue_rows, party, story) for party in parties},
            )
        )
    return Board(
        as_of=as_of,
        pack=selected.id if selected is not None else None,
        parties=parties,
        rows=rows,
        undated_sources=dating.count_undated(session),
    )


def _top_issues(session: Session, pack: Pack | None) -> list[tuple[str, str]]:
    """Return (id, name) of the pack's top-level issues, by id; sub-issues roll up into them.

    Issue ids may be shared by packs, so the tree is read from the pack's own files.
    """
    if pack is None:
        return [(i.id, i.name) for i in issues.list_issues(session) if i.parent_id is None]
    spec = packs.spec(pack)
    return sorted((i.id, i.name) for i in spec.issues if i.parent is None)
