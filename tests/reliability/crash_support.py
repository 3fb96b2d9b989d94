"""Crash harness support: generated inputs, and running accord in a process that can be killed."""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from accord.cli.main import app
from accord.db.session import dispose_engines
from accord.incidents.rows import ACLED_COLUMNS

TRIALS = 20
SEED = 20260214
NOTES = 300
ROWS = 20_000
BAD_ROWS = 20  # rejected by every run: they must never land
# The forked children import in batches of this many rows instead of the default 5,000, so the
# kills fall between (and inside) 20 commits; the cold final run uses the default.
TRIAL_BATCH_ROWS = 1000
ARTIFACT = Path(__file__).resolve().parents[1] / "artifacts" / "crash.json"
HANG_SECONDS = 300

PLACES = ["Geneva", "Abu Dhabi", "Istanbul", "Miami", "Riyadh", "Berlin", "Paris", "London"]
SPEAKERS = [
    ("Kyiv", "Ukraine"),
    ("Moscow", "Russia"),
    ("Washington", "the United States"),
    ("Brussels", "the European Union"),
]
TOPICS = [
    "the territorial question",
    "security guarantees",
    "a ceasefire along the front line",
    "the Zaporizhzhia nuclear plant",
    "prisoner exchanges",
    "sanctions relief",
    "the size of the armed forces",
    "frozen assets for reconstruction",
]
VERBS = ["rejected", "backed", "said it was ready to discuss", "refused to accept", "welcomed"]


# --- inputs ---------------------------------------------------------------------------------------


def write_notes(folder: Path, count: int, rng: random.Random) -> Path:
    """Write `count` short synthetic news notes (our own words) with Title/Date front matter."""
    folder.mkdir(parents=True)
    start = dt.date(2025, 11, 20)
    for n in range(count):
        place = rng.choice(PLACES)
        (city_a, party_a), (city_b, party_b) = rng.sample(SPEAKERS, 2)
        topic_a, topic_b = rng.sample(TOPICS, 2)
        day = start + dt.timedelta(days=n % 90)
        body = (
            f"Delegations met in {place} on {day:%d %B %Y} for round {n} of the talks.\n"
            f"{city_a} {rng.choice(VERBS)} the proposal on {topic_a}, officials said.\n"
            f"{party_b} said {topic_b} was not agreed and that work would continue.\n"
            f"A spokesman for {party_a} told reporters the next meeting could come within "
            f"{rng.randint(2, 30)} days. Note {n}: {city_b} has not commented.\n"
        )
        (folder / f"note-{n:04d}.md").write_text(
            f"Title: Talks in {place}, round {n}\nDate: {day.isoformat()}\n\n{body}",
            encoding="utf-8",
        )
    return folder


def write_acled(path: Path, rows: int, bad: int, rng: random.Random) -> Path:
    """Write an ACLED export of `rows` events inside the pack's area; `bad` of them unusable."""
    bad_rows = set(rng.sample(range(rows), bad))
    types = [
        ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ("Explosions/Remote violence", "Air/drone strike"),
        ("Battles", "Armed clash"),
    ]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(ACLED_COLUMNS))
        writer.writeheader()
        for n in range(rows):
            event_type, sub_type = rng.choice(types)
            day = dt.date(2026, 1, 1) + dt.timedelta(days=n % 60)
            row = dict.fromkeys(ACLED_COLUMNS, "")
            row.update(
                event_id_cnty=f"UKR{n:06d}",
                event_date=day.isoformat(),
                year=str(day.year),
                time_precision=str(rng.choice((1, 1, 1, 2, 3))),
                disorder_type="Political violence",
                event_type=event_type,
                sub_event_type=sub_type,
                actor1=rng.choice(("Military Forces of Russia", "Military Forces of Ukraine")),
                country="Ukraine",
                admin1=rng.choice(("Donetsk", "Zaporizhia", "Kharkiv", "Kherson")),
                location=f"Village {n % 500}",
                latitude=f"{rng.uniform(46.5, 50.0):.4f}",
                longitude=f"{rng.uniform(33.0, 38.5):.4f}",
                geo_precision=str(rng.choice((1, 1, 2, 3))),
                source="Synthetic wire",
                notes=f"Synthetic event {n}: shelling reported near the line.",
                fatalities=str(rng.choice((0, 0, 0, 1, 2))),
            )
            if n in bad_rows:
                row["latitude"] = "95.5"  # out of range: rejected with its row number
            writer.writerow(row)
    return path


# --- running accord in a process that can be killed -----------------------------------------------


@dataclass
class Run:
    """One process: killed by SIGKILL while running, or exited with a code."""

    killed: bool
    exit_code: int | None
    seconds: float
    output: str


def _child(argv: list[str], env: dict[str, str], log: Path) -> None:  # pragma: no cover
    """Run `accord ARGV` in the forked child and leave with its exit code, whatever happens."""
    code = 70
    try:
        os.environ.update(env)
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
        sys.stdout = os.fdopen(1, "w", closefd=False)
        sys.stderr = os.fdopen(2, "w", closefd=False)
        try:
            app(args=argv, prog_name="accord")
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
        except BaseException:
            traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def run_forked(
    argv: list[str], env: dict[str, str], log: Path, kill_after: float | None = None
) -> Run:
    """Fork a process running `accord ARGV`; SIGKILL it after `kill_after` seconds if still up."""
    dispose_engines()  # the child must not inherit open database connections
    sys.stdout.flush()
    sys.stderr.flush()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        _child(argv, env, log)
    deadline = start + (kill_after if kill_after is not None else HANG_SECONDS)
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        left = deadline - time.monotonic()
        if left <= 0:
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            break
        time.sleep(min(left, 0.002))
    seconds = time.monotonic() - start
    output = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    if os.WIFSIGNALED(status):
        assert os.WTERMSIG(status) == signal.SIGKILL, output
        assert kill_after is not None, f"accord {argv} hung for {HANG_SECONDS} s"
        return Run(True, None, seconds, output)
    return Run(False, os.WEXITSTATUS(status), seconds, output)


def run_cold(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run `python -m accord.cli.main ARGV` from a cold start, to completion."""
    dispose_engines()
    return subprocess.run(
        [sys.executable, "-m", "accord.cli.main", *argv],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=HANG_SECONDS,
        check=False,
    )
