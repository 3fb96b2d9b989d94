"""Extract claims from a file without storing anything (``accord extract``)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from accord.errors import InvalidInput
from accord.extract.contract import ExtractionResult, SourceInfo
from accord.extract.pipeline import extractor_for
from accord.sources.readers import read_document


def extract_file(
    path: Path,
    *,
    pack: str,
    published: dt.date | None = None,
    max_bytes: int | None = None,
    mode: str | None = None,
) -> ExtractionResult:
    """Read a document and return its claims in the extraction contract's shape."""
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    if max_bytes is not None and path.stat().st_size > max_bytes:
        raise InvalidInput(
            f"{path}: file is {path.stat().st_size:,} bytes, over the limit of {max_bytes:,} bytes"
        )
    raw = path.read_bytes()
    document = read_document(raw, path)
    date = published or document.metadata.published_at
    extractor = extractor_for(pack, mode)
    claims = extractor.extract(document.text, date)
    source = SourceInfo(
        file=path.name,
        title=document.metadata.title,
        published_at=date.isoformat() if date else None,
        sha256=hashlib.sha256(raw).hexdigest(),
        pack=pack,
        extractor=f"{extractor.name}/{extractor.version}",
    )
    return ExtractionResult(source=source, claims=claims)
