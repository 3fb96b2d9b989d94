"""The column-wise ACLED import against the row-by-row one: same rows stored, same problems.

Also the reading process (large files): the same rows and problems, and it never outlives the import.
"""

import csv
import io
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from test_import import AREA, acled_row

from accord.db.session import session_scope
from accord.incidents import blocks, bulk, importing, reading
from accord.incidents.models import Incident
from accord.incidents.rows import ACLED_COLUMNS, acled_columns
from dbtools import drop_database_url, new_database_url

BAD = [
    {"latitude": "95"},
    {"latitude": "40.0", "longitude": "10.0"},  # outside the area
    {"latitude": "nan"},
    {"longitude": "inf"},
    {"longitude": "east"},
    {"latitude": ""},
    {"event_date": "31/31/2026"},
    {"event_date": ""},
    {"event_date": "2026-02-30"},
    {"event_type": "Fireworks"},
    {"sub_event_type": "Juggling"},
    {"geo_precision": "9"},
    {"time_precision": ""},
    {"fatalities": "-1"},
    {"fatalities": "many"},
    {"fatalities": "1e400"},
    {"event_id_cnty": "  "},
]
ODD_BUT_GOOD = [
    {"latitude": " 47.5 ", "longitude": "3_5.5"},  # what float() reads
    {"fatalities": "3.0", "civilian_targeting": " Civilian targeting"},
    {"event_date": "3 February 2026", "geo_precision": "2.0"},
    {"event_date": "2026-02-03T10:00:00+02:00", "time_precision": " 3 "},
    {"notes": 'Shelling, "heavy", then\nsilence', "source": "Wire; Radio"},
    {"event_type": "shelling-artillery-missile-attack", "sub_event_type": ""},
    {"actor2": "", "tags": "x", "iso": "", "interaction": "13", "admin2": ""},
]


