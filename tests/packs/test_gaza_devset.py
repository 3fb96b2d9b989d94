"""The Gaza development set: our own short texts with gold claims in the pack's ids.

Scored with ``accord eval tests/data/devset-gaza --pack gaza-2025`` (figures in docs/PACKS.md);
this test only keeps the gold files valid: every holder, participant and issue is a
``gaza-2025`` id and every quote is the text at its span.
"""

from __future__ import annotations

from pathlib import Path

from accord.extract.evaluate import find_gold_files, load_gold
from accord.packs.loader import load_pack

FOLDER = Path(__file__).parents[1] / "data" / "devset-gaza"


def test_gold_files_use_the_packs_ids() -> None:
    pack = load_pack("gaza-2025")
    actors, issues = pack.actor_ids(), pack.issue_ids()
    files = list(find_gold_files(FOLDER))
    assert len(files) >= 20
    total = 0
    for path in files:
        gold = load_gold(path)
        text = (FOLDER / str(gold.source.file)).read_text(encoding="utf-8")
        assert gold.source.pack == "gaza-2025" and gold.source.published_at
        for claim in gold.claims:
            total += 1
            where = f"{path.name}: {claim.summary}"
            assert claim.issue is None or claim.issue in issues, where
            assert claim.holder is None or claim.holder in actors, where
            assert set(claim.participants or []) <= actors, where
            assert text[claim.span[0] : claim.span[1]] == claim.quote, where
    assert total >= 80
