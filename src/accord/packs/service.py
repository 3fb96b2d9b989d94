"""Load a validated pack into the database (idempotent, audited) and describe what is loaded."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from accord.actors import service as actors
from accord.agreements import service as agreements
from accord.audit import service as audit
from accord.council import service as council
from accord.db.base import utcnow
from accord.issues import service as issues
from accord.packs.choice import current, loaded, owner, resolve
from accord.packs.loader import load_pack
from accord.packs.models import Pack
from accord.packs.schemas import PackData
from accord.zones import service as zones

__all__ = [
    "LoadResult",
    "current",
    "describe",
    "load",
    "load_by_name",
    "loaded",
    "owner",
    "resolve",
    "spec",
]


@dataclass(frozen=True)
class LoadResult:
    """What loading a pack did."""

    pack_id: str
    changed: bool
    actors: int
    issues: int


def load(session: Session, pack: PackData, *, by: str) -> LoadResult:
    """Load (or reload) a pack; a pack whose content is unchanged is a no-op."""
    row = session.get(Pack, pack.meta.id)
    if row is not None and row.content_sha256 == pack.content_sha256:
        return LoadResult(pack.meta.id, False, len(pack.actors), len(pack.issues))
    n_actors = actors.replace_for_pack(session, pack.meta.id, pack.actors)
    n_issues = issues.replace_for_pack(session, pack.meta.id, pack.issues)
    n_drafts = agreements.replace_for_pack(session, pack.meta.id, pack.agreements)
    n_ceasefires = zones.replace_ceasefires(session, pack.meta.id, pack.ceasefires)
    n_members = council.replace_members(session, pack.meta.id, pack.council)
    if row is None:
        row = Pack(id=pack.meta.id)
        session.add(row)
    row.name = pack.meta.name
    row.version = pack.meta.version
    row.description = pack.meta.description
    row.main_parties = list(pack.meta.main_parties)
    row.area_of_interest = list(pack.meta.area_of_interest) if pack.meta.area_of_interest else None
    row.content_sha256 = pack.content_sha256
    row.root = pack.root
    row.loaded_at = utcnow()
    session.flush()
    audit.record(
        session,
        by=by,
        action="pack.load",
        entity="pack",
        entity_id=pack.meta.id,
        payload={
            "content_sha256": pack.content_sha256,
            "version": pack.meta.version,
            "actors": n_actors,
            "issues": n_issues,
            "drafts": n_drafts,
            "ceasefires": n_ceasefires,
            "council_members": n_members,
        },
    )
    return LoadResult(pack.meta.id, True, n_actors, n_issues)


def load_by_name(session: Session, path_or_name: str, *, by: str) -> LoadResult:
    """Read, validate and load a pack given as a folder or bundled id."""
    return load(session, load_pack(path_or_name), by=by)


def spec(row: Pack) -> PackData:
    """Return the validated pack files of a loaded pack (its folder, else the bundled pack)."""
    return _spec(row.root if row.root and Path(row.root).is_dir() else row.id, row.content_sha256)


@functools.lru_cache(maxsize=16)
def _spec(location: str, _content_sha256: str) -> PackData:
    return load_pack(location)


def describe(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Return the loaded packs, actors (aliases, affiliations) and issues as plain data."""
    return {
        "packs": [
            {
                "id": p.id,
                "name": p.name,
                "version": p.version,
                "main_parties": p.main_parties,
                "content_sha256": p.content_sha256,
                "loaded_at": p.loaded_at,
            }
            for p in loaded(session)
        ],
        "actors": [
            {
                "id": a.id,
                "kind": a.kind,
                "name": a.name,
                "aliases": [al.alias for al in a.aliases if al.kind == "alias"],
                "demonyms": [al.alias for al in a.aliases if al.kind == "demonym"],
                "affiliations": [
                    {"actor": f.actor_id, "role": f.role, "from": f.valid_from, "to": f.valid_to}
                    for f in a.affiliations
                ],
            }
            for a in actors.list_actors(session)
        ],
        "issues": [
            {
                "id": i.id,
                "name": i.name,
                "parent": i.parent_id,
                "description": i.description,
                "keywords": i.keywords,
                "scale": i.scale,
            }
            for i in issues.list_issues(session)
        ],
    }
