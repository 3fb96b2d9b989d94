"""The learned claim scorer: how likely a rule-built claim is one an analyst would accept.

The rules find candidate claims (holder, issue, stance or status, with the sentence that carries
them). The scorer is a logistic regression over hashed features of each candidate: its fields
and the words of its sentence, alone and paired with the candidate's label, so that it learns
which wordings really carry a stance on which issue. Its probability is the claim's confidence,
and candidates under the model's threshold are dropped in the accurate mode.

Weights are trained here (``accord extract train``) on our annotations, never downloaded; a model
is a ``.npz`` file (read without pickle) and a JSON manifest that pins its SHA-256.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from accord.errors import InvalidInput
from accord.extract.contract import ClaimOut

N_FEATURES = 1 << 18
BUNDLED = Path(__file__).with_name("models") / "scorer.json"
_WORD = re.compile(r"[a-z][a-z'’-]*|\d+%?")
_CONF_BUCKETS = (0.3, 0.5, 0.7, 0.85)


def _label(claim: ClaimOut) -> str:
    """Return the candidate's label: kind and stance, status or event type."""
    if claim.kind == "event":
        return f"event:{claim.event_type}"
    return f"{claim.kind}:{claim.status or claim.stance}"


def claim_features(claim: ClaimOut, text_length: int) -> list[str]:
    """Return the named features of one candidate claim."""
    label = _label(claim)
    quote = claim.quote.lower()
    words = _WORD.findall(quote)
    grams = words + [f"{a}_{b}" for a, b in itertools.pairwise(words)]
    feats = [
        "bias",
        f"L={label}",
        f"K={claim.kind}",
        f"I={claim.issue}",
        f"LI={label}|{claim.issue}",
        f"H={claim.holder}",
        f"LH={label}|{claim.holder}",
        f"neg={claim.negated}",
        f"hedge={claim.hedged}",
        f"spk={'same' if claim.speaker == claim.holder else bool(claim.speaker)}",
        f"npart={len(claim.participants or [])}",
        f"pct={claim.progress_pct is not None}",
        f"quoted={'“' in claim.quote or chr(34) in claim.quote}",
        f"pos={min(4, int(5 * claim.span[0] / max(1, text_length)))}",
        f"len={min(6, len(words) // 8)}",
        f"conf={sum(claim.confidence >= b for b in _CONF_BUCKETS)}",
        f"Lconf={label}|{sum(claim.confidence >= b for b in _CONF_BUCKETS)}",
    ]
    feats += [f"w={g}" for g in grams]
    feats += [f"Lw={claim.kind}|{g}" for g in grams]
    feats += [f"Sw={label}|{w}" for w in words]
    return feats


def feature_indices(features: Iterable[str]) -> list[int]:
    """Hash named features to column indices (CRC-32: stable across runs and machines)."""
    return sorted({zlib.crc32(f.encode()) % N_FEATURES for f in features})


@dataclass
class Scorer:
    """A trained scorer: weights, bias, the drop threshold and its manifest."""

    weights: np.ndarray
    bias: float
    threshold: float
    version: str
    sha256: str

    def probability(self, claim: ClaimOut, text_length: int) -> float:
        """Return the probability that the claim is correct."""
        columns = feature_indices(claim_features(claim, text_length))
        z = self.bias + float(self.weights[columns].sum())
        return float(1.0 / (1.0 + np.exp(-z)))

    def rescore(self, claims: list[ClaimOut], text_length: int, *, drop: bool) -> list[ClaimOut]:
        """Set each claim's confidence to its probability; drop those under the threshold."""
        kept = []
        for claim in claims:
            claim.confidence = round(self.probability(claim, text_length), 4)
            if not drop or claim.confidence >= self.threshold:
                kept.append(claim)
        return kept


def save(
    path: Path, weights: np.ndarray, bias: float, threshold: float, info: dict[str, object]
) -> Path:
    """Write a model's weights (``.npz``) and its manifest (JSON, pinning the weights' hash)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    nonzero = np.flatnonzero(weights)
    weights_path = path.with_suffix(".npz")
    with weights_path.open("wb") as handle:
        np.savez_compressed(
            handle, indices=nonzero.astype(np.int32), values=weights[nonzero].astype(np.float32)
        )
    digest = hashlib.sha256(weights_path.read_bytes()).hexdigest()
    manifest = {
        **info,
        "weights": weights_path.name,
        "sha256": digest,
        "bias": bias,
        "threshold": threshold,
        "n_features": N_FEATURES,
    }
    path.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return path


def load(path: Path = BUNDLED) -> Scorer:
    """Read a model; refuse weights whose hash differs from the manifest's."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        weights_path = path.with_name(manifest["weights"])
        raw = weights_path.read_bytes()
    except (OSError, KeyError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"{path}: cannot read the scorer model: {exc}") from exc
    digest = hashlib.sha256(raw).hexdigest()
    if digest != manifest["sha256"]:
        raise InvalidInput(
            f"{weights_path}: SHA-256 {digest[:12]}… differs from the manifest's "
            f"{manifest['sha256'][:12]}…: the model was changed or damaged"
        )
    with np.load(weights_path, allow_pickle=False) as data:
        weights = np.zeros(int(manifest["n_features"]), dtype=np.float64)
        weights[data["indices"]] = data["values"]
    return Scorer(
        weights, float(manifest["bias"]), float(manifest["threshold"]), manifest["version"], digest
    )
