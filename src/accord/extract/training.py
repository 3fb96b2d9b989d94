"""Train the claim scorer from annotated documents and from the database's reviews.

Every rule-built candidate of an annotated document is an example: correct when its scoring key
is in the document's gold set. Every reviewed claim in a database is one too: accepted claims
and the replacements written by a correction are correct; rejected and corrected ones are not.
Calibration (Platt scaling): every example gets an out-of-fold raw log-odds from a model that did
not see its group (a corpus item's group is its outlet, so an outlet's items are never split
across folds; an own-written document and a reviewed source are each a group of their own). A
small logistic regression on those log-odds and a few facts of the candidate
(``scorer.CALIBRATION_INPUTS``) is fitted on the real-text examples (corpus development part and
reviews; all examples when there are none), and the drop threshold is chosen on the calibrated
out-of-fold probabilities.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.extract import corpus as corpus_mod
from accord.extract.contract import ClaimOut, claim_key
from accord.extract.evaluate import find_gold_files, load_gold
from accord.extract.scorer import (
    N_FEATURES,
    calibration_inputs,
    claim_features,
    feature_indices,
)

FOLDS = 5
REGULARISATION = 0.5
CALIBRATION_REGULARISATION = 1.0
MIN_CALIBRATION = 30  # fewer real-text examples than this: calibrate on all examples


@dataclass
class Document:
    """An annotated text: what the extractor reads and the gold keys it should find."""

    name: str
    text: str
    published: dt.date | None
    gold: set[tuple[str, ...]]
    group: str = ""  # the fold group (a corpus item's outlet); the name when empty
    real: bool = False  # real reporting (the corpus): the calibration is fitted on these


@dataclass
class Examples:
    """Feature columns, labels, fold groups and documents of the training candidates."""

    rows: list[list[int]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    keys: list[tuple[str, ...]] = field(default_factory=list)
    docs: list[str] = field(default_factory=list)
    inputs: list[list[float]] = field(default_factory=list)  # calibration inputs but the logit
    real: list[bool] = field(default_factory=list)

    def add(
        self,
        claim: ClaimOut,
        text_length: int,
        label: int,
        group: str,
        *,
        doc: str | None = None,
        real: bool = True,
    ) -> None:
        """Add one candidate (``group`` keeps folds apart; ``doc`` names its document)."""
        self.rows.append(feature_indices(claim_features(claim, text_length)))
        self.labels.append(label)
        self.groups.append(group)
        self.keys.append(claim_key(claim))
        self.docs.append(doc or group)
        self.inputs.append(calibration_inputs(claim))
        self.real.append(real)

    def extend(self, other: Examples) -> None:
        """Append another set of examples."""
        for name in ("rows", "labels", "groups", "keys", "docs", "inputs", "real"):
            getattr(self, name).extend(getattr(other, name))

    def subset(self, indices: Iterable[int]) -> Examples:
        """Return the examples at the given positions."""
        chosen = list(indices)
        out = Examples()
        for name in ("rows", "labels", "groups", "keys", "docs", "inputs", "real"):
            values = getattr(self, name)
            setattr(out, name, [values[i] for i in chosen])
        return out

    def matrix(self) -> Any:
        """Return the sparse design matrix (scipy CSR)."""
        from scipy.sparse import csr_matrix

        indptr = np.cumsum([0] + [len(r) for r in self.rows])
        indices = np.fromiter((i for r in self.rows for i in r), dtype=np.int64)
        data = np.ones(len(indices), dtype=np.float32)
        return csr_matrix((data, indices, indptr), shape=(len(self.rows), N_FEATURES))


def gold_folder_documents(folder: Path) -> Iterator[Document]:
    """Yield the documents of a folder of ``*.expected.json`` files and their texts."""
    from accord.sources.readers import read_document

    for gold_file in find_gold_files(folder):
        gold = load_gold(gold_file)
        text_path = gold_file.with_name(gold_file.name.replace(".expected.json", ".txt"))
        if gold.source.file:
            text_path = gold_file.parent / gold.source.file
        document = read_document(text_path.read_bytes(), text_path)
        published = gold.source.published_at
        yield Document(
            gold_file.name,
            document.text,
            dt.date.fromisoformat(published[:10]) if published else None,
            {claim_key(c) for c in gold.claims},
        )


def corpus_documents(
    folder: Path, cache: Path, split: str = "dev", pack: str = "ukraine-2025"
) -> Iterator[Document]:
    """Yield the cached items of one corpus split (only that split: the test part stays unseen)."""
    for item in corpus_mod.load_corpus(folder, split=split, pack=pack):
        text = item.text(cache)
        if text is not None:
            gold = {claim_key(c) for c in item.claims}
            yield Document(item.id, text, item.published_at, gold, f"outlet:{item.outlet}", True)


def document_examples(
    documents: Iterable[Document], candidates: Callable[[str, dt.date | None], list[ClaimOut]]
) -> Examples:
    """Label every rule candidate of each document by whether its key is in the gold set."""
    examples = Examples()
    for doc in documents:
        for claim in candidates(doc.text, doc.published):
            label = int(claim_key(claim) in doc.gold)
            examples.add(
                claim, len(doc.text), label, doc.group or doc.name, doc=doc.name, real=doc.real
            )
    return examples


def review_examples(session: Session, examples: Examples | None = None) -> Examples:
    """Add the database's reviewed claims: accepted and replacements 1, rejected and corrected 0."""
    from accord.claims.models import Claim
    from accord.sources.models import Source

    examples = examples or Examples()
    rows = session.execute(
        select(Claim, Source.text)
        .join(Source, Source.id == Claim.source_id)
        .where(Claim.review_state.in_(("accepted", "rejected", "corrected")))
        .order_by(Claim.id)
    )
    for claim, text in rows:
        origin = claim
        if claim.extractor == "review" and claim.supersedes_id is not None:
            origin = session.get(Claim, claim.supersedes_id) or claim  # the machine's own claim
        extra = origin.extra or {}
        out = ClaimOut(
            kind=claim.kind,  # type: ignore[arg-type]
            issue=claim.issue_id,
            holder=claim.holder_id,
            speaker=claim.speaker_id,
            stance=claim.stance,  # type: ignore[arg-type]
            status=claim.status,  # type: ignore[arg-type]
            progress_pct=claim.progress_pct,
            event_type=claim.event_type,  # type: ignore[arg-type]
            participants=claim.participants,
            quote=claim.quote,
            span=(claim.span_start, claim.span_end),
            # the rules' confidence: kept aside when the scorer set the stored one
            confidence=extra.get("rules_confidence", origin.confidence),
            negated=claim.negated,
            hedged=claim.hedged,
        )
        label = int(claim.review_state == "accepted")
        group = f"source-{claim.source_id}"
        examples.add(out, len(text or ""), label, group, doc=f"{group}#{claim.id}")
    return examples


