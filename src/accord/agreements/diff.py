"""Align the provisions of two drafts and report what was added, removed and changed.

Alignment scores every pair by text similarity of title and summary (rapidfuzz's
``token_set_ratio``) plus a bonus when they share an issue, then matches pairs greedily from the
best score down; pairs under the threshold stay unmatched (removed / added).
"""

from __future__ import annotations

from pydantic import BaseModel
from rapidfuzz import fuzz
from sqlalchemy.orm import Session

from accord.agreements.deadlines import parse_deadline
from accord.agreements.models import Provision
from accord.agreements.service import get_draft
from accord.errors import InvalidInput

ISSUE_BONUS = 25.0
MATCH_THRESHOLD = 60.0
SAME_TEXT = 92.0


class FigureChange(BaseModel):
    """A changed number or deadline between two aligned provisions."""

    what: str
    old: str | None
    new: str | None


class ProvisionRef(BaseModel):
    """A provision as named in a diff."""

    id: int
    number: str
    title: str
    issues: list[str]


class ProvisionChange(BaseModel):
    """Two aligned provisions and how they differ."""

    old: ProvisionRef
    new: ProvisionRef
    similarity: float
    text_changed: bool
    figures: list[FigureChange]


class DraftDiff(BaseModel):
    """The whole diff of two drafts."""

    old: str
    new: str
    added: list[ProvisionRef]
    removed: list[ProvisionRef]
    changed: list[ProvisionChange]
    unchanged: list[ProvisionChange]


def _ref(p: Provision) -> ProvisionRef:
    return ProvisionRef(id=p.id, number=p.number, title=p.title, issues=list(p.issues))


def _text(p: Provision) -> str:
    return f"{p.title}. {p.summary}"


def _score(a: Provision, b: Provision) -> float:
    similarity = float(fuzz.token_set_ratio(_text(a), _text(b)))
    title = float(fuzz.token_set_ratio(a.title, b.title))
    bonus = ISSUE_BONUS if set(a.issues) & set(b.issues) else 0.0
    return max(similarity, title) * 0.75 + bonus


def _format_number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def figure_changes(old: Provision, new: Provision) -> list[FigureChange]:
    """Return changed targets (by indicator) and a changed deadline rule."""
    changes = []
    before = {t["indicator"]: t for t in old.targets}
    after = {t["indicator"]: t for t in new.targets}
    for indicator in sorted(set(before) | set(after)):
        a, b = before.get(indicator), after.get(indicator)
        if a is None or b is None or a["value"] != b["value"]:
            changes.append(
                FigureChange(
                    what=indicator,
                    old=_format_number(a["value"]) if a else None,
                    new=_format_number(b["value"]) if b else None,
                )
            )
    if old.deadline != new.deadline:
        changes.append(
            FigureChange(
                what="deadline",
                old=parse_deadline(old.deadline).describe() if old.deadline else None,
                new=parse_deadline(new.deadline).describe() if new.deadline else None,
            )
        )
    return changes


def diff_drafts(session: Session, old_id: str, new_id: str) -> DraftDiff:
    """Compare two drafts of the same or different agreements."""
    if old_id == new_id:
        raise InvalidInput(f"cannot diff draft {old_id!r} with itself: name two different drafts")
    old, new = get_draft(session, old_id), get_draft(session, new_id)
    pairs = sorted(
        ((_score(a, b), a, b) for a in old.provisions for b in new.provisions),
        key=lambda t: (-t[0], t[1].position, t[2].position),
    )
    matched_old: set[int] = set()
    matched_new: set[int] = set()
    changed: list[ProvisionChange] = []
    unchanged: list[ProvisionChange] = []
    for score, a, b in pairs:
        if score < MATCH_THRESHOLD or a.id in matched_old or b.id in matched_new:
            continue
        matched_old.add(a.id)
        matched_new.add(b.id)
        similarity = float(fuzz.token_set_ratio(_text(a), _text(b)))
        figures = figure_changes(a, b)
        change = ProvisionChange(
            old=_ref(a),
            new=_ref(b),
            similarity=round(similarity, 1),
            text_changed=similarity < SAME_TEXT,
            figures=figures,
        )
        (changed if figures or change.text_changed else unchanged).append(change)
    changed.sort(key=lambda c: c.old.id)
    unchanged.sort(key=lambda c: c.old.id)
    return DraftDiff(
        old=old_id,
        new=new_id,
        added=[_ref(p) for p in new.provisions if p.id not in matched_new],
        removed=[_ref(p) for p in old.provisions if p.id not in matched_old],
        changed=changed,
        unchanged=unchanged,
    )
