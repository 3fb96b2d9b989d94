"""Group N documents into stories (MinHash LSH, accord.feeds.stories): time, memory, accuracy.

One document in ten is a copy of an earlier one: a wire prefix and a credit line added, or a
word changed (a syndicated or lightly edited copy). Prints seconds, documents/s, the peak
resident memory (VmHWM) growth, and how many copies joined their original's story and how many
unrelated documents were merged.

    python benchmarks/story_groups.py --docs 100000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time

from accord.feeds.stories import group_documents

VOCAB = [f"w{i}" for i in range(5000)]


def _vm(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field):
                return int(line.split()[1])  # kB
    return 0


def documents(n: int, seed: int = 7) -> tuple[list[tuple[int, str]], dict[int, int]]:
    """Return (id, text) documents and, for each copy, the id of its original."""
    rng = random.Random(seed)  # noqa: S311 (made-up text)
    docs: list[tuple[int, str]] = []
    copy_of: dict[int, int] = {}
    for doc_id in range(1, n + 1):
        if doc_id > 10 and rng.random() < 0.1:
            original = rng.randrange(1, doc_id)
            while original in copy_of:
                original = copy_of[original]
            words = dict(docs[original - 1 : original])[original].split()
            if rng.random() < 0.5:
                text = "Wire " + " ".join(words) + " reporting by the desk"
            else:
                words[rng.randrange(len(words))] = "changed"
                text = " ".join(words)
            copy_of[doc_id] = original
        else:
            text = " ".join(rng.choice(VOCAB) for _ in range(rng.randint(150, 250)))
        docs.append((doc_id, text))
    return docs, copy_of


def main() -> None:
    """Build the documents, group them, print one JSON line."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=5000)
    args = ap.parse_args()
    docs, copy_of = documents(args.docs)
    hwm0 = _vm("VmHWM")
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    story = group_documents(docs)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    joined = sum(1 for c, o in copy_of.items() if story[c] == story[o])
    originals = [d for d, _ in docs if d not in copy_of]
    merged = sum(1 for d in originals if story[d] != d)
    print(
        json.dumps(
            {
                "docs": args.docs,
                "copies": len(copy_of),
                "seconds": round(seconds, 1),
                "cpu_s": round(cpu, 1),
                "docs_per_s": round(args.docs / seconds, 1),
                "peak_rss_growth_mb": round((_vm("VmHWM") - hwm0) / 1024, 1),
                "peak_rss_mb": round(_vm("VmHWM") / 1024, 1),
                "copies_joined": joined,
                "originals_merged": merged,
                "stories": len(set(story.values())),
                "loadavg": os.getloadavg(),
            }
        )
    )


if __name__ == "__main__":
    main()
