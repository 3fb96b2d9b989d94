"""Crash safety: SIGKILL `accord ingest` and `accord incidents import` mid-work, then check.

Each trial starts the command in its own process and kills it with SIGKILL after a seeded random
delay. After every kill: SQLite's `PRAGMA integrity_check` is ok (PostgreSQL: it accepts a
connection), `accord verify` exits 0, every stored source is whole (its blob present with the
right SHA-256 and size, its audit event and all its claims committed with it), and the incidents
stored are whole import batches with their required columns and an audit event per batch. The
trials of a command share one database (kill, check, continue); at the end the command is run to
completion and must leave the same rows as a clean single run on a fresh database, without
duplicates.

Processes: a cold `python -m accord.cli.main` spends 2-3 s importing (spaCy, the geo stack) and
1-2 s more building the pack's extractor before it writes anything, which would leave the kills
little to hit. So the killed processes are forked from the test process, which has imported the
CLI and built the extractor once; each child runs the same entry point (`accord.cli.main.app`)
with its own ACCORD_HOME and ACCORD_DB, writes through the same code and dies by a real SIGKILL.
Whether a kill landed mid-work is read from the child's wait status (killed by the signal, not
exited). The children import in batches of 1,000 rows (the default is 5,000) so that a 20,000-row
file gives the kills 20 commits to fall between. The final run to completion starts cold from
the real entry point, `python -m accord.cli.main`, with the default batch size.

The figures (trials, kills mid-work, rows stored after each kill) are printed and written to
tests/artifacts/crash.json, one entry per backend and command.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import random
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import func, or_, select, text
from typer.testing import CliRunner

from accord.audit.models import AuditEvent
from accord.claims.models import Claim
from accord.cli.main import app
from accord.db.session import dispose_engines, get_engine, session_scope
from accord.extract.pipeline import extractor_for
from accord.incidents import importing
from accord.incidents.models import Incident
from accord.packs import service as packs
from accord.sources.blobs import BlobStore
from accord.sources.models import Source
from reliability.crash_support import (
    ARTIFACT,
    BAD_ROWS,
    NOTES,
    ROWS,
    SEED,
    TRIAL_BATCH_ROWS,
    TRIALS,
    run_cold,
    run_forked,
    write_acled,
    write_notes,
)

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")


# --- databases ------------------------------------------------------------------------------------


def _root_conftest(config: pytest.Config) -> ModuleType:
    module = config.pluginmanager.get_plugin(str(Path(__file__).parents[1] / "conftest.py"))
    assert isinstance(module, ModuleType), "tests/conftest.py is not loaded"
    return module


@pytest.fixture
def reference_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A second new database of the backend under test, for the clean reference run."""
    conftest = _root_conftest(request.config)
    folder = tmp_path / "reference"
    folder.mkdir()
    url: str = conftest.new_database_url(folder)
    yield url
    conftest.drop_database_url(url)


def prepare(url: str, home: Path, log: Path) -> None:
    """Create the schema and load the pack; build its extractor here, for the children to share.

    Building the extractor (pack YAML and the spaCy pipeline) takes 1-3 s on first use in a
    process; built once here, the forked children inherit it and spend their time writing.
    """
    run = run_forked(["init", "--db", url], {"ACCORD_HOME": str(home)}, log)
    assert run.exit_code == 0, run.output
    with session_scope(url) as session:
        pack = packs.current(session)
    assert pack is not None
    extractor_for(pack.root if pack.root and Path(pack.root).is_dir() else pack.id)


