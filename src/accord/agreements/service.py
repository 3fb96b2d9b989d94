"""Load agreements from a pack, list and show drafts, and sign a draft (audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from accord.agreements.models import Agreement, Draft, Provision
from accord.agreements.specs import AgreementSpec
from accord.audit import service as audit
from accord.errors import Conflict, InvalidInput, NotFound


def replace_for_pack(session: Session, pack_id: str, specs: list[AgreementSpec]) -> int:
    """Upsert the pack's agreements and drafts; provisions of signed drafts are kept as they are."""
    drafts = 0
    for spec in specs:
        agreement = session.get(Agreement, spec.id) or Agreement(id=spec.id)
        agreement.name, agreement.description, agreement.pack_id = (
            spec.name,
            spec.description,
            pack_id,
        )
        session.add(agreement)
        session.flush()
        for draft_spec in spec.drafts:
            drafts += 1
            draft = session.get(Draft, draft_spec.id)
            if draft is None:
                draft = Draft(id=draft_spec.id, agreement_id=spec.id)
                session.add(draft)
            draft.agreement_id = spec.id
            draft.label, draft.date = draft_spec.label, draft_spec.date
            draft.origin, draft.note = draft_spec.origin, draft_spec.note
            session.flush()
            if draft.signed_on is not None:
                continue  # a signed text is frozen: its provisions carry implementation records
            session.execute(delete(Provision).where(Provision.draft_id == draft.id))
            for position, p in enumerate(draft_spec.provisions):
                session.add(
                    Provision(
                        draft_id=draft.id,
                        position=position,
                        number=p.number,
                        title=p.title,
                        summary=p.summary,
                        issues=list(p.issues),
                        obligated=list(p.obligated),
                        deadline=p.deadline,
                        targets=[t.model_dump() for t in p.targets],
                    )
                )
            session.flush()
    session.expire_all()
    return drafts


def list_agreements(session: Session, *, pack_id: str | None = None) -> list[Agreement]:
    """Return agreements (of one pack, if named) with their drafts (oldest draft first)."""
    query = select(Agreement).options(selectinload(Agreement.drafts)).order_by(Agreement.id)
    if pack_id is not None:
        query = query.where(Agreement.pack_id == pack_id)
    return list(session.scalars(query))


def overview(session: Session, *, pack: str | None = None) -> list[dict[str, Any]]:
    """Return one pack's agreements (default pack) with a summary of each draft, as plain data."""
    from accord.packs import service as packs  # packs loads agreements: import when used

    selected = packs.resolve(session, pack)
    pack_id = selected.id if selected is not None else None
    return [
        {
            "id": a.id,
            "name": a.name,
            "drafts": [
                {
                    "id": d.id,
                    "label": d.label,
                    "date": d.date,
                    "origin": d.origin,
                    "signed_on": d.signed_on,
                    "provisions": len(d.provisions),
                }
                for d in a.drafts
            ],
        }
        for a in list_agreements(session, pack_id=pack_id)
    ]


def get_draft(session: Session, draft_id: str) -> Draft:
    """Return a draft with its provisions, or raise NotFound naming the known drafts."""
    draft = session.get(Draft, draft_id)
    if draft is None:
        known = ", ".join(sorted(session.scalars(select(Draft.id)))) or "none loaded"
        raise NotFound(f"draft {draft_id!r} does not exist (drafts: {known})")
    return draft


def get_provision(session: Session, provision_id: int) -> Provision:
    """Return one provision or raise NotFound."""
    provision = session.get(Provision, provision_id)
    if provision is None:
        raise NotFound(f"provision {provision_id} does not exist")
    return provision


def resolve_provision(session: Session, ref: str) -> Provision:
    """Return the provision named ``DRAFT:N`` (its number in the draft) or by its numeric id."""
    draft_id, sep, number = ref.strip().rpartition(":")
    if not sep:
        if not ref.strip().isdigit():
            raise InvalidInput(f"provision {ref!r}: use DRAFT:N (e.g. us-28-point-plan:7) or an id")
        return get_provision(session, int(ref))
    draft = get_draft(session, draft_id)
    for provision in draft.provisions:
        if provision.number == number.strip():
            return provision
    numbers = ", ".join(p.number for p in draft.provisions)
    raise NotFound(f"draft {draft_id!r} has no provision {number!r} (it has {numbers})")


def sign(session: Session, draft_id: str, on: dt.date, *, by: str) -> Draft:
    """Mark a draft as signed on a date; a draft is signed once."""
    draft = get_draft(session, draft_id)
    if draft.signed_on is not None:
        raise Conflict(f"draft {draft_id!r} was already signed on {draft.signed_on}")
    if on < draft.date:
        raise InvalidInput(f"--date {on} is before the draft itself ({draft.date})")
    draft.signed_on = on
    session.flush()
    audit.record(
        session,
        by=by,
        action="draft.sign",
        entity="draft",
        entity_id=draft.id,
        payload={"signed_on": on.isoformat()},
    )
    return draft
