"""Issues: replace a pack's issues and list them."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.errors import NotFound
from accord.issues.models import Issue
from accord.packs.schemas import IssueSpec


def replace_for_pack(session: Session, pack_id: str, specs: list[IssueSpec]) -> int:
    """Upsert the pack's issues (parents after children are created); return the count."""
    existing = {i.id: i for i in session.scalars(select(Issue))}
    for spec in specs:
        issue = existing.get(spec.id)
        if issue is None:
            issue = Issue(id=spec.id)
            session.add(issue)
            existing[spec.id] = issue
        issue.name = spec.name
        issue.description = spec.description
        issue.keywords = list(spec.keywords)
        issue.scale = (
            {"anchors": {str(k): v for k, v in spec.scale.anchors.items()}} if spec.scale else None
        )
        issue.pack_id = pack_id
        issue.parent_id = None
    session.flush()
    for spec in specs:
        existing[spec.id].parent_id = spec.parent
    session.flush()
    return len(specs)


def list_issues(session: Session) -> list[Issue]:
    """Return every issue, by id."""
    return list(session.scalars(select(Issue).order_by(Issue.id)))


def get(session: Session, issue_id: str) -> Issue:
    """Return one issue or raise NotFound."""
    issue = session.get(Issue, issue_id)
    if issue is None:
        raise NotFound(f"issue {issue_id!r} does not exist")
    return issue


def count(session: Session) -> int:
    """Return the number of issues."""
    return int(session.scalar(select(func.count()).select_from(Issue)) or 0)
