"""Train the claim scorer from annotated documents and from the database's reviews.

Every rule-built candidate of an annotated document is an example: correct when its scoring key
is in the document's gold set. Every reviewed claim in a database is one too: accepted claims
and the replacements written by a correction are correct; rejected and corrected ones are not.
The threshold is chosen on out-of-fold predictions (documents grouped, never split across folds).
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
from accord.extract.scorer import N_FEATURES, claim_features, feature_indices

FOLDS = 5
REGULARISATION = 0.5


@dataclass
class Document:
    """An annotated text: what the extractor reads and the gold keys it should find."""

    name: str
    text: str
    published: dt.date | None
    gold: set[tuple[str, ...]]


@dataclass
class Examples:
    """Feature columns, labels and document groups of the training candidates."""

    rows: list[list[int]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    keys: list[tuple[str, ...]] = field(default_factory=list)

    def add(self, claim: ClaimOut, text_length: int, label: int, group: str) -> None:
        """Add one candidate."""
        self.rows.append(feature_indices(claim_features(claim, text_length)))
        self.labels.append(label)
        self.groups.append(group)
        self.keys.append(claim_key(claim))

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
            yield Document(item.id, text, item.published_at, {claim_key(c) for c in item.claims})


def document_examples(
    documents: Iterable[Document], candidates: Callable[[str, dt.date | None], list[ClaimOut]]
) -> Examples:
    """Label every rule candidate of each document by whether its key is in the gold set."""
    examples = Examples()
    for doc in documents:
        for claim in candidates(doc.text, doc.published):
            examples.add(claim, len(doc.text), int(claim_key(claim) in doc.gold), doc.name)
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
            confidence=claim.confidence if claim.extractor != "review" else 0.5,
            negated=claim.negated,
            hedged=claim.hedged,
        )
        label = int(claim.review_state == "accepted")
        examples.add(out, len(text or ""), label, f"source-{claim.source_id}")
    return examples


def fit(examples: Examples) -> tuple[np.ndarray, float]:
    """Fit the logistic regression; return the weight vector and the bias."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=REGULARISATION, max_iter=2000)
    model.fit(examples.matrix(), np.array(examples.labels))
    return model.coef_[0].astype(np.float64), float(model.intercept_[0])


def out_of_fold(examples: Examples, folds: int = FOLDS) -> np.ndarray:
    """Return each example's probability from a model that did not see its document."""
    from sklearn.model_selection import GroupKFold

    matrix, labels = examples.matrix(), np.array(examples.labels)
    probabilities = np.zeros(len(labels))
    for train, held in GroupKFold(n_splits=folds).split(matrix, labels, examples.groups):
        sub = Examples(
            [examples.rows[i] for i in train],
            [examples.labels[i] for i in train],
            [examples.groups[i] for i in train],
        )
        weights, bias = fit(sub)
        probabilities[held] = 1 / (1 + np.exp(-(matrix[held] @ weights + bias)))
    return probabilities


def key_f1(examples: Examples, probabilities: np.ndarray, threshold: float, n_gold: int) -> float:
    """Return micro F1 over documents when candidates under the threshold are dropped."""
    kept = {
        (g, k)
        for g, k, p in zip(examples.groups, examples.keys, probabilities, strict=True)
        if p >= threshold
    }
    correct = {
        (g, k)
        for g, k, p, y in zip(
            examples.groups, examples.keys, probabilities, examples.labels, strict=True
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
        examples.rows += reviews.rows
        examples.labels += reviews.labels
        examples.groups += reviews.groups
        examples.keys += reviews.keys
    if len(set(examples.labels)) < 2 or len(set(examples.groups)) < FOLDS:
        raise ValueError("too few examples to train: need both outcomes and five documents")
    n_gold = sum(len(d.gold) for d in documents) + sum(
        examples.labels[n_docs:]
    )  # a reviewed claim that is right counts as one gold key
    probabilities = out_of_fold(examples)
    threshold = best_threshold(examples, probabilities, n_gold)
    weights, bias = fit(examples)
    result = TrainingResult(
        examples=len(examples.labels),
        positives=sum(examples.labels),
        documents=len(documents),
        reviews=len(examples.labels) - n_docs,
        threshold=threshold,
        out_of_fold_f1=round(key_f1(examples, probabilities, threshold, n_gold), 4),
        rules_f1=round(key_f1(examples, probabilities, 0.0, n_gold), 4),
    )
    return weights, bias, result
