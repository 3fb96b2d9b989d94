"""Start-up time of the ``accord`` command beside ``python -c pass`` (the floor), in one run.

Usage: ``python benchmarks/cli_startup.py [--runs 15] [--before SRC]``. ``--before`` names the
``src`` folder of an older checkout (e.g. one that imports every command eagerly) to time it in
the same run. Each figure is the median wall time of fresh processes, alternated so that load on
the machine falls on all of them alike.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def _time(cmd: list[str], src: Path | None) -> float:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    start = time.perf_counter()
    # our own interpreter and entry point, no shell, no outside input
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)  # noqa: S603
    return time.perf_counter() - start


def main() -> None:
    """Time python -c pass, accord --version and accord --help; print a Markdown table row set."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--before", type=Path, help="src folder of the version to compare")
    args = parser.parse_args()
    entry = [sys.executable, "-c", "from accord.cli.main import run; run()"]
    cases: list[tuple[str, list[str], Path | None]] = [
        ("python -c pass", [sys.executable, "-c", "pass"], None)
    ]
    for label, src in (("now", SRC), ("before", args.before)):
        if src is None:
            continue
        for flag in ("--version", "--help"):
            cases.append((f"accord {flag} ({label})", [*entry, flag], src))
    times: dict[str, list[float]] = {label: [] for label, _, _ in cases}
    for _ in range(args.runs):
        for label, cmd, src in cases:
            times[label].append(_time(cmd, src))
    print(f"runs: {args.runs}, load average: {os.getloadavg()[0]:.2f}, cpus: {os.cpu_count()}")
    print("| command | median (s) | p90 (s) |")
    print("| --- | --- | --- |")
    for label, values in times.items():
        values.sort()
        p90 = values[min(len(values) - 1, int(0.9 * len(values)))]
        print(f"| {label} | {statistics.median(values):.3f} | {p90:.3f} |")


if __name__ == "__main__":
    main()
