"""Score extracted claims against gold files: precision, recall and F1 per kind and overall."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from accord.errors import InvalidInput
from accord.extract.contract import ClaimOut, ExtractionResult, claim_key
from accord.extract.pipeline import Extractor
from accord.sources.readers import read_document

GOLD_SUFFIXES = (".expected.json", ".gold.json")
KINDS = ("position", "proposal", "status", "event")


@dataclass
class Score:
    """True positives, false positives and false negatives, with derived measures."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """Share of predicted keys that are in the gold set."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Share of gold keys that were predicted."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        """Return the counts and measures."""
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class DocumentResult:
    """One gold document's comparison."""

    gold_file: str
    text_file: str
    score: Score
    misses: list[tuple[str, ...]] = field(default_factory=list)
    false_alarms: list[tuple[str, ...]] = field(default_factory=list)


@dataclass
class Evaluation:
    """The whole evaluation: per document, per kind and overall."""

    documents: list[DocumentResult]
    by_kind: dict[str, Score]
    overall: Score

    def as_dict(self) -> dict[str, object]:
        """Return a JSON-ready report."""
        return {
            "overall": self.overall.as_dict(),
            "by_kind": {k: s.as_dict() for k, s in self.by_kind.items()},
            "documents": [
                {
                    "gold": d.gold_file,
                    "text": d.text_file,
                    **d.score.as_dict(),
                    "misses": [list(k) for k in d.misses],
                    "false_alarms": [list(k) for k in d.false_alarms],
                }
                for d in self.documents
            ],
        }


def find_gold_files(path: Path) -> list[Path]:
    """Return gold files: the path itself, or every ``*.expected.json``/``*.gold.json`` under it."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise InvalidInput(f"{path}: no such gold file or folder")
    files = sorted(p for p in path.rglob("*.json") if p.name.endswith(GOLD_SUFFIXES))
    if not files:
        raise InvalidInput(f"{path}: no gold files (*.expected.json or *.gold.json) found")
    return files


def _text_file(gold_path: Path, gold: ExtractionResult) -> Path:
    if gold.source.file:
        candidate = gold_path.parent / gold.source.file
        if candidate.exists():
            return candidate
    for suffix in GOLD_SUFFIXES:
        if gold_path.name.endswith(suffix):
            for ext in (".txt", ".md", ".html", ".json"):
                candidate = gold_path.with_name(gold_path.name[: -len(suffix)] + ext)
                if candidate.exists():
                    return candidate
    raise InvalidInput(f"{gold_path}: cannot find the text file it describes")


def load_gold(path: Path) -> ExtractionResult:
    """Read and validate one gold file."""
    try:
        return ExtractionResult.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read file: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidInput(f"{path}: field {where}: {first['msg']}") from exc


def keys(claims: Iterable[ClaimOut]) -> set[tuple[str, ...]]:
    """Return the set of scoring keys of claims."""
    return {claim_key(c) for c in claims}


class Tally:
    """Accumulates per-document comparisons into an Evaluation."""

    def __init__(self) -> None:
        """Start with empty counts."""
        self.by_kind = {k: Score() for k in KINDS}
        self.overall = Score()
        self.documents: list[DocumentResult] = []

    def add(
        self,
        gold_file: str,
        text_file: str,
        predicted: set[tuple[str, ...]],
        expected: set[tuple[str, ...]],
    ) -> DocumentResult:
        """Compare one document's predicted keys with its gold keys."""
        score = Score(
            len(predicted & expected), len(predicted - expected), len(expected - predicted)
        )
        result = DocumentResult(
            gold_file, text_file, score, sorted(expected - predicted), sorted(predicted - expected)
        )
        self.documents.append(result)
        for kind in KINDS:
            p = {k for k in predicted if k[0] == kind}
            e = {k for k in expected if k[0] == kind}
            self.by_kind[kind].tp += len(p & e)
            self.by_kind[kind].fp += len(p - e)
            self.by_kind[kind].fn += len(e - p)
        self.overall.tp += score.tp
        self.overall.fp += score.fp
        self.overall.fn += score.fn
        return result

    def result(self) -> Evaluation:
        """Return the evaluation so far."""
        return Evaluation(self.documents, self.by_kind, self.overall)


def evaluate(gold_path: Path, extractor: Extractor) -> Evaluation:
    """Run the extractor on every gold document and score it."""
    tally = Tally()
    for gold_file in find_gold_files(gold_path):
        gold = load_gold(gold_file)
        text_path = _text_file(gold_file, gold)
        try:
            document = read_document(text_path.read_bytes(), text_path)
        except OSError as exc:
            raise InvalidInput(f"{text_path}: cannot read file: {exc.strerror}") from exc
        try:
            published = (
                dt.date.fromisoformat(gold.source.published_at[:10])
                if gold.source.published_at
                else document.metadata.published_at
            )
        except ValueError as exc:
            raise InvalidInput(f"{gold_file}: field source.published_at: {exc}") from exc
        predicted = keys(extractor.extract(document.text, published))
        tally.add(str(gold_file), str(text_path), predicted, keys(gold.claims))
    return tally.result()
