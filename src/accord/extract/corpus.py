"""The real-text corpus: gold files and catalogue in the repo, article texts in a local cache.

Each item is one excerpt of a published article or statement. The repo keeps, per item,
``corpus/gold/<id>.json``: the catalogue entry (url, outlet, date, genre, the query that finds
it again) and the gold claims written by us, each with a 2-6 word cue. The text itself is never
committed: it lives in a cache folder (``ACCORD_CORPUS_CACHE``, default
``~/.cache/accord/corpus``) as ``<id>.txt``, the publication date on the first line.

Items are split by outlet, by a hash of the outlet's name, so that the test part's outlets never
occur in the development part and nobody chooses which item lands where.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from accord.errors import InvalidInput
from accord.extract.contract import ClaimOut

SPLITS = ("dev", "test")
GENRES = ("wire", "liveblog", "official", "interview", "analysis")
CATALOGUE_COLUMNS = (
    "id",
    "published_at",
    "outlet",
    "genre",
    "process",
    "pack",
    "split",
    "url",
    "query",
    "rank",
    "claims",
)


def split_for(outlet: str) -> str:
    """Return the part an outlet's items belong to: about two outlets in five are ``test``."""
    return "test" if hashlib.sha256(outlet.encode()).digest()[0] % 5 < 2 else "dev"


def cache_dir() -> Path:
    """Return the folder of cached article texts (``ACCORD_CORPUS_CACHE`` or the user cache)."""
    configured = os.environ.get("ACCORD_CORPUS_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "accord" / "corpus"


@dataclass
class CorpusItem:
    """One catalogued excerpt and its gold claims."""

    id: str
    published_at: dt.date
    pack: str
    url: str
    outlet: str
    genre: str
    query: str
    rank: int | None
    process: str
    claims: list[ClaimOut]
    cues: list[str] = field(default_factory=list)

    @property
    def split(self) -> str:
        """The part this item belongs to, decided by its outlet."""
        return split_for(self.outlet)

    def text(self, cache: Path) -> str | None:
        """Return the cached excerpt (without its date line), or None when it is not cached."""
        path = cache / f"{self.id}.txt"
        if not path.is_file():
            return None
        raw = path.read_text(encoding="utf-8")
        first, _, rest = raw.partition("\n")
        return rest if _is_date(first.strip()) else raw


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def load_item(path: Path) -> CorpusItem:
    """Read one gold file; raise InvalidInput naming the file and field."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"{path}: cannot read gold file: {exc}") from exc
    if not isinstance(data, dict):
        raise InvalidInput(f"{path}: a gold file is a JSON object")
    source = data.get("source") or {}
    try:
        published = dt.date.fromisoformat(str(data.get("published_at", ""))[:10])
    except ValueError as exc:
        raise InvalidInput(f"{path}: field published_at: not a date") from exc
    for name in ("url", "outlet", "genre", "query"):
        if not isinstance(source.get(name), str) or not source[name]:
            raise InvalidInput(f"{path}: field source.{name}: missing")
    if source["genre"] not in GENRES:
        raise InvalidInput(
            f"{path}: field source.genre: {source['genre']!r} is not one of {GENRES}"
        )
    claims, cues = [], []
    for n, raw in enumerate(data.get("claims") or []):
        try:
            claims.append(ClaimOut.model_validate(raw))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise InvalidInput(f"{path}: claims[{n}].{where}: {first['msg']}") from exc
        cues.append(str(raw.get("cue", "")))
    return CorpusItem(
        id=str(data.get("article") or path.stem),
        published_at=published,
        pack=str(data.get("pack") or "ukraine-2025"),
        url=source["url"],
        outlet=source["outlet"],
        genre=source["genre"],
        query=source["query"],
        rank=source.get("rank"),
        process=str(source.get("process") or ""),
        claims=claims,
        cues=cues,
    )


def is_corpus(folder: Path) -> bool:
    """Tell whether a folder is a corpus (it has a ``gold/`` folder of items)."""
    return (folder / "gold").is_dir()


def load_corpus(
    folder: Path, split: str | None = None, pack: str | None = None
) -> list[CorpusItem]:
    """Return the corpus's items, optionally only one split and one pack, sorted by id."""
    if split is not None and split not in SPLITS:
        raise InvalidInput(f"--split: {split!r} is not one of {', '.join(SPLITS)}")
    files = sorted((folder / "gold").glob("*.json"))
    if not files:
        raise InvalidInput(f"{folder}/gold: no gold files")
    items = [load_item(p) for p in files]
    return [
        item
        for item in items
        if (split is None or item.split == split) and (pack is None or item.pack == pack)
    ]


def catalogue_csv(items: list[CorpusItem]) -> str:
    """Return the catalogue as CSV text (one row per item; no article text)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CATALOGUE_COLUMNS)
    for item in items:
        writer.writerow(
            [
                item.id,
                item.published_at.isoformat(),
                item.outlet,
                item.genre,
                item.process,
                item.pack,
                item.split,
                item.url,
                item.query,
                "" if item.rank is None else item.rank,
                len(item.claims),
            ]
        )
    return out.getvalue()
