"""Full-text search at scale: query latency, index size and ingest slowdown, SQLite and PostgreSQL.

For each backend two databases are built side by side from the same generated rows: one at the
head schema (SQLite FTS5 tables kept by triggers; PostgreSQL a stored ``tsvector`` column with a
GIN index, migration 0011) and one the same but with those search objects dropped (the
yardstick). Batches of sources (``--batch``) and their claims (``--claims-per-source`` each) are
inserted into the two in turn, each batch one transaction, so load on the machine hits both
alike; the ingest slowdown is indexed time over plain time, minus one.

Then ``--queries`` searches run through ``accord.search.service.search`` (the code behind
``accord search`` and ``/api/v1/search``) on the indexed database: a mix of one common word, two
words, a quoted phrase, a rare word, an excluded word and a claim search with issue and holder
filters, each returning the count and the first page of 20 with snippets. The index size is the
database size of the indexed database minus the plain one's.

The text is generated from a fixed vocabulary (seeded, our own words): sources of about
``--words`` words with a title, claims with a quote and a summary.

    python benchmarks/search_bench.py --sources 2000                  # SQLite, small
    python benchmarks/search_bench.py --sources 100000 --pg postgresql://accord@127.0.0.1:54361/postgres

Goals (issue 16): p95 under 50 ms, ingest slowdown at most 15%.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rich.progress import track
from sqlalchemy import insert, make_url, text

from accord.claims.models import Claim
from accord.db import migrate
from accord.db.session import dispose_engines, get_engine, session_scope
from accord.packs import service as packs
from accord.search.service import SearchFilter, search
from accord.sources.models import Source

TOPICAL = (
    "ceasefire territory guarantees withdrawal prisoners exchange sanctions referendum elections "
    "reconstruction monitors corridor frontline drones sovereignty neutrality nuclear plant "
    "buffer zone memorandum envoy summit delegation framework annex amnesty reparations"
).split()
PUBLISHERS = ("Mission", "Agency", "Ministry", "Observer", "Daily", "Gazette")


def vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    """Return made-up words (syllables), plus the topical words."""
    syllables = ["ka", "lo", "mir", "dan", "vel", "tor", "sa", "ni", "gre", "pol", "ust", "ber"]
    words = {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(size)}
    return sorted(words) + TOPICAL


class Generator:
    """Seeded rows: sources with text, claims with quote and summary."""

    def __init__(
        self, seed: int, words: int, per_source: int, issues: list[str], actors: list[str]
    ):
        """Prepare the vocabulary and the ids claims may refer to."""
        self.rng = random.Random(seed)  # noqa: S311 — seeded, reproducible rows, not a secret
        self.vocab = vocabulary(self.rng)
        # Zipf-like: the first words are common, the tail is rare
        self.weights = [1.0 / (rank + 1) for rank in range(len(self.vocab))]
        self.words, self.per_source = words, per_source
        self.issues, self.actors = issues, actors

    def _text(self, n: int) -> str:
        return " ".join(self.rng.choices(self.vocab, weights=self.weights, k=n))

    def batch(self, first_id: int, count: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Return ``count`` sources from id ``first_id`` and their claims."""
        sources, claims = [], []
        base = dt.date(2025, 1, 1)
        now = dt.datetime.now(dt.UTC)
        for sid in range(first_id, first_id + count):
            body = self._text(self.words)
            sources.append(
                {
                    "id": sid,
                    "sha256": hashlib.sha256(f"{sid}:{body}".encode()).hexdigest(),
                    "media_type": "text",
                    "filename": f"{sid}.txt",
                    "size_bytes": len(body),
                    "encoding": "utf-8",
                    "title": self._text(8).capitalize(),
                    "publisher": self.rng.choice(PUBLISHERS),
                    "published_at": base + dt.timedelta(days=sid % 700),
                    "text": body,
                    "ingested_at": now,
                    "ingested_by": "bench",
                }
            )
            for n in range(self.per_source):
                quote = self._text(24)
                claims.append(
                    {
                        "id": (sid - 1) * self.per_source + n + 1,
                        "source_id": sid,
                        "pack_id": "ukraine-2025",
                        "kind": "position",
                        "issue_id": self.rng.choice(self.issues),
                        "holder_id": self.rng.choice(self.actors),
                        "stance": self.rng.choice(("support", "oppose", "demand", "propose")),
                        "summary": self._text(10),
                        "quote": quote,
                        "span_start": 0,
                        "span_end": len(quote),
                        "confidence": 0.8,
                        "negated": False,
                        "hedged": False,
                        "extractor": "bench",
                        "extractor_version": "1",
                        "review_state": "machine",
                        "created_at": now,
                        "created_by": "bench",
                    }
                )
        return sources, claims