def mixed_rows(count: int) -> list[dict[str, str]]:
    rows = []
    for i in range(count):
        overrides: dict[str, str] = {"event_id_cnty": f"UKR{i}", "fatalities": str(i % 4)}
        if i % 7 == 3:
            overrides.update(BAD[(i // 7) % len(BAD)])
        elif i % 5 == 1:
            overrides.update(ODD_BUT_GOOD[(i // 5) % len(ODD_BUT_GOOD)])
        if i % 97 == 50:
            overrides["event_id_cnty"] = f"UKR{i - 40}"  # a duplicate of an earlier row
        rows.append(acled_row(**overrides))
    return rows


def write_rows(path: Path, rows: list[dict[str, str]], *, bom: bool = False) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(ACLED_COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


def row_by_row(path: Path, area: Any, summary: importing.ImportSummary) -> Any:
    rows = importing.map_rows(importing.read_rows(path, "acled"), "acled", area, summary)
    return importing._row_chunks(rows)


def stored(url: str) -> list[tuple[Any, ...]]:
    skip = {"created_at", "updated_at"}
    names = [c.name for c in Incident.__table__.columns if c.name not in skip]
    with session_scope(url) as session:
        rows = session.execute(select(*[Incident.__table__.c[n] for n in names]).order_by("id"))
        return [tuple(r) for r in rows]


@pytest.fixture
def dbs(fresh_db: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two migrated databases of the backend under test: column-wise, row by row."""
    from accord.db import migrate

    (tmp_path / "second").mkdir()
    second = new_database_url(tmp_path / "second")
    for url in (fresh_db, second):
        migrate.upgrade(url)
    yield fresh_db, second
    drop_database_url(second)


def both_ways(
    path: Path, dbs: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> tuple[importing.ImportSummary, importing.ImportSummary]:
    def run(url: str) -> importing.ImportSummary:
        return importing.run_import(
            path, "acled", area=AREA, by="t", open_session=lambda: session_scope(url)
        )

    fast = run(dbs[0])
    with monkeypatch.context() as patch:
        patch.setattr(importing, "map_acled_blocks", row_by_row)
        slow = run(dbs[1])
    return fast, slow


def same(fast: importing.ImportSummary, slow: importing.ImportSummary) -> None:
    assert fast.problems == slow.problems
    for name in ("rows", "inserted", "updated", "unchanged", "rejected"):
        assert getattr(fast, name) == getattr(slow, name), name


def test_column_wise_and_row_by_row_store_the_same(
    tmp_path: Path, dbs: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "BATCH_ROWS", 70)
    monkeypatch.setattr(blocks, "ARROW_BLOCK_BYTES", 4096)  # many blocks, cut anywhere
    path = write_rows(tmp_path / "mixed.csv", mixed_rows(400), bom=True)
    fast, slow = both_ways(path, dbs, monkeypatch)
    fast_db, slow_db = dbs
    same(fast, slow)
    assert fast.rejected > 50 and fast.inserted > 300
    assert {p.reason.split(" ")[0] for p in fast.problems} >= {"latitude:", "duplicate", "unknown"}
    assert stored(fast_db) == stored(slow_db)
    # a re-import changes nothing
    again = importing.run_import(
        path, "acled", area=AREA, by="t", open_session=lambda: session_scope(fast_db)
    )
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, fast.inserted)


def test_rows_pyarrow_cannot_read_go_to_the_csv_module(
    tmp_path: Path, dbs: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "BATCH_ROWS", 50)
    monkeypatch.setattr(blocks, "ARROW_BLOCK_BYTES", 2048)
    text = write_rows(tmp_path / "a.csv", mixed_rows(300)).read_bytes().decode("utf-8")
    lines = text.split("\r\n")
    lines[200] = lines[200].split(",", 3)[0]  # a short row, far into the file
    lines[230] = ""  # a blank line: a row of empty fields
    path = tmp_path / "short.csv"
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    fast, slow = both_ways(path, dbs, monkeypatch)
    fast_db, slow_db = dbs
    same(fast, slow)
    assert stored(fast_db) == stored(slow_db)
    assert any(p.row == 201 for p in fast.problems)


def test_an_error_late_in_the_file_keeps_the_batches_before_it(
    tmp_path: Path, dbs: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "BATCH_ROWS", 40)
    monkeypatch.setattr(blocks, "ARROW_BLOCK_BYTES", 2048)
    data = write_rows(tmp_path / "a.csv", mixed_rows(300)).read_bytes()
    path = tmp_path / "late.csv"
    cut = data.index(b"UKR250")
    path.write_bytes(data[:cut] + b"\xff\xfe" + data[cut:])
    results = []
    for url, patched in zip(dbs, (False, True), strict=True):

        def open_session(url: str = url) -> Any:
            return session_scope(url)

        with monkeypatch.context() as patch:
            if patched:
                patch.setattr(importing, "map_acled_blocks", row_by_row)
            with pytest.raises(importing.InvalidInput, match="not UTF-8 text") as caught:
                importing.run_import(path, "acled", area=AREA, by="t", open_session=open_session)
        results.append((str(caught.value), stored(url)))
    (fast_error, fast_rows), (slow_error, slow_rows) = results
    assert fast_error == slow_error
    # Both keep the batches committed before the error; row by row, the text is decoded a chunk at
    # a time, so the error may come up some rows before the undecodable bytes.
    assert fast_rows[: len(slow_rows)] == slow_rows
    assert len(slow_rows) % 40 == 0 and len(fast_rows) % 40 == 0 and len(fast_rows) >= 160


def test_the_column_wise_mapper_reads_only_the_columns_it_asks_for() -> None:
    read: set[str] = set()

    class Recording(dict[str, str]):
        def get(self, key: str, default: Any = None) -> Any:
            read.add(key)
            return super().get(key, default)

        def __getitem__(self, key: str) -> str:
            read.add(key)
            return super().__getitem__(key)

    for overrides in [{}, *ODD_BUT_GOOD]:
        acled_columns(Recording(acled_row(**overrides)))
    assert read <= set(bulk.ACLED_READ)


TEXT = st.text(alphabet='a,"\n\r é\x00', max_size=60)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=TEXT)
def test_blocks_read_what_the_csv_module_reads(tmp_path: Path, body: str) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(("a,b,c\n" + body).encode("utf-8"))
    header, found = blocks.read_blocks(path, ("a",))
    rows = [list(r) for b in found for r in zip(*b.columns.values(), strict=True)]
    expected = list(csv.reader(io.StringIO(body, newline="")))
    assert header == ["a", "b", "c"]
    assert rows == [[*r, "", "", ""][:3] for r in expected]


def test_a_field_over_the_csv_limit_is_the_csv_module_s_error(
    tmp_path: Path, dbs: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = mixed_rows(30)
    rows[20]["notes"] = "é" * 150  # 300 bytes, 150 characters
    path = write_rows(tmp_path / "long.csv", rows)
    previous = csv.field_size_limit(200)
    try:
        assert (
            importing.run_import(
                path, "acled", area=AREA, by="t", open_session=lambda: session_scope(dbs[0])
            ).rows
            == 30
        )  # over the limit in bytes, not in characters: read by pyarrow
        csv.field_size_limit(100)
        errors = []
        for url, patched in zip(dbs, (False, True), strict=True):

            def open_session(url: str = url) -> Any:
                return session_scope(url)

            with monkeypatch.context() as patch:
                if patched:
                    patch.setattr(importing, "map_acled_blocks", row_by_row)
                with pytest.raises(importing.InvalidInput, match="field larger") as caught:
                    importing.run_import(
                        path, "acled", area=AREA, by="t", open_session=open_session
                    )
            errors.append(str(caught.value))
        assert errors[0] == errors[1]
    finally:
        csv.field_size_limit(previous)


# --- ACLED files read in a child process (``reading``): same rows and problems, no orphans ---

READER = "accord.incidents.reading"


def readers() -> list[int]:
    """The pids of this process's live reading children (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        state, parent = fields[0], int(fields[1])
        if parent == os.getpid() and READER in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def run(path: Path, url: str, *, process: bool, **options: Any) -> importing.ImportSummary:
    """Import with the reading process (``process``) or in this process."""
    previous = os.environ.get("ACCORD_IMPORT_READER")
    os.environ["ACCORD_IMPORT_READER"] = "process" if process else "inline"
    try:
        return importing.run_import(
            path, "acled", area=AREA, by="t", open_session=lambda: session_scope(url), **options
        )
    finally:
        if previous is None:
            del os.environ["ACCORD_IMPORT_READER"]
        else:
            os.environ["ACCORD_IMPORT_READER"] = previous


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small batches and blocks, so that a few hundred rows make many of each."""
    monkeypatch.setattr(importing, "BATCH_ROWS", 60)
    monkeypatch.setattr(blocks, "ARROW_BLOCK_BYTES", 4096)


needs_posix = pytest.mark.skipif(not reading.available(), reason="reading process needs POSIX")


@needs_posix
def test_the_reading_process_stores_what_the_import_stores_in_process(
    tmp_path: Path, dbs: tuple[str, str], small_pieces: None
) -> None:
    path = write_rows(tmp_path / "mixed.csv", mixed_rows(500), bom=True)
    seen: list[list[int]] = []
    batches: list[int] = []

    def progress(rows: int) -> None:
        seen.append(readers())
        batches.append(rows)

    in_child = run(path, dbs[0], process=True, progress=progress)
    in_process = run(path, dbs[1], process=False)
    same(in_child, in_process)
    assert in_child.rejected > 50 and in_child.inserted > 350
    assert stored(dbs[0]) == stored(dbs[1])
    assert all(len(pids) == 1 for pids in seen[:3]), seen  # it did run in a child
    assert readers() == []
    assert batches[:-1] == [60] * (len(batches) - 1) and sum(batches) == in_child.inserted
    again = run(path, dbs[0], process=True)  # a re-import changes nothing
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, in_child.inserted)


@needs_posix
def test_an_error_late_in_the_file_is_raised_as_in_process(
    tmp_path: Path, dbs: tuple[str, str], small_pieces: None
) -> None:
    data = write_rows(tmp_path / "a.csv", mixed_rows(300)).read_bytes()
    path = tmp_path / "late.csv"
    cut = data.index(b"UKR250")
    path.write_bytes(data[:cut] + b"\xff\xfe" + data[cut:])
    errors = []
    for url, process in zip(dbs, (True, False), strict=True):
        with pytest.raises(importing.InvalidInput, match="not UTF-8 text") as caught:
            run(path, url, process=process)
        errors.append(str(caught.value))
    assert errors[0] == errors[1]
    assert stored(dbs[0]) == stored(dbs[1]) and len(stored(dbs[0])) >= 120
    assert readers() == []


@needs_posix
def test_a_reader_that_dies_is_a_clear_error_after_the_rows_it_sent(
    tmp_path: Path, dbs: tuple[str, str], small_pieces: None
) -> None:
    path = write_rows(tmp_path / "mixed.csv", mixed_rows(3000))
    killed: list[int] = []

    def kill_reader(rows: int) -> None:
        if not killed:
            [pid] = readers()
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    with pytest.raises(reading.ReaderFailed, match=r"stopped unexpectedly \(exit code -9\)"):
        run(path, dbs[0], process=True, progress=kill_reader)
    assert killed and readers() == []
    kept = len(stored(dbs[0]))
    assert 60 <= kept < 2500 and kept % 60 == 0  # whole batches only, and not the whole file
    finished = run(path, dbs[0], process=True)  # running it again completes the import
    assert finished.inserted == run(path, dbs[1], process=False).inserted - kept


@needs_posix
@pytest.mark.parametrize("stop", [KeyboardInterrupt, RuntimeError])
def test_the_reader_ends_when_the_import_stops(
    tmp_path: Path, dbs: tuple[str, str], small_pieces: None, stop: type[BaseException]
) -> None:
    path = write_rows(tmp_path / "mixed.csv", mixed_rows(3000))
    running: list[int] = []

    def interrupt(rows: int) -> None:
        running.extend(readers())
        raise stop("stop")

    with pytest.raises(stop):
        run(path, dbs[0], process=True, progress=interrupt)
    assert len(running) == 1
    assert readers() == []
    assert not Path(f"/proc/{running[0]}").exists()  # ended and reaped, not a zombie
    assert len(stored(dbs[0])) == 60  # the batch committed before the interruption


@needs_posix
@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs CPU affinity")
def test_auto_reads_in_process_when_one_cpu_is_all_there_is(
    tmp_path: Path, dbs: tuple[str, str], small_pieces: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large file on a machine with two CPUs gets the reader; pinned to one CPU, it does not.

    How busy the CPUs are is left out here (a saturated test machine has none idle): any reading
    counts as enough, so only the pinning decides. The idle-CPU threshold is tested just below.
    """
    monkeypatch.setenv("ACCORD_IMPORT_READER", "auto")
    monkeypatch.setattr(importing, "READER_PROCESS_BYTES", 0)  # every file counts as large
    monkeypatch.setattr(importing, "READER_FREE_CPUS", 0.0)  # whatever the machine's load
    path = write_rows(tmp_path / "mixed.csv", mixed_rows(300))
    allowed = os.sched_getaffinity(0)
    if len(allowed) < 2:
        pytest.skip("needs two CPUs")
    for url, cpus in zip(dbs, (allowed, {min(allowed)}), strict=True):
        seen: list[list[int]] = []
        os.sched_setaffinity(0, cpus)
        try:
            importing.run_import(
                path,
                "acled",
                area=AREA,
                by="t",
                open_session=lambda url=url: session_scope(url),
                progress=lambda _rows, seen=seen: seen.append(readers()),
            )
        finally:
            os.sched_setaffinity(0, allowed)
        assert seen and all(len(pids) == (1 if cpus == allowed else 0) for pids in seen[:2])
    assert 0.0 <= reading.free_cpus(0.05) <= len(allowed)


def test_auto_wants_a_large_file_two_cpus_and_enough_of_them_idle() -> None:
    """The reader decision on given CPU readings; the idle CPUs are sampled only when needed."""
    large, small = importing.READER_PROCESS_BYTES, importing.READER_PROCESS_BYTES - 1
    samples: list[float] = []

    def idle(cpus: float) -> Callable[[], float]:
        def sample() -> float:
            samples.append(cpus)
            return cpus

        return sample

    assert importing.reader_pays(large, 2, idle(importing.READER_FREE_CPUS))
    assert importing.reader_pays(large, 8, idle(3.9))
    assert not importing.reader_pays(large, 2, idle(importing.READER_FREE_CPUS - 0.01))  # busy
    assert not importing.reader_pays(large, 2, idle(0.0))
    assert samples == [importing.READER_FREE_CPUS, 3.9, importing.READER_FREE_CPUS - 0.01, 0.0]
    assert not importing.reader_pays(large, 1, idle(1.0))  # one CPU: no sampling
    assert not importing.reader_pays(small, 2, idle(2.0))  # a small file: no sampling
    assert len(samples) == 4


# --- values written into the INSERT statement instead of bound per row ---


def test_values_written_into_the_statement_are_stored_as_bound_ones(
    tmp_path: Path, dbs: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plain user name goes into the statement, one with quotes or % is bound: same rows."""
    monkeypatch.setattr(importing, "BATCH_ROWS", 3)  # batches with and without notes, admin2
    rows = mixed_rows(12)
    for i, row in enumerate(rows):
        row["notes"] = "" if i < 6 else f"note {i}: 'quoted', 100% \\ sure"
        row["admin2"] = "" if i % 6 < 3 else "Kramatorskyi"
    path = write_rows(tmp_path / "a.csv", rows)
    users = ("monitor-1", "o'brien'); DELETE FROM incidents; -- 100% \\")
    for url, user in zip(dbs, users, strict=True):
        summary = importing.run_import(
            path, "acled", area=AREA, by=user, open_session=lambda url=url: session_scope(url)
        )
        assert summary.inserted > 6
    plain, bound = stored(dbs[0]), stored(dbs[1])
    by = [c.name for c in Incident.__table__.columns if c.name not in {"created_at", "updated_at"}]
    at = by.index("created_by")
    assert {r[at] for r in plain} == {users[0]} and {r[at] for r in bound} == {users[1]}
    assert [r[:at] + r[at + 1 :] for r in plain] == [r[:at] + r[at + 1 :] for r in bound]
    notes = [r[by.index("notes")] for r in plain]
    assert None in notes and any(n and "100% \\" in n for n in notes)
    with session_scope(dbs[0]) as session:
        for incident in session.scalars(select(Incident)):
            assert incident.status == "reported" and incident.source_format == "acled"
            assert incident.created_at == incident.updated_at
            assert incident.created_at.tzinfo is not None
            assert incident.attributed_to is None and incident.reporter is None


@needs_posix
def test_the_reader_exits_when_the_importing_process_is_killed(
    tmp_path: Path, fresh_db: str, small_pieces: None
) -> None:
    """SIGKILL leaves no cleanup to the parent: the child's next send fails and it exits."""
    import subprocess
    import sys
    import time

    from accord.db import migrate

    migrate.upgrade(fresh_db)
    path = write_rows(tmp_path / "orphan-check.csv", mixed_rows(3000))
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from accord.db.session import session_scope\n"
        "from accord.incidents import blocks, importing\n"
        "importing.BATCH_ROWS = 60\n"
        "blocks.ARROW_BLOCK_BYTES = 4096\n"
        "def die(rows):\n"
        "    print('stored', flush=True)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "importing.run_import(Path(sys.argv[1]), 'acled', area=None, by='t',\n"
        "    open_session=lambda: session_scope(sys.argv[2]), progress=die)\n"
    )
    env = {**os.environ, "ACCORD_IMPORT_READER": "process"}
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    with out.open("w") as stdout, err.open("w") as stderr:  # files: the child shares them
        done = subprocess.run(
            [sys.executable, "-c", script, str(path), fresh_db],
            env=env,
            stdout=stdout,
            stderr=stderr,
            timeout=120,
        )
    assert done.returncode == -signal.SIGKILL, err.read_text()
    assert "stored" in out.read_text()

    def orphans() -> list[str]:
        found = []
        for entry in Path("/proc").iterdir():
            try:
                cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if READER in cmdline and str(path) in cmdline and state != "Z":
                found.append(entry.name)
        return found

    deadline = time.monotonic() + 10  # it is blocked on a send: EPIPE at once
    while orphans() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert orphans() == []