def fit(examples: Examples) -> tuple[np.ndarray, float]:
    """Fit the logistic regression; return the weight vector and the bias."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=REGULARISATION, max_iter=2000)
    model.fit(examples.matrix(), np.array(examples.labels))
    return model.coef_[0].astype(np.float64), float(model.intercept_[0])


def out_of_fold(examples: Examples, folds: int = FOLDS) -> np.ndarray:
    """Return each example's raw log-odds from a model that did not see its group."""
    from sklearn.model_selection import GroupKFold

    matrix, labels = examples.matrix(), np.array(examples.labels)
    logits = np.zeros(len(labels))
    for train, held in GroupKFold(n_splits=folds).split(matrix, labels, examples.groups):
        weights, bias = fit(examples.subset(train))
        logits[held] = matrix[held] @ weights + bias
    return logits


def calibration_matrix(examples: Examples, logits: np.ndarray) -> np.ndarray:
    """Return the calibration's inputs: the raw log-odds, then the candidate's other inputs."""
    return np.column_stack([logits, np.array(examples.inputs, dtype=np.float64)])


def fit_calibration(examples: Examples, logits: np.ndarray) -> tuple[np.ndarray, int]:
    """Fit Platt scaling on out-of-fold log-odds; return its coefficients and examples used.

    The real-text examples are used when there are enough of both outcomes; else all examples.
    """
    from sklearn.linear_model import LogisticRegression

    chosen = [i for i, real in enumerate(examples.real) if real]
    if len(chosen) < MIN_CALIBRATION or len({examples.labels[i] for i in chosen}) < 2:
        chosen = list(range(len(examples.labels)))
    x = calibration_matrix(examples, logits)[chosen]
    y = np.array(examples.labels)[chosen]
    model = LogisticRegression(C=CALIBRATION_REGULARISATION, max_iter=1000)
    model.fit(x, y)
    return np.append(model.coef_[0], model.intercept_[0]).astype(np.float64), len(chosen)


