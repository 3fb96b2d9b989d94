"""Confidence calibration of the claim extractor on the corpus's test part (ukraine-2025 pack).

For each mode (rules, and accurate: rules with the bundled scorer) every claim returned for the
cached test items is put into a confidence bin (0-0.2, 0.2-0.4, ..., 0.8-1.0) and counted as
correct when its scoring key (``accord.extract.contract.claim_key``) is among the item's gold
keys. Headline: the share correct among claims with confidence >= 0.8 (goal: at least 0.80) and
how many such claims there are, and the Brier score (mean squared error of the confidence against
correct = 1, wrong = 0) of each mode; for accurate mode also the Brier score of the scorer's raw
(uncalibrated) probability of the same claims, i.e. before and after the calibration.

Only counts are printed: no claim, miss or false alarm of the test part is shown, so the test
part stays unseen. Nothing is tuned here; the model is the one bundled (or ``--model``).

    python benchmarks/extract_calibration.py [--json] [--model PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from corpus_bench import Item, accurate, check_same_as_extractor, machine, split_items

from accord.extract import scorer as scorer_mod
from accord.extract.contract import ClaimOut, claim_key

EDGES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
HIGH = 0.8
GOAL = 0.80


def bin_of(confidence: float) -> int:
    """Return the index of the confidence's bin (the last bin includes 1.0)."""
    for n in range(len(EDGES) - 1):
        if confidence < EDGES[n + 1]:
            return n
    return len(EDGES) - 2


@dataclass
class Bin:
    """Claims in one confidence bin and how many of them are correct."""

    low: float
    high: float
    claims: int = 0
    correct: int = 0

    def as_dict(self) -> dict[str, object]:
        """Return the bin's label, counts and share correct."""
        share = round(self.correct / self.claims, 3) if self.claims else None
        label = f"{self.low:.1f}-{self.high:.1f}"
        return {
            "bin": label,
            "claims": self.claims,
            "correct": self.correct,
            "share_correct": share,
        }


def brier(confidences: list[float], correct: list[bool]) -> float | None:
    """Return the Brier score: mean squared gap between confidence and outcome (lower: better)."""
    if not confidences:
        return None
    gaps = [(c - float(ok)) ** 2 for c, ok in zip(confidences, correct, strict=True)]
    return round(sum(gaps) / len(gaps), 4)


def calibration(
    pairs: list[tuple[ClaimOut, set[tuple[str, ...]]]], raw: list[float] | None = None
) -> dict[str, Any]:
    """Return per-bin counts and shares correct, the headline for confidence >= 0.8 and Brier.

    ``raw`` gives the scorer's uncalibrated probability of each claim, for the Brier score before.
    """
    bins = [Bin(EDGES[n], EDGES[n + 1]) for n in range(len(EDGES) - 1)]
    high = Bin(HIGH, 1.0)
    outcomes = [claim_key(claim) in gold for claim, gold in pairs]
    for (claim, _gold), ok in zip(pairs, outcomes, strict=True):
        for row in [bins[bin_of(claim.confidence)]] + ([high] if claim.confidence >= HIGH else []):
            row.claims += 1
            row.correct += ok
    total, correct = sum(b.claims for b in bins), sum(b.correct for b in bins)
    return {
        "bins": [b.as_dict() for b in bins],
        "claims": total,
        "share_correct_all": round(correct / total, 3) if total else None,
        "high_confidence_claims": high.claims,
        "high_confidence_share_correct": high.as_dict()["share_correct"],
        "goal_met": bool(high.claims) and high.correct / high.claims >= GOAL,
        "brier": brier([c.confidence for c, _g in pairs], outcomes),
        "brier_uncalibrated": None if raw is None else brier(raw, outcomes),
    }


def table(results: dict[str, dict[str, Any]]) -> str:
    """Return the two modes side by side as a Markdown table."""
    modes = list(results)
    lines = [
        "| confidence | " + " | ".join(f"{m}: claims | {m}: share correct" for m in modes) + " |",
        "| --- |" + " --- | --- |" * len(modes),
    ]
    for n in range(len(EDGES) - 1):
        cells = []
        for m in modes:
            row = results[m]["bins"][n]
            share = "–" if row["share_correct"] is None else f"{row['share_correct']:.3f}"
            cells.append(f"{row['claims']} | {share}")
        lines.append(f"| {EDGES[n]:.1f}-{EDGES[n + 1]:.1f} | " + " | ".join(cells) + " |")
    cells = []
    for m in modes:
        r = results[m]
        share = r["high_confidence_share_correct"]
        cells.append(f"**{r['high_confidence_claims']}** | **{'–' if share is None else share}**")
    lines.append("| **>= 0.8** | " + " | ".join(cells) + " |")
    cells = [f"{results[m]['claims']} | {results[m]['share_correct_all']}" for m in modes]
    lines.append("| all | " + " | ".join(cells) + " |")
    cells = [f"{results[m]['brier']} |" for m in modes]
    lines.append("| Brier score | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--model", type=Path, default=scorer_mod.BUNDLED, help="scorer manifest")
    parser.add_argument("--split", default="test", choices=("dev", "test"))
    args = parser.parse_args()

    scorer = scorer_mod.load(args.model)
    items: list[Item] = split_items(args.split)
    check_same_as_extractor(items[:5], scorer)
    kept = [(item, c) for item in items for c in accurate(item, scorer)]
    results = {
        "rules": calibration([(c, item.gold) for item in items for c in item.candidates]),
        "accurate": calibration(
            [(c, item.gold) for item, c in kept],
            [scorer.raw_probability(c, len(item.text)) for item, c in kept],
        ),
    }
    report = {
        **machine(),
        "split": args.split,
        "items": len(items),
        "gold_keys": sum(len(i.gold) for i in items),
        "model": {
            "version": scorer.version,
            "sha256": scorer.sha256[:12],
            "threshold": scorer.threshold,
            "calibrated": scorer.calibration is not None,
        },
        "modes": results,
    }
    if args.json:
        print(json.dumps(report, indent=1))
        return
    print(
        f"{report['date']}  {report['cpu']}  split {args.split}: {len(items)} items, "
        f"{report['gold_keys']} gold keys; model {scorer.version} ({scorer.sha256[:12]}, "
        f"threshold {scorer.threshold})"
    )
    print(table(results))
    for mode, r in results.items():
        print(
            f"{mode}: {r['high_confidence_claims']} claims with confidence >= {HIGH}, "
            f"share correct {r['high_confidence_share_correct']} (goal >= {GOAL}: "
            f"{'met' if r['goal_met'] else 'not met'}); Brier {r['brier']}"
            + (
                f" (uncalibrated scorer on the same claims: {r['brier_uncalibrated']})"
                if r["brier_uncalibrated"] is not None
                else ""
            )
        )


if __name__ == "__main__":
    main()
