"""Learning curve of the claim scorer: test-part F1 after 0, 50, 100 and 200 reviewed claims.

Reviews are simulated from the corpus's development part (never the test part): the rule
candidates of its cached ukraine-2025 items, in a fixed random order (``--seed``), each labelled
as a reviewer accepting or rejecting it would: correct when its scoring key is among the item's
gold keys. For each N the scorer is trained with ``accord.extract.training.train`` (fit, and the
threshold chosen out of fold) on the own-written documents (tests/data/devset and
tests/data/devset2) plus the first N reviewed candidates; N=0 is the own-written documents
alone. Each model is scored in accurate mode on the cached test items (micro F1 over scoring
keys, as ``accord eval corpus``), beside the rules alone and the bundled model.

Only totals are printed for the test part. With several seeds (``--seeds``) the table gives the
mean, lowest and highest F1 over the orders.

    python benchmarks/extract_learning_curve.py [--json] [--seed 0] [--seeds 5] [--sizes 0,50,...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from corpus_bench import PACK, ROOT, Item, accurate, machine, split_items

from accord.extract import scorer as scorer_mod
from accord.extract import training
from accord.extract.contract import ClaimOut, claim_key
from accord.extract.evaluate import Score, Tally, keys
from accord.extract.pipeline import extractor_for
from accord.extract.scorer import Scorer

OWN_FOLDERS = ("tests/data/devset", "tests/data/devset2")


def test_score(items: list[Item], scorer: Scorer | None) -> Score:
    """Return the overall score on the items: rules alone (no scorer) or accurate mode."""
    tally = Tally()
    for item in items:
        claims = item.candidates if scorer is None else accurate(item, scorer)
        tally.add(item.id, "", keys(claims), item.gold)
    return tally.result().overall


def review_queue(dev: list[Item], seed: int) -> list[tuple[Item, ClaimOut]]:
    """Return every rule candidate of the development items, in the seed's fixed random order."""
    queue = [(item, claim) for item in dev for claim in item.candidates]
    random.Random(seed).shuffle(queue)  # noqa: S311 — a seeded, reproducible order, not a secret
    return queue


def reviews(queue: list[tuple[Item, ClaimOut]], n: int) -> training.Examples:
    """Return the first n candidates of the queue as reviews: accepted when their key is gold."""
    examples = training.Examples()
    for item, claim in queue[:n]:
        examples.add(claim, len(item.text), int(claim_key(claim) in item.gold), item.id)
    return examples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--seed", type=int, default=0, help="first seed of the review order")
    parser.add_argument("--seeds", type=int, default=5, help="number of review orders")
    parser.add_argument("--sizes", default="0,50,100,200", help="numbers of reviewed claims")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    rules = extractor_for(PACK, "rules")
    own = [d for f in OWN_FOLDERS for d in training.gold_folder_documents(ROOT / f)]
    cached = {(d.text, d.published): rules.extract(d.text, d.published) for d in own}

    def candidates(text: str, published: dt.date | None) -> list[ClaimOut]:
        return cached[(text, published)]

    dev, test = split_items("dev", rules), split_items("test", rules)
    rules_score = test_score(test, None)
    bundled = scorer_mod.load()
    runs: list[dict[str, Any]] = []
    for seed in range(args.seed, args.seed + args.seeds):
        queue = review_queue(dev, seed)
        for n in sizes:
            if n > len(queue):
                raise SystemExit(f"only {len(queue)} development candidates, cannot review {n}")
            reviewed = reviews(queue, n)
            weights, bias, result = training.train(own, candidates, reviewed if n else None)
            model = Scorer(weights, bias, result.threshold, f"curve-{seed}-{n}", "")
            score = test_score(test, model)
            runs.append(
                {
                    "seed": seed,
                    "reviewed": n,
                    "accepted": sum(reviewed.labels),
                    "threshold": result.threshold,
                    "out_of_fold_f1": result.out_of_fold_f1,
                    "test": score.as_dict(),
                }
            )
    curve = []
    for n in sizes:
        f1s = [r["test"]["f1"] for r in runs if r["reviewed"] == n]
        curve.append(
            {
                "reviewed": n,
                "f1_mean": round(statistics.mean(f1s), 4),
                "f1_min": min(f1s),
                "f1_max": max(f1s),
                f"f1_seed_{args.seed}": f1s[0],
            }
        )
    report = {
        **machine(),
        "own_documents": len(own),
        "own_candidates": sum(len(c) for c in cached.values()),
        "dev_items": len(dev),
        "dev_candidates": sum(len(i.candidates) for i in dev),
        "test_items": len(test),
        "test_gold_keys": sum(len(i.gold) for i in test),
        "seeds": list(range(args.seed, args.seed + args.seeds)),
        "rules_only": rules_score.as_dict(),
        "bundled_model": {"version": bundled.version, **test_score(test, bundled).as_dict()},
        "curve": curve,
        "runs": runs,
    }
    if args.json:
        print(json.dumps(report, indent=1))
        return
    print(
        f"{report['date']}  {report['cpu']}  {len(own)} own documents "
        f"({report['own_candidates']} candidates); reviews from {len(dev)} dev items "
        f"({report['dev_candidates']} candidates); test: {len(test)} items, "
        f"{report['test_gold_keys']} gold keys; seeds {report['seeds']}"
    )
    print(f"| reviewed claims | test F1, seed {args.seed} | mean | min | max |")
    print("| --- | --- | --- | --- | --- |")
    for row in curve:
        print(
            f"| {row['reviewed']} | {row[f'f1_seed_{args.seed}']:.4f} | {row['f1_mean']:.4f} "
            f"| {row['f1_min']:.4f} | {row['f1_max']:.4f} |"
        )
    print(f"| rules only | {rules_score.f1:.4f} | | | |")
    print(f"| bundled model ({bundled.version}) | {report['bundled_model']['f1']:.4f} | | | |")


if __name__ == "__main__":
    main()
