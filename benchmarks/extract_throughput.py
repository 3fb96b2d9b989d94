"""Extraction throughput: words per second on one core, beside spaCy's tokenizer on the same text.

Builds at least 1 MB of news-style text from the development set and the pack's example
documents (all written by us), then times, in the same run and on the same text:
  1. spaCy's English tokenizer alone (the yardstick), over the same chunks the pipeline uses;
  2. accord's full extraction (sentences, pack matchers, rules, dates, tidy-up).
Prints one JSON object; `--markdown` prints a row for benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import time
from pathlib import Path

import spacy

from accord.extract.pipeline import _chunks, extractor_for
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.5, help="size of the text in MB")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each; best is kept")
    parser.add_argument("--markdown", action="store_true", help="print a RESULTS.md table row")
    args = parser.parse_args()

    text = corpus(int(args.mb * 1_000_000))
    words = len(text.split())
    extractor = extractor_for("ukraine-2025")
    tokenizer = spacy.blank("en").tokenizer
    chunks = [c for _o, c in _chunks(text)]
    extractor.extract(text[:20_000], dt.date(2025, 12, 28))  # warm-up

    t_tok = best_of(args.runs, lambda: [len(d) for d in tokenizer.pipe(chunks)])
    claims: list[int] = []
    t_ext = best_of(
        args.runs, lambda: claims.append(len(extractor.extract(text, dt.date(2025, 12, 28))))
    )
    result = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {cpu_model()}",
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "bytes": len(text.encode("utf-8")),
        "words": words,
        "claims": claims[-1],
        "tokenizer_words_per_s": round(words / t_tok),
        "extract_words_per_s": round(words / t_ext),
        "ratio_to_tokenizer": round(t_tok / t_ext, 3),
    }
    if args.markdown:
        print(
            f"| {result['date']} | {result['machine']} | {result['bytes']:,} B / {words:,} words "
            f"| {result['tokenizer_words_per_s']:,} | {result['extract_words_per_s']:,} "
            f"| {result['ratio_to_tokenizer']} |"
        )
    else:
        print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
