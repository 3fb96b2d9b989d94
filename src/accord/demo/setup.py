"""Set up a database (``accord init``) and build the demo database (``accord demo``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from accord.actors import service as actors
from accord.agreements import diff as diffing
from accord.agreements import service as agreements
from accord.claims import service as claims_service
from accord.claims.schemas import ClaimRead
from accord.db import migrate
from accord.db.session import dispose_engines, session_scope
from accord.demo import implementation, monitoring
from accord.issues import service as issues
from accord.negotiation import service as negotiation
from accord.packs import service as packs
from accord.packs.loader import load_pack
from accord.sources import service as sources
from accord.sources.blobs import BlobStore


def init_database(url: str, pack: str, *, by: str) -> packs.LoadResult:
    """Create or upgrade the schema, then load (or refresh) the pack."""
    migrate.upgrade(url)
    with session_scope(url) as session:
        return packs.load_by_name(session, pack, by=by)


def reset_sqlite_file(path: Path) -> None:
    """Delete a SQLite database file and its WAL/SHM companions."""
    dispose_engines()
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def demo_paths(home: Path) -> tuple[str, Path]:
    """Return the demo database URL and the folder for its files (reports, generated data)."""
    folder = home / "demo"
    return f"sqlite:///{folder / 'accord.db'}", folder


@dataclass
class DemoResult:
    """Counts of what the demo built, for its summary."""

    url: str
    pack_id: str
    sources_added: int = 0
    sources_known: int = 0
    claims: list[dict[str, object]] = field(default_factory=list)
    board: dict[str, object] = field(default_factory=dict)
    diff: dict[str, object] | None = None
    monitoring: dict[str, object] = field(default_factory=dict)
    implementation: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def example_documents(pack: str) -> list[Path]:
    """Return the example documents shipped with a pack (its ``examples/`` folder)."""
    folder = Path(load_pack(pack).root) / "examples"
    return sorted(p for p in folder.glob("*") if p.suffix in (".md", ".txt", ".html", ".json"))


def build_demo(
    url: str,
    blob_dir: Path,
    files: Path,
    pack: str,
    *,
    by: str,
    fresh_file: Path | None,
    max_bytes: int,
) -> DemoResult:
    """Build the demo: fresh schema, pack, example documents; return the counts."""
    if fresh_file is not None:
        fresh_file.parent.mkdir(parents=True, exist_ok=True)
        reset_sqlite_file(fresh_file)  # blobs are content-addressed and shared: they stay
    loaded = init_database(url, pack, by=by)
    result = DemoResult(url=url, pack_id=loaded.pack_id)
    blobs = BlobStore(blob_dir)
    for path in example_documents(pack):
        with session_scope(url) as session:
            _source, added, _claims = sources.ingest_path(
                session, path, by=by, blobs=blobs, max_bytes=max_bytes
            )
        if added:
            result.sources_added += 1
        else:
            result.sources_known += 1
    with session_scope(url) as session:
        result.implementation = implementation.run(session, pack, by=by)
    result.monitoring = monitoring.run(lambda: session_scope(url), pack, files, blobs, by=by)
    with session_scope(url) as session:
        result.counts = {
            "sources": sources.count(session),
            "actors": actors.count(session),
            "issues": issues.count(session),
            "claims": claims_service.count(session),
        }
        rows, _total = claims_service.list_claims(session, limit=1000)
        result.claims = [ClaimRead.model_validate(r).model_dump(mode="json") for r in rows]
        result.board = negotiation.board(session).model_dump(mode="json")
        drafts = [d.id for a in agreements.list_agreements(session) for d in a.drafts]
        if len(drafts) >= 2:
            result.diff = diffing.diff_drafts(session, drafts[0], drafts[1]).model_dump(mode="json")
    return result
