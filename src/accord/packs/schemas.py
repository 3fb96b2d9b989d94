"""Pydantic shapes of a case pack's YAML files, validated with errors naming file and field."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from accord.agreements.specs import AgreementSpec
from accord.council.specs import MemberSpec
from accord.territory.specs import ProposalSpec
from accord.zones.terms import CeasefireSpec

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
_ID_RE = re.compile(ID_PATTERN)

ActorKind = Literal["state", "organisation", "coalition", "person", "group"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AffiliationSpec(_Strict):
    """A person's role for an actor over dates (``to`` absent: ongoing)."""

    actor: str = Field(pattern=ID_PATTERN)
    role: str
    from_: dt.date | None = Field(default=None, alias="from")
    to: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> AffiliationSpec:
        if self.from_ and self.to and self.to < self.from_:
            raise ValueError(f"'to' {self.to} is before 'from' {self.from_}")
        return self


class ActorSpec(_Strict):
    """An actor of the pack."""

    id: str = Field(pattern=ID_PATTERN)
    kind: ActorKind
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    demonyms: list[str] = Field(default_factory=list)
    affiliations: list[AffiliationSpec] = Field(default_factory=list)


class ScaleSpec(_Strict):
    """An optional 0-100 position scale with verbal anchors."""

    anchors: dict[int, str]

    @field_validator("anchors")
    @classmethod
    def _in_range(cls, anchors: dict[int, str]) -> dict[int, str]:
        bad = [k for k in anchors if not 0 <= k <= 100]
        if bad:
            raise ValueError(f"anchor positions must be within 0-100, got {bad}")
        if len(anchors) < 2:
            raise ValueError("a scale needs at least two anchors")
        return dict(sorted(anchors.items()))


class IssueSpec(_Strict):
    """An issue of the pack."""

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    parent: str | None = None
    description: str | None = None
    keywords: list[str] = Field(default_factory=list)
    scale: ScaleSpec | None = None


class DemoSpec(_Strict):
    """``pack.yaml`` ``demo:``: how `accord demo` stages the monitoring story for this pack."""

    line_zone: str = Field(description="id of the line in examples/zones.geojson to work along")
    incident_line: list[tuple[float, float]] | None = Field(
        default=None, description="[lon, lat] points to scatter incidents along (default: the line)"
    )
    scatter_deg: tuple[float, float] = Field(
        default=(0.12, 0.08), description="how far incidents fall off the line: [lon, lat] degrees"
    )
    band_km: float = Field(gt=0, description="width of the band built on each side of the line")
    band_zone: str = Field(
        pattern=ID_PATTERN, description="id of that band (ceasefire rules name it)"
    )
    band_kind: str = "dmz"
    review_rule: str = Field(description="ceasefire rule whose candidates the demo verifies")
    parties: list[str] = Field(min_length=1, description="actors incidents are alleged against")
    dissenting_member: str | None = Field(
        default=None, description="council member who votes against the demo ruling"
    )
    report_day: dt.date
    incidents_start: dt.date
    ruling_reasoning: str = "Verified incident inside the monitored zone (demo)."


class PackMeta(_Strict):
    """``pack.yaml``: the pack's identity and main parties."""

    id: str = Field(pattern=ID_PATTERN)
    name: str
    description: str | None = None
    version: str = "1"
    main_parties: list[str] = Field(default_factory=list)
    area_of_interest: tuple[float, float, float, float] | None = Field(
        default=None, description="bounding box [min_lon, min_lat, max_lon, max_lat] for incidents"
    )

    @field_validator("area_of_interest")
    @classmethod
    def _ordered_box(
        cls, box: tuple[float, float, float, float] | None
    ) -> tuple[float, float, float, float] | None:
        if box is not None:
            min_lon, min_lat, max_lon, max_lat = box
            if not (-180 <= min_lon < max_lon <= 180 and -90 <= min_lat < max_lat <= 90):
                raise ValueError("use [min_lon, min_lat, max_lon, max_lat] in degrees, min < max")
        return box

    gazetteer_country: str | None = Field(
        default=None, description="ISO 3166 alpha-2 code of the settlements to list"
    )
    umbrella_issue: str | None = Field(
        default=None,
        description="issue about the agreement as a whole; its keywords yield to specific issues",
    )
    demo: DemoSpec | None = Field(default=None, description="how `accord demo` runs this pack")


class ActorsFile(_Strict):
    """``actors.yaml``."""

    actors: list[ActorSpec]


class IssuesFile(_Strict):
    """``issues.yaml``."""

    issues: list[IssueSpec]


class PackData(BaseModel):
    """A whole validated pack, ready to load."""

    meta: PackMeta
    actors: list[ActorSpec]
    issues: list[IssueSpec]
    agreements: list[AgreementSpec] = Field(default_factory=list)
    ceasefires: list[CeasefireSpec] = Field(default_factory=list)
    council: list[MemberSpec] = Field(default_factory=list)
    proposals: list[ProposalSpec] = Field(default_factory=list)
    content_sha256: str
    root: str

    def actor_ids(self) -> set[str]:
        """Return the ids of the pack's actors."""
        return {a.id for a in self.actors}

    def issue_ids(self) -> set[str]:
        """Return the ids of the pack's issues."""
        return {i.id for i in self.issues}


def is_valid_id(value: str) -> bool:
    """Tell whether a string is a valid pack id (lower case, digits, hyphens)."""
    return bool(_ID_RE.match(value))