def calibrated(examples: Examples, logits: np.ndarray, coefficients: np.ndarray) -> np.ndarray:
    """Return calibrated probabilities for the examples' log-odds."""
    z = calibration_matrix(examples, logits) @ coefficients[:-1] + coefficients[-1]
    return np.asarray(1 / (1 + np.exp(-z)))


def brier(probabilities: np.ndarray, labels: list[int]) -> float:
    """Return the Brier score (mean squared error of the probabilities; lower is better)."""
    return round(float(np.mean((probabilities - np.array(labels)) ** 2)), 4)


def key_f1(examples: Examples, probabilities: np.ndarray, threshold: float, n_gold: int) -> float:
    """Return micro F1 over documents when candidates under the threshold are dropped."""
    kept = {
        (d, k)
        for d, k, p in zip(examples.docs, examples.keys, probabilities, strict=True)
        if p >= threshold
    }
    correct = {
        (d, k)
        for d, k, p, y in zip(
            examples.docs, examples.keys, probabilities, examples.labels, strict=True
        )
        if p >= threshold and y
    }
    precision = len(correct) / len(kept) if kept else 1.0
    recall = len(correct) / n_gold if n_gold else 1.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def best_threshold(examples: Examples, probabilities: np.ndarray, n_gold: int) -> float:
    """Return the drop threshold that maximises out-of-fold F1 (ties: the lower threshold)."""
    grid = [round(t, 2) for t in np.arange(0.05, 0.95, 0.05)]
    return max(grid, key=lambda t: (key_f1(examples, probabilities, t, n_gold), -t))


@dataclass
class TrainingResult:
    """What a training run produced and measured."""

    examples: int
    positives: int
    documents: int
    reviews: int
    threshold: float
    out_of_fold_f1: float
    rules_f1: float
    calibration_examples: int = 0
    brier_raw: float = 0.0  # out of fold, on the calibration's examples
    brier_calibrated: float = 0.0
    calibration: list[float] = field(default_factory=list)
    path: Path | None = None
    sha256: str = ""


def train(
    documents: list[Document],
    candidates: Callable[[str, dt.date | None], list[ClaimOut]],
    reviews: Examples | None = None,
    progress: Callable[[Iterable[Document]], Iterable[Document]] = lambda d: d,
) -> tuple[np.ndarray, float, TrainingResult]:
    """Fit the scorer on annotated documents (and reviews); choose the threshold out of fold."""
    examples = document_examples(progress(documents), candidates)
    n_docs = len(examples.labels)
    if reviews is not None:
        examples.extend(reviews)
    if len(set(examples.labels)) < 2 or len(set(examples.groups)) < FOLDS:
        raise ValueError("too few examples to train: need both outcomes and five groups")
    n_gold = sum(len(d.gold) for d in documents) + sum(
        examples.labels[n_docs:]
    )  # a reviewed claim that is right counts as one gold key
    logits = out_of_fold(examples)
    coefficients, n_calibration = fit_calibration(examples, logits)
    probabilities = calibrated(examples, logits, coefficients)
    threshold = best_threshold(examples, probabilities, n_gold)
    weights, bias = fit(examples)
    used = [i for i, real in enumerate(examples.real) if real]
    if len(used) != n_calibration:
        used = list(range(len(examples.labels)))
    labels = [examples.labels[i] for i in used]
    result = TrainingResult(
        examples=len(examples.labels),
        positives=sum(examples.labels),
        documents=len(documents),
        reviews=len(examples.labels) - n_docs,
        threshold=threshold,
        out_of_fold_f1=round(key_f1(examples, probabilities, threshold, n_gold), 4),
        rules_f1=round(key_f1(examples, probabilities, 0.0, n_gold), 4),
        calibration_examples=n_calibration,
        brier_raw=brier(1 / (1 + np.exp(-logits[used])), labels),
        brier_calibrated=brier(probabilities[used], labels),
        calibration=[round(float(c), 6) for c in coefficients],
    )
    return weights, bias, result