def check_storage(url: str, home: Path) -> None:
    """The database is sound (SQLite integrity check, PostgreSQL connects) and verify says OK."""
    engine = get_engine(url)
    if engine.dialect.name == "sqlite":
        path = engine.url.database
        assert path
        dispose_engines()
        with closing(sqlite3.connect(path)) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    else:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar() == 1
    result = CliRunner().invoke(
        app, ["verify", "--db", url, "--json"], env={"ACCORD_HOME": str(home)}
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ok"] is True


def source_claims(url: str) -> dict[str, int]:
    """Return {sha256: number of claims} for every stored source."""
    with session_scope(url) as session:
        rows = session.execute(
            select(Source.sha256, func.count(Claim.id))
            .outerjoin(Claim, Claim.source_id == Source.id)
            .group_by(Source.id, Source.sha256)
        ).all()
    return {sha: int(n) for sha, n in rows}


def check_sources(url: str, home: Path, reference: dict[str, int]) -> int:
    """Every source is whole: blob, size, text, audit event and all its claims. Return the count."""
    blobs = BlobStore(home / "blobs")
    with session_scope(url) as session:
        sources = session.execute(
            select(Source.id, Source.sha256, Source.size_bytes, func.length(Source.text))
        ).all()
        audited = Counter(
            session.scalars(
                select(AuditEvent.entity_id).where(AuditEvent.action == "source.ingest")
            )
        )
    for source_id, sha256, size, text_length in sources:
        raw = blobs.path_for(sha256).read_bytes()  # a missing blob fails here
        assert hashlib.sha256(raw).hexdigest() == sha256 and len(raw) == size, source_id
        assert text_length and text_length > 0, source_id
    assert audited == Counter(str(s[0]) for s in sources), "a source without its audit event"
    assert len({s[1] for s in sources}) == len(sources), "duplicate sources"
    claims = source_claims(url)
    assert set(claims) <= set(reference), "a source that is not in the input"
    assert {sha: reference[sha] for sha in claims} == claims, "a source without all its claims"
    return len(sources)


REQUIRED = (
    Incident.external_id,
    Incident.source_format,
    Incident.occurred_at,
    Incident.occurred_on,
    Incident.time_precision,
    Incident.latitude,
    Incident.longitude,
    Incident.location_precision,
    Incident.type,
    Incident.status,
    Incident.created_at,
    Incident.created_by,
    Incident.updated_at,
)


def check_incidents(url: str, boundaries: set[int]) -> int:
    """Incidents land in whole batches with their columns and audit events. Return the count."""
    with session_scope(url) as session:
        count = int(session.scalar(select(func.count()).select_from(Incident)) or 0)
        distinct = int(session.scalar(select(func.count(func.distinct(Incident.external_id)))) or 0)
        incomplete = session.scalar(
            select(func.count()).where(or_(*(column.is_(None) for column in REQUIRED)))
        )
        out_of_range = session.scalar(
            select(func.count()).where(
                or_(func.abs(Incident.latitude) > 90, func.abs(Incident.longitude) > 180)
            )
        )
        payloads = session.scalars(
            select(AuditEvent.payload).where(AuditEvent.action == "incidents.import")
        ).all()
    assert incomplete == 0, f"{incomplete} incidents miss a required column"
    assert out_of_range == 0, "a rejected row was stored"
    assert distinct == count, "duplicate incidents"
    assert count in boundaries, f"{count} incidents is not a whole number of batches"
    assert sum(p["inserted"] for p in payloads) == count, "a batch without its audit event"
    return count


def incident_rows(url: str) -> set[tuple[Any, ...]]:
    """Return the comparable content of every incident."""
    with session_scope(url) as session:
        rows = session.execute(
            select(
                Incident.external_id,
                Incident.occurred_at,
                Incident.time_precision,
                Incident.latitude,
                Incident.longitude,
                Incident.location_precision,
                Incident.type,
                Incident.sub_type,
                Incident.notes,
            )
        ).all()
    return {tuple(row) for row in rows}


# --- the harness ----------------------------------------------------------------------------------


@dataclass
class Figures:
    """What the trials of one command did."""

    command: str
    backend: str
    clean_seconds: float = 0.0
    rerun_seconds: float | None = None
    trials: list[dict[str, Any]] = field(default_factory=list)

    @property
    def killed_mid_work(self) -> int:
        """Count the trials whose process was still running when SIGKILL arrived."""
        return sum(t["killed_mid_work"] for t in self.trials)


def record(figures: Figures, seconds: float) -> None:
    """Print the summary line and merge the figures into tests/artifacts/crash.json."""
    trials, killed = len(figures.trials), figures.killed_mid_work
    print(
        f"\ncrash {figures.command} [{figures.backend}]: {trials} trials, {killed} killed "
        f"mid-work, {trials - killed} finished before the kill; {seconds:.1f} s"
    )
    ARTIFACT.parent.mkdir(exist_ok=True)
    # runs in parallel (pytest -n, the two backends at once) merge into the file one at a time
    with ARTIFACT.with_suffix(".json.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        merge_figures(figures, seconds)


def merge_figures(figures: Figures, seconds: float) -> None:
    """Merge one command's figures into tests/artifacts/crash.json (the caller holds the lock)."""
    trials, killed = len(figures.trials), figures.killed_mid_work
    try:
        data = json.loads(ARTIFACT.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    delays = [t["delay_s"] for t in figures.trials]
    data.setdefault(figures.backend, {})[figures.command] = {
        "input": (
            f"{NOTES} notes"
            if figures.command == "ingest"
            else f"{ROWS} ACLED rows, batches of {TRIAL_BATCH_ROWS}"
        ),
        "trials": trials,
        "killed_mid_work": killed,
        "finished_before_kill": trials - killed,
        "seed": SEED,
        "delay_s_range": [round(min(delays), 3), round(max(delays), 3)],
        "clean_run_s": round(figures.clean_seconds, 2),
        "rerun_s": None if figures.rerun_seconds is None else round(figures.rerun_seconds, 2),
        "test_s": round(seconds, 1),
        "recorded": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "per_trial": figures.trials,
    }
    tmp = ARTIFACT.with_suffix(f".json.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(ARTIFACT)


@pytest.mark.slow
@pytest.mark.parametrize("command", ["ingest", "import"])
def test_sigkill_mid_work_leaves_a_sound_database(
    command: str,
    home: Path,
    fresh_db: str,
    reference_db: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    began = time.monotonic()
    monkeypatch.setattr(importing, "BATCH_ROWS", TRIAL_BATCH_ROWS)  # inherited by the children
    rng = random.Random(f"{SEED}-{command}")
    if command == "ingest":
        notes = write_notes(tmp_path / "notes", NOTES, rng)
        argv = ["ingest", str(notes), "--json"]
    else:
        export = write_acled(tmp_path / "acled.csv", ROWS, BAD_ROWS, rng)
        argv = ["incidents", "import", str(export), "--format", "acled", "--json"]
        argv += ["--errors", str(tmp_path / "rejected.csv")]
    logs = tmp_path / "logs"
    logs.mkdir()
    figures = Figures(command=command, backend=get_engine(fresh_db).dialect.name)

    # A clean single run on a fresh database: the rows every crashed-and-resumed run must reach.
    ref_home = tmp_path / "reference-home"
    ref_env = {"ACCORD_HOME": str(ref_home), "ACCORD_DB": reference_db}
    prepare(reference_db, ref_home, logs / "reference-init.log")
    clean = run_forked(argv, ref_env, logs / "reference.log")
    assert clean.exit_code == 0, clean.output
    figures.clean_seconds = clean.seconds
    out = json.loads(clean.output)
    good = ROWS - BAD_ROWS
    boundaries = {min(k * TRIAL_BATCH_ROWS, good) for k in range(good // TRIAL_BATCH_ROWS + 2)}
    rerun = run_forked(argv, ref_env, logs / "reference-rerun.log")  # must change nothing
    assert rerun.exit_code == 0, rerun.output
    again = json.loads(rerun.output)
    figures.rerun_seconds = rerun.seconds
    # Each run first passes what is stored (ingest skips known files, an import compares the
    # stored rows; both in file order), then writes. A trial is killed after the time it takes to
    # start and pass what is stored, plus a share of 1.5/TRIALS of the clean run's writing time:
    # each trial writes a part of the input (timing varies with load, so a trial may also run to
    # the end; once all is stored, the kills fall anywhere in a re-run).
    if command == "ingest":
        reference = source_claims(reference_db)
        assert len(reference) == NOTES and out["summary"]["failed"] == 0
        assert all(n > 0 for n in reference.values()), "every note yields claims"
        assert again["summary"]["already_known"] == NOTES
        empty = tmp_path / "empty"
        empty.mkdir()
        start = run_forked(["ingest", str(empty), "--json"], ref_env, logs / "empty.log")
        total = NOTES
    else:
        assert (out["inserted"], out["rejected"]) == (good, BAD_ROWS)
        reference_rows = incident_rows(reference_db)
        assert len(reference_rows) == good
        assert again["unchanged"] == good
        header_only = tmp_path / "header-only.csv"
        header_only.write_text(export.read_text(encoding="utf-8").split("\n", 1)[0] + "\n")
        start = run_forked(
            ["incidents", "import", str(header_only), "--format", "acled", "--json"],
            ref_env,
            logs / "empty.log",
        )
        total = good
    assert start.exit_code == 0, start.output
    base = start.seconds
    per_row = max(rerun.seconds - base, 0.0) / total
    spread = max(clean.seconds - base, 0.0) * 1.5 / TRIALS

    # Trials on one database: start, SIGKILL after a seeded random delay, check, continue.
    env = {"ACCORD_HOME": str(home), "ACCORD_DB": fresh_db}
    prepare(fresh_db, home, logs / "init.log")
    # Stratified: one random point in each 1/TRIALS of the spread, in shuffled order.
    shares = [(k + rng.random()) / TRIALS for k in range(TRIALS)]
    rng.shuffle(shares)
    stored = 0
    stalls = 0  # trials in a row that stored nothing new: each pushes the next kill later
    for trial, share in enumerate(shares):
        # Aim at the writing, past what is stored; once all is written, anywhere in a re-run.
        writing = base + stored * per_row + (share + stalls) * spread
        delay = writing if stored < total else share * rerun.seconds
        run = run_forked(argv, env, logs / f"trial-{trial:02d}.log", kill_after=delay)
        if not run.killed:
            assert run.exit_code == 0, run.output
        check_storage(fresh_db, home)
        before = stored
        if command == "ingest":
            stored = check_sources(fresh_db, home, reference)
        else:
            stored = check_incidents(fresh_db, boundaries)
        stalls = stalls + 1 if stored == before else 0
        figures.trials.append(
            {"delay_s": round(delay, 3), "killed_mid_work": run.killed, "rows_after": stored}
        )

    # The same command, from a cold start, to completion: the rows of the clean run, no more.
    final = run_cold(argv, env)
    assert final.returncode == 0, final.stderr
    check_storage(fresh_db, home)
    out = json.loads(final.stdout)
    if command == "ingest":
        assert check_sources(fresh_db, home, reference) == NOTES
        assert source_claims(fresh_db) == reference
        assert out["summary"]["failed"] == 0
        assert out["summary"]["added"] + out["summary"]["already_known"] == NOTES
    else:
        assert check_incidents(fresh_db, boundaries) == good
        assert incident_rows(fresh_db) == reference_rows
        assert out["rejected"] == BAD_ROWS

    record(figures, time.monotonic() - began)
    assert len(figures.trials) >= 20
    assert figures.killed_mid_work > len(figures.trials) / 2, figures
    # Work was committed between kills: not every kill came before the first commit.
    assert any(t["rows_after"] for t in figures.trials), figures
