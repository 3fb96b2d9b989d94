"""Actors: replace a pack's actors, list them, and resolve a person to the actor they speak for."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from accord.actors.models import Actor, ActorAlias, Affiliation
from accord.errors import NotFound
from accord.packs.schemas import ActorSpec


def replace_for_pack(session: Session, pack_id: str, specs: list[ActorSpec]) -> int:
    """Upsert the pack's actors and replace their aliases and affiliations; return the count."""
    existing = {
        a.id: a for a in session.scalars(select(Actor).options(selectinload(Actor.aliases)))
    }
    for spec in specs:
        actor = existing.get(spec.id)
        if actor is None:
            actor = Actor(id=spec.id)
            session.add(actor)
        actor.kind, actor.name, actor.pack_id = spec.kind, spec.name, pack_id
    session.flush()
    ids = [s.id for s in specs]
    session.execute(delete(ActorAlias).where(ActorAlias.actor_id.in_(ids)))
    session.execute(delete(Affiliation).where(Affiliation.person_id.in_(ids)))
    session.expire_all()
    for spec in specs:
        for alias in spec.aliases:
            session.add(ActorAlias(actor_id=spec.id, alias=alias, kind="alias"))
        for demonym in spec.demonyms:
            session.add(ActorAlias(actor_id=spec.id, alias=demonym, kind="demonym"))
        for aff in spec.affiliations:
            session.add(
                Affiliation(
                    person_id=spec.id,
                    actor_id=aff.actor,
                    role=aff.role,
                    valid_from=aff.from_,
                    valid_to=aff.to,
                )
            )
    session.flush()
    return len(specs)


def list_actors(session: Session, *, kind: str | None = None) -> list[Actor]:
    """Return actors with aliases and affiliations, by kind then id."""
    query = select(Actor).options(selectinload(Actor.aliases), selectinload(Actor.affiliations))
    if kind:
        query = query.where(Actor.kind == kind)
    return list(session.scalars(query.order_by(Actor.kind, Actor.id)))


def get(session: Session, actor_id: str) -> Actor:
    """Return one actor or raise NotFound."""
    actor = session.get(Actor, actor_id)
    if actor is None:
        raise NotFound(f"actor {actor_id!r} does not exist")
    return actor


def count(session: Session) -> int:
    """Return the number of actors."""
    return int(session.scalar(select(func.count()).select_from(Actor)) or 0)


def holder_of(session: Session, actor_id: str, on: dt.date | None) -> str:
    """Return the actor a person speaks for on a date (first matching affiliation), else itself."""
    for aff in session.scalars(
        select(Affiliation).where(Affiliation.person_id == actor_id).order_by(Affiliation.id)
    ):
        if on is None or (
            (aff.valid_from is None or aff.valid_from <= on)
            and (aff.valid_to is None or on <= aff.valid_to)
        ):
            return aff.actor_id
    return actor_id
