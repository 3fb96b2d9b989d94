"""Word-level differences between two provision texts, and a draft's page with them."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.agreements import diff as diffing
from accord.agreements import implementation, links
from accord.agreements.models import Draft, Provision
from accord.agreements.service import get_draft

_TOKEN = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[dict[str, str]]:
    """Return the new text as runs marked ``same``, ``added`` or ``removed`` (words kept whole)."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    runs: list[dict[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            runs.append({"op": "same", "text": "".join(a[i1:i2])})
            continue
        if op in ("delete", "replace"):
            runs.append({"op": "removed", "text": "".join(a[i1:i2])})
        if op in ("insert", "replace"):
            runs.append({"op": "added", "text": "".join(b[j1:j2])})
    return runs


def previous_draft(session: Session, draft: Draft) -> Draft | None:
    """Return the draft of the same agreement dated just before this one, if any."""
    return session.scalars(
        select(Draft)
        .where(Draft.agreement_id == draft.agreement_id, Draft.date < draft.date)
        .order_by(Draft.date.desc(), Draft.id)
        .limit(1)
    ).first()


def _text(p: Provision) -> str:
    return f"{p.title}. {p.summary}".strip()


def draft_page(session: Session, draft_id: str, as_of: dt.date | None = None) -> dict[str, Any]:
    """Return a draft with its provisions, its implementation and what changed since the last."""
    draft = get_draft(session, draft_id)
    view = links.draft_view(session, draft_id, as_of)
    status = implementation.draft_status(session, draft_id, as_of) if draft.signed_on else None
    indicators = (
        implementation.indicator_summary(session, draft_id, as_of or dt.date.today())
        if draft.signed_on
        else None
    )
    before = previous_draft(session, draft)
    changes: dict[int, dict[str, Any]] = {}
    added: list[int] = []
    if before is not None:
        result = diffing.diff_drafts(session, before.id, draft.id)
        texts = {p.id: p for p in [*before.provisions, *draft.provisions]}
        for change in result.changed:
            changes[change.new.id] = {
                "old": change.old,
                "words": word_diff(_text(texts[change.old.id]), _text(texts[change.new.id])),
                "figures": change.figures,
            }
        added = [p.id for p in result.added]
    return {
        "draft": view,
        "status": status,
        "indicators": indicators,
        "previous": before.id if before else None,
        "changes": changes,
        "added": added,
    }
