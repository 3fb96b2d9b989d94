"""Score the extractor on the real-text corpus: the items whose text is cached, by split."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from accord.errors import InvalidInput
from accord.extract.corpus import CorpusItem
from accord.extract.evaluate import Evaluation, Tally, keys
from accord.extract.pipeline import Extractor


@dataclass
class CorpusEvaluation:
    """The scores of the items that could be scored, and why the others could not."""

    evaluation: Evaluation
    scored: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unscoreable: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """Return a JSON-ready report."""
        return {
            **self.evaluation.as_dict(),
            "scored": len(self.scored),
            "missing": self.missing,
            "unscoreable": self.unscoreable,
        }


def evaluate_corpus(
    items: list[CorpusItem], extractor_for: Callable[[str], Extractor], cache: Path
) -> CorpusEvaluation:
    """Run the extractor of each item's pack on its cached text and score it against its gold."""
    tally = Tally()
    report = CorpusEvaluation(tally.result())
    extractors: dict[str, Extractor | str] = {}
    for item in items:
        text = item.text(cache)
        if text is None:
            report.missing.append(item.id)
            continue
        if item.pack not in extractors:
            try:
                extractors[item.pack] = extractor_for(item.pack)
            except InvalidInput as exc:
                extractors[item.pack] = f"pack {item.pack} is not available ({exc})"
        extractor = extractors[item.pack]
        if isinstance(extractor, str):
            report.unscoreable[item.id] = extractor
            continue
        predicted = keys(extractor.extract(text, item.published_at))
        tally.add(item.id, str(cache / f"{item.id}.txt"), predicted, keys(item.claims))
        report.scored.append(item.id)
    report.evaluation = tally.result()
    return report
