"""Read and check a large ACLED file in a child process while the importing process stores it.

Storing (the existing-id query, SQLite's or PostgreSQL's insert, the audit event and the commit)
holds the interpreter lock for nearly every row, so reading on a thread cannot overlap it; a
process can. The child runs the same ``importing.map_acled_blocks`` as the in-process path and
sends each block's good rows (stored form, column by column) with the rows counted, rejected and
reported so far; the parent stores them batch by batch as before, so the rows stored, the error
report, the batches and the progress bar are the same either way.

The child is a fresh interpreter (``python -m accord.incidents.reading``, the parent's accord
first on its path) talking over a pipe: nothing of the parent is copied into it (safe in a
threaded web server) and, unlike ``multiprocessing``'s spawn, it does not re-import the parent's
main module. It ignores Ctrl-C (the parent decides when it ends) and is ended by the parent on any
exit, exception or interrupt. When the parent disappears, the child's next send fails on the
closed pipe and it exits. A child that dies is reported as ``ReaderFailed`` after the rows it had
sent are stored.

It pays only when the two processes have a CPU each: with one CPU, or another busy program on
the second, the child's reading and the hand-over of its rows cost more than they save (2 vCPUs,
1,000,000 rows, 2026-11-27: 0.73 of the benchmark's yardstick idle, 0.44 against 0.63 in one
process with another test run on the machine). ``importing`` decides (``ACCORD_IMPORT_READER``).
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Generator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

import accord
from accord.errors import AccordError, ReaderFailed
from accord.incidents import blocks

if TYPE_CHECKING:
    from accord.incidents.importing import ImportSummary

__all__ = ["ReaderFailed", "acled_chunks", "available", "free_cpus", "main", "usable_cpus"]

# seconds the parent waits for the child to end after asking it to (then kills it)
STOP_SECONDS = 5.0


def available() -> bool:
    """Whether a reading process can be started here (POSIX: the pipe is passed by descriptor)."""
    return os.name == "posix" and bool(sys.executable)


def usable_cpus() -> int:
    """Return how many CPUs this process may run on (its affinity, else the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def free_cpus(seconds: float = 0.1) -> float:
    """Return how many of the CPUs this process may run on were idle over a short sample.

    Read from ``/proc/stat`` (Linux); 0 where it cannot be read. The caller waits meanwhile, so a
    machine with nothing else to do shows all its CPUs free.
    """
    try:
        allowed = os.sched_getaffinity(0)
        before = _cpu_times(allowed)
        time.sleep(seconds)
        after = _cpu_times(allowed)
    except (AttributeError, OSError, ValueError):
        return 0.0
    free = 0.0
    for cpu, (idle, total) in after.items():
        idle_then, total_then = before.get(cpu, (idle, total))
        if total > total_then:
            free += (idle - idle_then) / (total - total_then)
    return free


def _cpu_times(allowed: set[int]) -> dict[int, tuple[int, int]]:
    """Return (idle, total) clock ticks of each allowed CPU."""
    times = {}
    for line in Path("/proc/stat").read_text().splitlines():
        name, *fields = line.split()
        if name.startswith("cpu") and name[3:].isdigit() and int(name[3:]) in allowed:
            ticks = [int(f) for f in fields[:8]]  # user nice system idle iowait irq softirq steal
            times[int(name[3:])] = (ticks[3] + ticks[4], sum(ticks))
    return times


def _read(sender: Connection, path: str, area: list[float] | None, tuning: dict[str, int]) -> None:
    """Child: map the file's blocks and send them; then ``("end", ...)`` or the error."""
    from accord.incidents import importing

    blocks.ARROW_BLOCK_BYTES = tuning["arrow_block_bytes"]
    blocks.CSV_BLOCK_ROWS = tuning["csv_block_rows"]
    csv.field_size_limit(tuning["field_size_limit"])
    summary = importing.ImportSummary(file=path, format="acled")
    sent = 0
    try:
        try:
            for chunk in importing.map_acled_blocks(Path(path), area, summary):
                problems = summary.problems[sent:]
                sent = len(summary.problems)
                sender.send(("chunk", chunk, summary.rows, summary.rejected, problems))
        except AccordError as exc:
            sender.send(("error", exc, summary.rows, summary.rejected, summary.problems[sent:]))
        except Exception:
            sender.send(("crash", traceback.format_exc()))
        else:
            sender.send(("end", None, summary.rows, summary.rejected, summary.problems[sent:]))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the parent has gone (or stopped listening): nothing more to do
    finally:
        sender.close()


def main(argv: list[str]) -> None:
    """Child entry point: ``python -m accord.incidents.reading FD JSON-ARGUMENTS``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    arguments = json.loads(argv[1])
    _read(Connection(int(argv[0]), readable=False), **arguments)


def acled_chunks(
    path: Path, area: list[float] | None, summary: ImportSummary
) -> Generator[dict[str, list[Any]], None, None]:
    """Yield what ``importing.map_acled_blocks`` yields, read and checked in a child process.

    ``summary`` gets the child's counts and problems before each block's rows are yielded, as
    in-process. Errors about the file (``InvalidInput``) are raised here as the child raised them;
    a child that stops otherwise raises ``ReaderFailed``.
    """
    arguments = {
        "path": str(path),
        "area": list(area) if area else None,
        "tuning": {
            "arrow_block_bytes": blocks.ARROW_BLOCK_BYTES,
            "csv_block_rows": blocks.CSV_BLOCK_ROWS,
            "field_size_limit": csv.field_size_limit(),
        },
    }
    read_fd, write_fd = os.pipe()
    _widen(write_fd)
    env = dict(os.environ)
    here = str(Path(accord.__file__).resolve().parents[1])  # this accord, not another installed one
    env["PYTHONPATH"] = os.pathsep.join(p for p in (here, env.get("PYTHONPATH")) if p)
    try:
        child = subprocess.Popen(  # noqa: S603 — this interpreter running our own module; no shell
            [
                sys.executable,
                "-m",
                "accord.incidents.reading",
                str(write_fd),
                json.dumps(arguments),
            ],
            pass_fds=(write_fd,),
            stdin=subprocess.DEVNULL,
            env=env,
        )
    except BaseException:
        os.close(read_fd)
        raise
    finally:
        os.close(write_fd)  # the child holds the only writing end: EOF here when it is gone
    receiver = Connection(read_fd, writable=False)
    try:
        while True:
            try:
                message = receiver.recv()
            except (EOFError, OSError):  # OSError: the pipe closed in the middle of a message
                code = _wait(child)
                raise ReaderFailed(
                    f"{path}: the process reading the file stopped unexpectedly (exit code "
                    f"{code}); the batches stored before it stopped are kept"
                ) from None
            kind = message[0]
            if kind == "crash":
                raise ReaderFailed(f"{path}: reading the file failed in its process:\n{message[1]}")
            summary.rows, summary.rejected = message[2], message[3]
            summary.problems.extend(message[4])
            if kind == "chunk":
                yield message[1]
            elif kind == "error":
                raise message[1]
            else:
                _wait(child)
                return
    finally:
        receiver.close()
        _stop(child)


# bytes a pipe holds (Linux): a block's rows pass in a few writes instead of one per 64 KiB
PIPE_BYTES = 1 << 20


def _widen(fd: int) -> None:
    """Let the pipe hold PIPE_BYTES where the system allows it (else keep its size)."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass


def _wait(child: subprocess.Popen[bytes]) -> int | None:
    try:
        return child.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        return None


def _stop(child: subprocess.Popen[bytes]) -> None:
    """End the child if it still runs (terminate, then kill) and reap it."""
    if child.poll() is None:
        child.terminate()
        if _wait(child) is None:
            child.kill()
            child.wait()


if __name__ == "__main__":
    main(sys.argv[1:])