def drop_search_objects(url: str) -> None:
    """Remove the search index (migration 0011's objects) from a database: the yardstick."""
    with get_engine(url).begin() as conn:
        if conn.dialect.name == "sqlite":
            for fts in ("sources_fts", "claims_fts"):
                for suffix in ("ai", "ad", "au"):
                    conn.execute(text(f"DROP TRIGGER IF EXISTS {fts}_{suffix}"))
                conn.execute(text(f"DROP TABLE IF EXISTS {fts}"))
        else:
            for table in ("sources", "claims"):
                conn.execute(text(f"DROP INDEX IF EXISTS ix_{table}_search_vector"))
                conn.execute(text(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector"))


def size_bytes(url: str) -> int:
    """Return the database's size on disk (SQLite: pages in use; PostgreSQL: the database)."""
    with get_engine(url).connect() as conn:
        if conn.dialect.name == "sqlite":
            pages = conn.execute(text("PRAGMA page_count")).scalar_one()
            free = conn.execute(text("PRAGMA freelist_count")).scalar_one()
            page = conn.execute(text("PRAGMA page_size")).scalar_one()
            return int((pages - free) * page)
        return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())


def gin_bytes(url: str) -> int | None:
    """Return the GIN indexes' size on PostgreSQL (None on SQLite)."""
    with get_engine(url).connect() as conn:
        if conn.dialect.name == "sqlite":
            return None
        return int(
            conn.execute(
                text(
                    "SELECT pg_relation_size('ix_sources_search_vector') + "
                    "pg_relation_size('ix_claims_search_vector')"
                )
            ).scalar_one()
        )


def queries(gen: Generator, count: int, rng: random.Random) -> Iterator[tuple[str, SearchFilter]]:
    """Yield (kind, filter) for a mix of searches."""
    common = gen.vocab[:50]
    rare = gen.vocab[2000:3500]
    for n in range(count):
        shape = n % 6
        if shape == 0:
            yield "one common word", SearchFilter(query=rng.choice(TOPICAL))
        elif shape == 1:
            yield "two words", SearchFilter(query=f"{rng.choice(common)} {rng.choice(TOPICAL)}")
        elif shape == 2:
            yield "phrase", SearchFilter(query=f'"{rng.choice(common)} {rng.choice(common)}"')
        elif shape == 3:
            yield "rare word", SearchFilter(query=rng.choice(rare))
        elif shape == 4:
            yield "word -word", SearchFilter(query=f"{rng.choice(TOPICAL)} -{rng.choice(common)}")
        else:
            yield (
                "claims, issue + holder",
                SearchFilter(
                    query=rng.choice(TOPICAL),
                    scope="claims",
                    issue=rng.choice(gen.issues),
                    holder=rng.choice(gen.actors),
                ),
            )


def percentile(values: list[float], q: float) -> float:
    """Return the q-quantile (0-1) of the values, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def run_backend(name: str, urls: tuple[str, str], args: argparse.Namespace) -> dict[str, Any]:
    """Build the indexed and plain databases, time their ingest, then time the queries."""
    indexed, plain = urls
    for url in urls:
        migrate.upgrade(url)
        with session_scope(url) as session:
            packs.load_by_name(session, "ukraine-2025", by="bench")
    drop_search_objects(plain)
    with session_scope(indexed) as session:
        issues = [r[0] for r in session.execute(text("SELECT id FROM issues ORDER BY id"))]
        actors = [r[0] for r in session.execute(text("SELECT id FROM actors ORDER BY id"))][:12]
    gen = Generator(args.seed, args.words, args.claims_per_source, issues, actors)
    spent = {indexed: 0.0, plain: 0.0}
    batches = range(1, args.sources + 1, args.batch)
    for first in track(batches, description=f"{name}: ingest", total=len(batches)):
        sources, claims = gen.batch(first, min(args.batch, args.sources - first + 1))
        order = (indexed, plain) if first // args.batch % 2 == 0 else (plain, indexed)
        for url in order:
            began = time.perf_counter()
            with get_engine(url).begin() as conn:
                conn.execute(insert(Source.__table__), sources)
                conn.execute(insert(Claim.__table__), claims)
            spent[url] += time.perf_counter() - began
    with get_engine(indexed).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))
    with get_engine(plain).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))
    rng = random.Random(args.seed + 1)  # noqa: S311 — a reproducible query mix
    timings: dict[str, list[float]] = {}
    hits: list[int] = []
    with session_scope(indexed, read_only=True) as session:
        for _kind, f in queries(gen, 12, rng):  # warm-up
            search(session, f)
        for kind, f in track(list(queries(gen, args.queries, rng)), description=f"{name}: queries"):
            began = time.perf_counter()
            result = search(session, f)
            timings.setdefault(kind, []).append((time.perf_counter() - began) * 1000)
            hits.append(result.total)
    every = [t for values in timings.values() for t in values]
    index = size_bytes(indexed) - size_bytes(plain)
    return {
        "backend": name,
        "sources": args.sources,
        "claims": args.sources * args.claims_per_source,
        "ingest_indexed_s": round(spent[indexed], 2),
        "ingest_plain_s": round(spent[plain], 2),
        "slowdown_pct": round(100 * (spent[indexed] / spent[plain] - 1), 1),
        "p50_ms": round(statistics.median(every), 2),
        "p95_ms": round(percentile(every, 0.95), 2),
        "by_kind_p50_p95_ms": {
            k: [round(statistics.median(v), 2), round(percentile(v, 0.95), 2)]
            for k, v in timings.items()
        },
        "median_hits": statistics.median(hits),
        "db_indexed_mb": round(size_bytes(indexed) / 2**20, 1),
        "db_plain_mb": round(size_bytes(plain) / 2**20, 1),
        "index_mb": round(index / 2**20, 1),
        "gin_mb": None
        if gin_bytes(indexed) is None
        else round((gin_bytes(indexed) or 0) / 2**20, 1),
    }


def pg_databases(admin: str) -> tuple[str, str]:
    """Create two fresh databases next to ``admin`` (dropping old ones); return their URLs."""
    import psycopg

    parsed = make_url(admin)
    conninfo = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    names = ("accord_search_bench_indexed", "accord_search_bench_plain")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    return tuple(parsed.set(database=n).render_as_string(hide_password=False) for n in names)  # type: ignore[return-value]


def machine() -> str:
    """Describe the machine and its load."""
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    cpu = platform.processor() or platform.machine()
    return f"{platform.machine()} {cpu}, load average {' '.join(load)}"


def main() -> int:
    """Run the benchmark on the chosen backends; print one JSON object per backend."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=2000)
    parser.add_argument("--claims-per-source", type=int, default=10)
    parser.add_argument("--words", type=int, default=150, help="words per source text")
    parser.add_argument("--batch", type=int, default=1000, help="sources per transaction")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--pg", help="admin URL of a PostgreSQL server (two databases are made)")
    parser.add_argument("--folder", type=Path, help="where the SQLite files go (default: temp)")
    args = parser.parse_args()
    print(f"# {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {machine()}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="accord-search-bench-") as tmp:
        folder = args.folder or Path(tmp)
        if not args.no_sqlite:
            urls = tuple(f"sqlite:///{folder / f'search-{n}.db'}" for n in ("indexed", "plain"))
            for url in urls:
                Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
            # each backend's figures as soon as they are known
            print(json.dumps(run_backend("sqlite", urls, args)), flush=True)  # type: ignore[arg-type]
        if args.pg:
            print(json.dumps(run_backend("postgresql", pg_databases(args.pg), args)), flush=True)
        dispose_engines()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
