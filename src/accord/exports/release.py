"""``accord release``: every dataset, a Frictionless data package and a README, audited.

A release is for the public: it holds what a viewer may see (coordinates on the viewer grid, no
reporters, no source text). Tabular files are CSV with a Frictionless table schema; the
geographic ones are also given as GeoJSON and GeoParquet, and incidents as Parquet. Every file's
SHA-256 and size go into ``datapackage.json`` (checked by ``frictionless validate``), the README
and the audit event that records the release.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from accord import __version__
from accord.audit import service as audit
from accord.errors import InvalidInput
from accord.exports import datasets, release_doc, writers
from accord.exports.fields import Field
from accord.exports.query import ExportQuery
from accord.packs import service as packs

# dataset -> formats in a release (the first is the tabular resource with a schema)
CONTENTS: dict[str, tuple[str, ...]] = {
    "incidents": ("csv", "parquet", "geojson", "geoparquet"),
    "zones": ("csv", "geojson", "geoparquet"),
    "rulings": ("csv",),
    "drafts": ("csv",),
    "provisions": ("csv",),
    "implementation": ("csv",),
    "indicators": ("csv",),
    "sources": ("csv",),
    "board": ("csv",),
    "claims": ("csv",),
    "events": ("csv",),
}
SUFFIX = {"geoparquet": "geo.parquet"}
MEDIA = {
    "csv": "text/csv",
    "parquet": "application/vnd.apache.parquet",
    "geoparquet": "application/vnd.apache.parquet",
    "geojson": "application/geo+json",
}
DEFAULT_LICENCE = "CC-BY-4.0"
LICENCES = {
    "CC-BY-4.0": (
        "Creative Commons Attribution 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "CC0-1.0": ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODC-BY-1.0": ("Open Data Commons Attribution", "https://opendatacommons.org/licenses/by/1-0/"),
}


@dataclass
class ReleaseFile:
    """One written file of a release."""

    dataset: str
    format: str
    path: str  # relative to the release folder
    rows: int
    sha256: str = ""
    bytes: int = 0
    fields: tuple[Field, ...] = field(default_factory=tuple)


def sha256_of(path: Path) -> str:
    """Return the SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _folder(out: Path) -> Path:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InvalidInput(f"-o {out}: give a new or empty folder")
    if not out.parent.is_dir():
        raise InvalidInput(f"-o {out}: folder {out.parent} does not exist")
    (out / "data").mkdir(parents=True, exist_ok=True)
    return out


def write_release(
    session: Session,
    out: Path,
    *,
    by: str,
    step: float,
    licence: str = DEFAULT_LICENCE,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, Any]:
    """Write every dataset, ``datapackage.json`` and ``README.md`` to a folder; audit it."""
    if licence not in LICENCES:
        raise InvalidInput(f"--licence: unknown licence {licence!r} (use {', '.join(LICENCES)})")
    folder = _folder(out)
    query = ExportQuery(exact=False, step=step)
    now = dt.datetime.now(dt.UTC)  # recorded exactly: what was published before it is public
    created = now.replace(microsecond=0)
    files: list[ReleaseFile] = []
    for name, formats in CONTENTS.items():
        for fmt in formats:
            relative = f"data/{name}.{SUFFIX.get(fmt, fmt)}"
            table, batches = datasets.columns_and_batches(session, name, query)
            kinds = datasets.geo_types(session, name) if fmt in datasets.GEO else None
            done = (lambda n, label=relative: progress(label, n)) if progress else None
            rows = writers.write(
                folder / relative, fmt, table, batches, geo_types=kinds, progress=done
            )
            files.append(ReleaseFile(name, fmt, relative, rows, fields=table))
    for item in files:
        item.sha256 = sha256_of(folder / item.path)
        item.bytes = (folder / item.path).stat().st_size
    pack = packs.current(session)
    package = datapackage(files, created, licence, pack)
    (folder / "datapackage.json").write_text(
        json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (folder / "README.md").write_text(release_doc.readme(package, files), encoding="utf-8")
    summary = {
        "folder": str(folder.resolve()),
        "created": now.isoformat(),
        "accord_version": __version__,
        "licence": licence,
        "files": {f.path: f.sha256 for f in files},
        "rows": {f.path: f.rows for f in files},
        "datapackage_sha256": sha256_of(folder / "datapackage.json"),
        "readme_sha256": sha256_of(folder / "README.md"),
    }
    event = audit.record(
        session,
        by=by,
        action="release.write",
        entity="release",
        entity_id=created.strftime("%Y%m%dT%H%M%SZ"),
        payload=summary,
    )
    return {**summary, "audit_event": event.id}


def _resource(item: ReleaseFile) -> dict[str, Any]:
    name = item.dataset if item.format == "csv" else f"{item.dataset}-{item.format}"
    resource: dict[str, Any] = {
        "name": name,
        "path": item.path,
        "title": _title(item.dataset),
        "format": "parquet" if item.format == "geoparquet" else item.format,
        "mediatype": MEDIA[item.format],
        "encoding": "utf-8",
        "bytes": item.bytes,
        "hash": f"sha256:{item.sha256}",
    }
    if item.format == "csv":
        resource["type"] = "table"
        resource["scheme"] = "file"
        resource["schema"] = {"fields": [f.frictionless() for f in item.fields]}
        if item.fields and item.fields[0].name == "id":
            resource["schema"]["primaryKey"] = ["id"]
    else:
        resource["type"] = "file"
        resource["scheme"] = "file"
        del resource["encoding"]
    return resource


def _title(name: str) -> str:
    if name in datasets.DATASETS:
        return datasets.DATASETS[name].title
    return {"board": "The negotiation board", "claims": "Claims", "events": "Events"}[name]


def datapackage(
    files: list[ReleaseFile], created: dt.datetime, licence: str, pack: Any
) -> dict[str, Any]:
    """Return the Frictionless data package descriptor of a release."""
    title, path = LICENCES[licence]
    sources: list[dict[str, str]] = [{"title": f"accord {__version__} (the monitor's database)"}]
    if pack is not None:
        sources.append({"title": f"case pack {pack.id} {pack.version}: {pack.name}"})
    return {
        "name": "accord-release",
        "title": "accord data release" + (f": {pack.name}" if pack is not None else ""),
        "description": (
            "Peace-process monitoring data written by accord: incidents, zones, council rulings, "
            "agreement drafts, provisions, implementation and indicators, source metadata, the "
            "negotiation board, claims and events. Coordinates are on the public viewer grid."
        ),
        "version": created.strftime("%Y.%m.%d"),
        "created": created.isoformat().replace("+00:00", "Z"),
        "licenses": [{"name": licence, "title": title, "path": path}],
        "sources": sources,
        "accord": {"version": __version__, "pack": pack.id if pack is not None else None},
        "resources": [_resource(item) for item in files],
    }
