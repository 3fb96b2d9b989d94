"""Pydantic shapes of incidents: what a monitor files, and what is shown."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from accord.incidents import taxonomy

LOCATION_PRECISIONS = ("exact", "near", "admin2", "admin1", "country", "unknown")
TIME_PRECISIONS = ("exact", "day", "days", "week", "month", "year")


class CasualtyCount(BaseModel):
    """Low / best / high estimates."""

    model_config = ConfigDict(extra="forbid")

    low: int | None = Field(default=None, ge=0)
    best: int | None = Field(default=None, ge=0)
    high: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> CasualtyCount:
        values = [v for v in (self.low, self.best, self.high) if v is not None]
        if values != sorted(values):
            raise ValueError("casualty estimates must satisfy low <= best <= high")
        return self


class Casualties(CasualtyCount):
    """Total casualties with their civilian and military parts."""

    civilian: CasualtyCount | None = None
    military: CasualtyCount | None = None


class Observer(BaseModel):
    """Where an observer stood, and the direction and distance of what was seen."""

    model_config = ConfigDict(extra="forbid")

    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    direction_deg: float | None = Field(default=None, ge=0, lt=360)
    distance_m: float | None = Field(default=None, ge=0)


class IncidentIn(BaseModel):
    """An incident as filed by a monitor or mapped from an imported row."""

    model_config = ConfigDict(extra="forbid")

    external_id: str | None = None
    source_format: str = "manual"
    occurred_at: dt.datetime
    time_precision: str = "day"
    time_precision_code: str | None = None
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    location_precision: str = "exact"
    location_precision_code: str | None = None
    location_name: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    type: str
    sub_type: str | None = None
    alleged_perpetrator: str | None = None
    target_type: str | None = None
    casualties: Casualties | None = None
    sources: list[dict[str, Any]] = Field(default_factory=list)
    reporter: str | None = None
    observer: Observer | None = None
    notes: str | None = None
    extra: dict[str, Any] | None = None

    @field_validator("occurred_at")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)

    @field_validator("time_precision")
    @classmethod
    def _time_precision(cls, value: str) -> str:
        if value not in TIME_PRECISIONS:
            raise ValueError(f"unknown time precision {value!r} (use {', '.join(TIME_PRECISIONS)})")
        return value

    @field_validator("location_precision")
    @classmethod
    def _location_precision(cls, value: str) -> str:
        if value not in LOCATION_PRECISIONS:
            raise ValueError(
                f"unknown location precision {value!r} (use {', '.join(LOCATION_PRECISIONS)})"
            )
        return value

    @model_validator(mode="after")
    def _known_type(self) -> IncidentIn:
        self.type, self.sub_type = taxonomy.resolve(self.type, self.sub_type)
        return self

    def columns(self) -> dict[str, Any]:
        """Return the incident's table columns."""
        data = self.model_dump(exclude_none=False)
        data["occurred_at"] = self.occurred_at.astimezone(dt.UTC)
        data["occurred_on"] = data["occurred_at"].date()
        data["casualties"] = (
            self.casualties.model_dump(exclude_none=True) if self.casualties else None
        )
        data["observer"] = self.observer.model_dump(exclude_none=True) if self.observer else None
        return data


class IncidentOut(BaseModel):
    """An incident as shown."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    external_id: str | None
    source_format: str
    occurred_at: dt.datetime
    time_precision: str
    latitude: float
    longitude: float
    location_precision: str
    location_name: str | None
    admin1: str | None
    admin2: str | None
    type: str
    sub_type: str | None
    alleged_perpetrator: str | None
    attributed_to: str | None
    target_type: str | None
    casualties: dict[str, Any] | None
    sources: list[dict[str, Any]]
    reporter: str | None
    observer: dict[str, Any] | None
    notes: str | None
    extra: dict[str, Any] | None
    status: str
    pack_id: str | None = None
    zones: list[str] = Field(default_factory=list)
    violations: list[dict[str, Any]] = Field(default_factory=list)


class IncidentPage(BaseModel):
    """One page of a filtered incident list, with the total matching the filters."""

    total: int
    limit: int
    offset: int
    items: list[IncidentOut]
