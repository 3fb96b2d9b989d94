"""List the extractor's errors on the corpus's development part, grouped by class.

Run: ``PYTHONPATH=src python benchmarks/extract_errors.py [--kind position] [--cls wrong-issue]``.

Each gold claim that was missed is put in one class by the nearest predicted claim of the same
document: ``wrong-issue`` (same kind, holder and stance, other issue), ``wrong-holder`` (same kind,
issue and stance, other holder), ``wrong-stance`` (same kind, issue and holder, other stance or
status), ``wrong-kind`` (same issue and holder, other kind), else ``no-claim``. False alarms that no
miss explains are ``spurious``. Each line shows the gold cue's sentence (for misses) or the
claim's sentence (for false alarms), so classes can be read and fixed in general ways.

Only the development part is listed: the test part must stay unread, so this script refuses it.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from accord.extract.contract import ClaimOut, claim_key
from accord.extract.corpus import cache_dir, load_corpus
from accord.extract.pipeline import extractor_for

ROOT = Path(__file__).resolve().parents[1]


def _sentence(text: str, cue: str) -> str:
    """Return the sentence of the text that holds a cue (or the cue when it is not found)."""
    at = text.find(cue)
    if at < 0:
        return f"[cue not found] {cue}"
    starts = [m.end() for m in re.finditer(r"[.!?][\"”’)]*\s+|\n", text[:at])]
    start = starts[-1] if starts else 0
    end_match = re.search(r"[.!?][\"”’)]*(\s|$)|\n", text[at + len(cue) :])
    end = at + len(cue) + (end_match.end() if end_match else len(text) - at)
    return " ".join(text[start:end].split())


def _classify(gold: tuple[str, ...], predicted: set[tuple[str, ...]]) -> str:
    if gold[0] == "event":
        same = [p for p in predicted if p[0] == "event" and p[1] == gold[1]]
        return "wrong-participants" if same else "no-claim"
    kind, issue, holder, value = gold
    rules = (
        ("wrong-issue", lambda p: p[0] == kind and p[2] == holder and p[3] == value),
        ("wrong-holder", lambda p: p[0] == kind and p[1] == issue and p[3] == value),
        ("wrong-stance", lambda p: p[0] == kind and p[1] == issue and p[2] == holder),
        ("wrong-kind", lambda p: p[0] != kind and p[1] == issue and p[2] == holder),
    )
    for name, test in rules:
        if any(p[0] != "event" and test(p) for p in predicted):
            return name
    return "no-claim"


def main() -> None:
    """Print the development part's misses and false alarms with their sentences."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", help="only this kind of claim")
    parser.add_argument("--cls", help="only this class of error")
    parser.add_argument("--pack", default="ukraine-2025")
    args = parser.parse_args()
    items = load_corpus(ROOT / "corpus", split="dev", pack=args.pack)
    extractor = extractor_for(args.pack, "rules")
    cache = cache_dir()
    counts: Counter[tuple[str, str]] = Counter()
    for item in items:
        text = item.text(cache)
        if text is None:
            continue
        claims: list[ClaimOut] = extractor.extract(text, item.published_at)
        by_key: dict[tuple[str, ...], ClaimOut] = {}
        for claim in claims:
            by_key.setdefault(claim_key(claim), claim)
        gold = {claim_key(c): cue for c, cue in zip(item.claims, item.cues, strict=True)}
        predicted = set(by_key)
        lines = []
        for key in sorted(set(gold) - predicted):
            cls = _classify(key, predicted)
            counts[(key[0], cls)] += 1
            if (args.kind in (None, key[0])) and args.cls in (None, cls):
                lines.append(f"  MISS {cls:18} {'/'.join(key)}\n      {_sentence(text, gold[key])}")
        for key in sorted(predicted - set(gold)):
            counts[(key[0], "false-alarm")] += 1
            if args.kind in (None, key[0]) and args.cls in (None, "false-alarm"):
                quote = " ".join(by_key[key].quote.split())
                lines.append(f"  FA   {'/'.join(key)}\n      {quote}")
        if lines:
            print(item.id)
            print("\n".join(lines))
    print("\nerrors by kind and class:")
    for (kind, cls), n in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"  {n:4}  {kind:9} {cls}")


if __name__ == "__main__":
    main()
