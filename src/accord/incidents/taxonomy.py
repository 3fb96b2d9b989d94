"""Incident types: ACLED's event taxonomy, UCDP's violence types and OSCE monitoring categories.

Type ids are lower-case slugs; ``TYPES`` maps each to its family and allowed sub-types.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class IncidentType:
    """A type of incident with its family and known sub-types."""

    id: str
    label: str
    family: str
    subtypes: tuple[str, ...] = field(default_factory=tuple)


def slug(text: str) -> str:
    """Return a lower-case hyphenated id for a label ("Explosions/Remote violence" -> ...)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


_ACLED = {
    "Battles": [
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ],
    "Explosions/Remote violence": [
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ],
    "Violence against civilians": ["Sexual violence", "Attack", "Abduction/forced disappearance"],
    "Protests": [
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": [
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ],
}
_OSCE = ["Explosion", "Projectile", "Muzzle flash", "Illumination flare", "Small-arms/HMG fire"]
_OBSERVATIONS = ["Military presence", "Heavy weapons"]
_UCDP = {1: "State-based violence", 2: "Non-state violence", 3: "One-sided violence"}


def _build() -> dict[str, IncidentType]:
    types: dict[str, IncidentType] = {}
    for label, subs in _ACLED.items():
        types[slug(label)] = IncidentType(slug(label), label, "acled", tuple(slug(s) for s in subs))
    for label in _OSCE:
        types[slug(label)] = IncidentType(slug(label), label, "osce")
    for label in _OBSERVATIONS:
        types[slug(label)] = IncidentType(slug(label), label, "observation")
    for label in _UCDP.values():
        types[slug(label)] = IncidentType(slug(label), label, "ucdp")
    return types


TYPES: dict[str, IncidentType] = _build()
UCDP_TYPES = {code: slug(label) for code, label in _UCDP.items()}
SUBTYPE_PARENT = {sub: t.id for t in TYPES.values() for sub in t.subtypes}
FAMILY_OF = {t.id: t.family for t in TYPES.values()}
# sub-type id -> its ACLED label ("shelling-artillery-missile-attack" -> "Shelling/artillery/...")
SUBTYPE_LABELS = {slug(s): s for subs in _ACLED.values() for s in subs}


@functools.lru_cache(maxsize=4096)
def resolve(type_text: str, sub_type_text: str | None = None) -> tuple[str, str | None]:
    """Return (type id, sub-type id) for labels or ids; raise ValueError for unknown ones."""
    type_id = slug(type_text)
    sub_id = slug(sub_type_text) if sub_type_text else None
    if type_id not in TYPES:
        if type_id in SUBTYPE_PARENT:  # a sub-type given as the type
            return SUBTYPE_PARENT[type_id], type_id
        raise ValueError(f"unknown incident type {type_text!r} (use {', '.join(TYPES)})")
    known = TYPES[type_id].subtypes
    if sub_id and known and sub_id not in known:
        raise ValueError(
            f"unknown sub-type {sub_type_text!r} for type {type_text!r} (use {', '.join(known)})"
        )
    return type_id, sub_id
