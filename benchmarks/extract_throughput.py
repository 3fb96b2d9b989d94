"""Extraction throughput: words per second on one core, both modes beside spaCy's tokenizer.

Builds at least 1 MB of news-style text from the development set and the pack's example
documents (all written by us), then times, in the same run and on the same text, alternating
run by run so that a change of load hits all three alike:
  1. spaCy's English tokenizer alone (the yardstick), over the same chunks the pipeline uses;
  2. accord's extraction in rules mode (sentences, pack matchers, rules, dates, tidy-up);
  3. accord's extraction in accurate mode (the same, then the bundled scorer).
Then each mode's memory: a child process per mode loads it, reads its resident size, extracts
the whole text once under tracemalloc and reports the traced peak and its peak resident size
(``ru_maxrss``).
Prints one JSON object; `--markdown` prints rows for benchmarks/RESULTS.md. Pin it to one core
with ``taskset -c 0`` (the children inherit the pinning).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import spacy

from accord.extract import scorer as scorer_mod
from accord.extract.pipeline import Extractor, _chunks, extractor_for
from accord.packs.loader import load_pack

ROOT = Path(__file__).resolve().parents[1]


def corpus(min_bytes: int) -> str:
    """Return at least min_bytes of our own news-style text."""
    pieces = [
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/data/devset").glob("*.txt"))
    ]
    examples = Path(load_pack("ukraine-2025").root) / "examples"
    pieces += [p.read_text(encoding="utf-8") for p in sorted(examples.glob("*.md"))]
    block = "\n\n".join(pieces)
    repeats = min_bytes // len(block.encode("utf-8")) + 1
    return "\n\n".join([block] * repeats)


def cpu_model() -> str:
    """Return the processor's model name (Linux), else the platform's description."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.system()


def best_of(runs: int, fn) -> float:  # type: ignore[no-untyped-def]
    """Return the fastest of several timed runs, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def build(mode: str):  # type: ignore[no-untyped-def]
    """Return the extractor of a mode: rules, or rules with the bundled scorer."""
    if mode == "rules":
        return extractor_for("ukraine-2025", "rules")
    return Extractor(load_pack("ukraine-2025"), scorer=scorer_mod.load(scorer_mod.BUNDLED))


def peak_rss_mb() -> float:
    """Return this process's peak resident size so far, in MB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def rss_mb() -> float:
    """Return this process's current resident size in MB (Linux), else its peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return peak_rss_mb()


def child_memory(mode: str, mb: float) -> None:
    """In a child process: print resident sizes around one extraction of the whole text.

    ``rss_loaded_mb``: resident size once the mode is loaded and warmed up; ``peak_rss_mb``:
    the process's peak resident size at the end; ``extract_traced_peak_mb``: the peak of the
    memory Python allocated during the extraction (tracemalloc, started after loading).
    """
    text = corpus(int(mb * 1_000_000))
    if mode == "tokenizer":
        tokenizer = spacy.blank("en").tokenizer
        chunks = [c for _o, c in _chunks(text)]

        def work() -> int:
            return sum(len(d) for d in tokenizer.pipe(chunks))
    else:
        extractor = build(mode)
        extractor.extract(text[:20_000], dt.date(2025, 12, 28))

        def work() -> int:
            return len(extractor.extract(text, dt.date(2025, 12, 28)))

    loaded = rss_mb()
    tracemalloc.start()
    count = work()
    traced_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    figures = {
        "rss_loaded_mb": loaded,
        "peak_rss_mb": peak_rss_mb(),
        "extract_traced_peak_mb": round(traced_peak / 1_048_576, 1),
        "count": count,
    }
    print(json.dumps(figures))


def memory(mode: str, mb: float) -> dict[str, float]:
    """Run child_memory for a mode in a fresh interpreter and return its figures."""
    out = subprocess.run(  # noqa: S603 — this script, run with this interpreter
        [sys.executable, __file__, "--child-memory", mode, "--mb", str(mb)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.5, help="size of the text in MB")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each; best is kept")
    parser.add_argument("--markdown", action="store_true", help="print RESULTS.md table rows")
    parser.add_argument("--child-memory", choices=("tokenizer", "rules", "accurate"))
    args = parser.parse_args()
    if args.child_memory:
        child_memory(args.child_memory, args.mb)
        return

    text = corpus(int(args.mb * 1_000_000))
    words = len(text.split())
    extractors = {mode: build(mode) for mode in ("rules", "accurate")}
    tokenizer = spacy.blank("en").tokenizer
    chunks = [c for _o, c in _chunks(text)]
    for extractor in extractors.values():
        extractor.extract(text[:20_000], dt.date(2025, 12, 28))  # warm-up

    claims: dict[str, int] = {}

    def run(mode: str) -> None:
        claims[mode] = len(extractors[mode].extract(text, dt.date(2025, 12, 28)))

    best = {"tokenizer": float("inf"), "rules": float("inf"), "accurate": float("inf")}
    for _ in range(args.runs):
        best["tokenizer"] = min(
            best["tokenizer"], best_of(1, lambda: [len(d) for d in tokenizer.pipe(chunks)])
        )
        best["rules"] = min(best["rules"], best_of(1, lambda: run("rules")))
        best["accurate"] = min(best["accurate"], best_of(1, lambda: run("accurate")))
    memories = {mode: memory(mode, args.mb) for mode in best}
    result = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {cpu_model()}",
        "cpus_allowed": len(os.sched_getaffinity(0)),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "bytes": len(text.encode("utf-8")),
        "words": words,
        "claims": claims,
        "words_per_s": {mode: round(words / t) for mode, t in best.items()},
        "ratio_to_tokenizer": {
            mode: round(best["tokenizer"] / best[mode], 3) for mode in ("rules", "accurate")
        },
        "memory_mb": memories,
    }
    if args.markdown:
        wps = result["words_per_s"]
        ratio = result["ratio_to_tokenizer"]
        for mode in ("rules", "accurate"):
            mem = memories[mode]
            print(
                f"| {result['date']} | {mode} | {wps['tokenizer']:,} | {wps[mode]:,} "  # type: ignore[index]
                f"| {ratio[mode]} | {claims[mode]:,} | {mem['rss_loaded_mb']} | {mem['peak_rss_mb']} "
                f"| {mem['extract_traced_peak_mb']} |"  # type: ignore[index]
            )
    else:
        print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
