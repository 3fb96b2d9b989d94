"""Ceasefire terms from the pack (``ceasefire.yaml``): dates, scope, prohibited acts, zone rules."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class NearPoint(_Strict):
    """A circle around a point, e.g. 30 km around a nuclear plant."""

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    km: float = Field(gt=0, le=1000)


class ZoneRule(_Strict):
    """Incident types prohibited inside a zone or near a point."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    description: str
    zone: str | None = None
    near: NearPoint | None = None
    prohibits: list[str] = Field(min_length=1)

    @field_validator("prohibits")
    @classmethod
    def _known_types(cls, value: list[str]) -> list[str]:
        from accord.incidents.taxonomy import SUBTYPE_PARENT, TYPES

        for name in value:
            if name not in TYPES and name not in SUBTYPE_PARENT:
                raise ValueError(f"unknown incident type {name!r}")
        return value

    @model_validator(mode="after")
    def _one_place(self) -> ZoneRule:
        if (self.zone is None) == (self.near is None):
            raise ValueError("a rule needs exactly one of 'zone' or 'near'")
        return self


class CeasefireSpec(_Strict):
    """A ceasefire's terms."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    start: dt.date
    end: dt.date | None = None
    scope: list[str] = Field(default_factory=list)
    prohibited_types: list[str] = Field(default_factory=list)
    rules: list[ZoneRule] = Field(default_factory=list)

    def in_force(self, on: dt.date) -> bool:
        """Tell whether the ceasefire applies on a date."""
        return self.start <= on and (self.end is None or on <= self.end)


class CeasefireFile(_Strict):
    """``ceasefire.yaml``."""

    ceasefires: list[CeasefireSpec] = Field(default_factory=list)
