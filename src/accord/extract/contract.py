"""The extraction contract: the JSON shape of ``accord extract --json`` and of gold files."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["position", "status", "proposal", "event"]
Stance = Literal["support", "oppose", "demand", "propose"]
Status = Literal["agreed", "near_agreement", "progress", "unresolved", "stalled"]
EventType = Literal["meeting", "call", "talks"]
Precision = Literal["day", "month", "approx"]

EXTRACTOR_NAME = "accord-rules"
EXTRACTOR_VERSION = "1.9.1"


class ClaimOut(BaseModel):
    """One claim: what a source says about one issue, with its supporting span."""

    model_config = ConfigDict(extra="ignore")

    kind: Kind
    issue: str | None = None
    sub_issue: str | None = None
    holder: str | None = None
    speaker: str | None = None
    stance: Stance | None = None
    status: Status | None = None
    progress_pct: int | None = None
    event_type: EventType | None = None
    participants: list[str] | None = None
    place: str | None = None
    date: str | None = None
    date_precision: Precision | None = None
    summary: str = ""
    quote: str = ""
    span: tuple[int, int] = (0, 0)
    confidence: float = Field(default=0.5, ge=0, le=1)
    negated: bool = False
    hedged: bool = False
    # the rules' own confidence once a scorer has replaced it (kept for retraining, not printed)
    rules_confidence: float | None = Field(default=None, ge=0, le=1, exclude=True)


class SourceInfo(BaseModel):
    """The source block of the contract."""

    model_config = ConfigDict(extra="allow")

    file: str | None = None
    title: str | None = None
    published_at: str | None = None
    sha256: str | None = None
    pack: str | None = None
    extractor: str = f"{EXTRACTOR_NAME}/{EXTRACTOR_VERSION}"


class ExtractionResult(BaseModel):
    """``{"source": {...}, "claims": [...]}``."""

    source: SourceInfo
    claims: list[ClaimOut]


def event_type_family(event_type: str | None) -> str | None:
    """Return the scoring family of an event type (``talks`` and ``meeting`` count as one)."""
    return "meeting" if event_type in ("talks", "meeting") else event_type


def claim_key(claim: ClaimOut) -> tuple[str, ...]:
    """Return the scoring key of a claim (see DESIGN.md, extraction contract)."""
    if claim.kind == "event":
        return (
            "event",
            event_type_family(claim.event_type) or "",
            *sorted(claim.participants or []),
        )
    value = claim.status if claim.kind == "status" else claim.stance
    return (claim.kind, claim.issue or "", claim.holder or "", value or "")
