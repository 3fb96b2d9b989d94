"""Shared pieces of the corpus benchmarks: the machine, a split's items and their rule candidates.

The accurate mode is the rules followed by the scorer (``Extractor.extract`` runs the rules,
tidies, then rescores and drops); the benchmarks run the rules once per item and rescore copies
of the same candidates with each model, which gives the same claims as running the accurate
extractor again (``check_same_as_extractor`` verifies it on the items it is given).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
from dataclasses import dataclass
from pathlib import Path

from accord.extract import corpus as corpus_mod
from accord.extract.contract import ClaimOut, claim_key
from accord.extract.pipeline import Extractor, extractor_for
from accord.extract.scorer import Scorer

ROOT = Path(__file__).resolve().parents[1]
PACK = "ukraine-2025"


def machine() -> dict[str, object]:
    """Return the processor model (lscpu's 'Model name'), logical CPUs and total memory."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cpu": model,
        "nproc": os.cpu_count(),
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


@dataclass
class Item:
    """One cached corpus item: its id, text, date, gold keys and rule candidates."""

    id: str
    text: str
    published: dt.date
    gold: set[tuple[str, ...]]
    candidates: list[ClaimOut]


def split_items(split: str, extractor: Extractor | None = None) -> list[Item]:
    """Return the cached items of one split of the pack, with the rules' claims of each."""
    rules = extractor or extractor_for(PACK, "rules")
    cache = corpus_mod.cache_dir()
    out: list[Item] = []
    for entry in corpus_mod.load_corpus(ROOT / "corpus", split=split, pack=PACK):
        text = entry.text(cache)
        if text is None:
            continue
        gold = {claim_key(c) for c in entry.claims}
        out.append(
            Item(entry.id, text, entry.published_at, gold, rules.extract(text, entry.published_at))
        )
    return out


def accurate(item: Item, scorer: Scorer) -> list[ClaimOut]:
    """Return the accurate mode's claims of an item: its rule claims rescored, low ones dropped."""
    copies = [c.model_copy(deep=True) for c in item.candidates]
    kept: list[ClaimOut] = scorer.rescore(copies, len(item.text), drop=True)
    return kept


def check_same_as_extractor(items: list[Item], scorer: Scorer) -> None:
    """Fail unless rescoring the candidates gives what the accurate extractor itself returns."""
    rules = extractor_for(PACK, "rules")
    full = Extractor(rules.pack, rules.lexicon, scorer)
    for item in items:
        ours = [(claim_key(c), c.span, c.confidence) for c in accurate(item, scorer)]
        theirs = [
            (claim_key(c), c.span, c.confidence) for c in full.extract(item.text, item.published)
        ]
        if ours != theirs:
            raise SystemExit(f"{item.id}: rescored candidates differ from the accurate extractor")
