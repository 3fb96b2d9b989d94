"""The demo's implementation story: sign a draft, record PAM levels and indicators from pack data.

A pack may ship ``examples/implementation.yaml`` with ``signings``, ``records`` (a provision as
``DRAFT:N``, a PAM level, a date, an optional example document as evidence and a note) and
``indicators`` (a draft, a kind, a date, its data). `accord demo` records them through the same
audited services as ``accord agreement sign|implement|indicator``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.agreements import implementation as implementing
from accord.agreements import service as agreements
from accord.errors import InvalidInput
from accord.packs.loader import load_pack
from accord.sources.models import Source

FILE_NAME = "implementation.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SigningSpec(_Strict):
    """A draft the demo signs, and when."""

    draft: str
    date: dt.date


class RecordSpec(_Strict):
    """One implementation record: a provision's PAM level on a date."""

    provision: str = Field(description="DRAFT:N")
    level: int = Field(ge=0, le=3)
    date: dt.date
    evidence: str | None = Field(default=None, description="file name of an example document")
    note: str | None = None


class IndicatorSpec(_Strict):
    """One quantitative indicator of a signed draft."""

    draft: str
    kind: str
    date: dt.date
    data: dict[str, Any]
    evidence: str | None = None


class ImplementationFile(_Strict):
    """``examples/implementation.yaml``."""

    signings: list[SigningSpec] = Field(default_factory=list)
    records: list[RecordSpec] = Field(default_factory=list)
    indicators: list[IndicatorSpec] = Field(default_factory=list)


def read_file(path: Path) -> ImplementationFile:
    """Read and validate an implementation file; one clear line naming the file and field."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InvalidInput(f"{path}: not a readable YAML file ({type(exc).__name__})") from exc
    try:
        return ImplementationFile.model_validate(data or {})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise InvalidInput(f"{path}: field {where}: {first['msg']}") from exc


def _evidence(session: Session, name: str | None, path: Path) -> int | None:
    if name is None:
        return None
    source_id = session.scalar(
        select(Source.id).where(Source.filename == name).order_by(Source.id).limit(1)
    )
    if source_id is None:
        raise InvalidInput(f"{path}: evidence {name!r} is not an ingested example document")
    return source_id


def run(session: Session, pack: str, *, by: str) -> dict[str, int]:
    """Sign the pack's demo drafts and record its implementation; return the counts.

    A pack without ``examples/implementation.yaml`` records nothing.
    """
    path = Path(load_pack(pack).root) / "examples" / FILE_NAME
    if not path.exists():
        return {"signed": 0, "records": 0, "indicators": 0}
    spec = read_file(path)
    for signing in spec.signings:
        agreements.sign(session, signing.draft, signing.date, by=by)
    for rec in spec.records:
        provision = agreements.resolve_provision(session, rec.provision)
        implementing.record(
            session,
            provision.id,
            rec.level,
            rec.date,
            by=by,
            source_id=_evidence(session, rec.evidence, path),
            note=rec.note,
        )
    for ind in spec.indicators:
        implementing.add_indicator(
            session,
            ind.draft,
            ind.kind,
            ind.date,
            ind.data,
            by=by,
            source_id=_evidence(session, ind.evidence, path),
        )
    return {
        "signed": len(spec.signings),
        "records": len(spec.records),
        "indicators": len(spec.indicators),
    }
