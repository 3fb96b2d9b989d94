"""Pydantic shape of ``council.yaml`` in a pack."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class MemberSpec(BaseModel):
    """A council member."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    role: str = "member"
    actor: str | None = None


class CouncilFile(BaseModel):
    """``council.yaml``."""

    model_config = ConfigDict(extra="forbid")

    members: list[MemberSpec] = Field(default_factory=list)
