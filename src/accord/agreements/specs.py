"""Pydantic shapes of ``agreements.yaml`` in a pack."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator

from accord.agreements.deadlines import DeadlineError, parse_deadline

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TargetSpec(_Strict):
    """A quantitative target of a provision (an army cap, an amount of money, a share)."""

    indicator: str = Field(pattern=ID_PATTERN)
    value: float
    unit: str | None = None


class ProvisionSpec(_Strict):
    """One provision (point) of a draft."""

    number: str
    title: str = Field(min_length=1)
    summary: str = ""
    issues: list[str] = Field(default_factory=list)
    obligated: list[str] = Field(default_factory=list)
    deadline: str | None = None
    targets: list[TargetSpec] = Field(default_factory=list)

    @field_validator("number", mode="before")
    @classmethod
    def _number_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value

    @field_validator("deadline")
    @classmethod
    def _deadline_parses(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return parse_deadline(value).rule
        except DeadlineError as exc:
            raise ValueError(str(exc)) from exc


class DraftSpec(_Strict):
    """A version of an agreement's text."""

    id: str = Field(pattern=ID_PATTERN)
    label: str
    date: dt.date
    origin: str | None = None
    note: str | None = None
    provisions: list[ProvisionSpec] = Field(default_factory=list)


class AgreementSpec(_Strict):
    """An agreement and its drafts."""

    id: str = Field(pattern=ID_PATTERN)
    name: str
    description: str | None = None
    drafts: list[DraftSpec] = Field(default_factory=list)


class AgreementsFile(_Strict):
    """``agreements.yaml``."""

    agreements: list[AgreementSpec] = Field(default_factory=list)
