"""Extraction time against input size (1 to 16 MB): checks that the time grows linearly.

Also covers the bad-input shapes of the extraction issue at size: one long unpunctuated
"sentence" and ordinary prose. Prints seconds and MB/s per size; a flat MB/s means linear time.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from extract_throughput import corpus

from accord.extract.pipeline import extractor_for


def main() -> None:
    extractor = extractor_for("ukraine-2025")
    base = corpus(16_000_000)
    rows = []
    for shape in ("prose", "one-sentence"):
        text_all = base if shape == "prose" else " ".join(base.replace(".", " ").split())
        for mb in (1, 4, 16):
            text = text_all[: mb * 1_000_000]
            start = time.perf_counter()
            claims = extractor.extract(text, dt.date(2025, 12, 28))
            seconds = time.perf_counter() - start
            rows.append(
                {
                    "shape": shape,
                    "mb": mb,
                    "seconds": round(seconds, 2),
                    "mb_per_s": round(mb / seconds, 3),
                    "claims": len(claims),
                }
            )
            print(json.dumps(rows[-1]), flush=True)


if __name__ == "__main__":
    main()
