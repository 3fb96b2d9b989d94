"""A short soak: the server under steady load for 20 s; no errors and flat memory.

The long form is `python benchmarks/soak.py` (five minutes by default; figures in
docs/RELIABILITY.md).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SHORT_FORM = ("--seconds", "20", "--warmup", "5", "--incidents", "2000", "--clients", "8")
SOAK = Path(__file__).resolve().parents[2] / "benchmarks" / "soak.py"


def test_short_soak_has_no_errors_and_flat_memory() -> None:
    done = subprocess.run(
        [sys.executable, str(SOAK), *SHORT_FORM],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    figures = json.loads(done.stdout)
    assert figures["requests"] > 200 and figures["errors"] == 0
    assert figures["rss_growth_mb"] < 10, figures["rss_mb"]
