"""The learned claim scorer: how likely a rule-built claim is one an analyst would accept.

The rules find candidate claims (holder, issue, stance or status, with the sentence that carries
them). The scorer is a logistic regression over hashed features of each candidate: its fields
and the words of its sentence, alone and paired with the candidate's label, so that it learns
which wordings really carry a stance on which issue. Its raw probability is then
calibrated (Platt scaling: a small logistic regression on the raw log-odds and a few facts of the
candidate, fitted on out-of-fold predictions for real reporting), and the calibrated probability
is the claim's confidence; candidates under the model's threshold are dropped in accurate mode.

Weights are trained here (``accord extract train``) on our annotations, never downloaded; a model
is a ``.npz`` file (read without pickle) holding every number of the model (weights, bias,
threshold, calibration) and a JSON manifest that pins its SHA-256, so the hash names the model.
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
# inputs of the calibration besides the raw log-odds (its first input)
CALIBRATION_INPUTS = (
    "logit",
    "rules_confidence",
    "kind=position",
    "kind=status",
    "kind=proposal",
    "kind=event",
    "hedged",
    "negated",
)


def rules_confidence(claim: ClaimOut) -> float:
    """Return the confidence the rules gave a claim (kept aside once the scorer has rescored it)."""
    return claim.rules_confidence if claim.rules_confidence is not None else claim.confidence


def calibration_inputs(claim: ClaimOut) -> list[float]:
    """Return the calibration's inputs of a candidate other than its raw log-odds."""
    kinds = [float(claim.kind == k) for k in ("position", "status", "proposal", "event")]
    return [rules_confidence(claim), *kinds, float(claim.hedged), float(claim.negated)]


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
        f"conf={sum(rules_confidence(claim) >= b for b in _CONF_BUCKETS)}",
        f"Lconf={label}|{sum(rules_confidence(claim) >= b for b in _CONF_BUCKETS)}",
    ]
    feats += [f"w={g}" for g in grams]
    feats += [f"Lw={claim.kind}|{g}" for g in grams]
    feats += [f"Sw={label}|{w}" for w in words]
    return feats


def feature_indices(features: Iterable[str]) -> list[int]:
    """Hash named features to column indices (CRC-32: stable across runs and machines)."""
    return sorted({zlib.crc32(f.encode()) % N_FEATURES for f in features})


def sigmoid(z: float) -> float:
    """Return the logistic function of z."""
    return float(1.0 / (1.0 + np.exp(-z)))


@dataclass
class Scorer:
    """A trained scorer: weights, bias, the drop threshold, its calibration and its hash."""

    weights: np.ndarray
    bias: float
    threshold: float
    version: str
    sha256: str
    calibration: np.ndarray | None = None  # coefficients of CALIBRATION_INPUTS, then intercept

    def logit(self, claim: ClaimOut, text_length: int) -> float:
        """Return the raw (uncalibrated) log-odds that the claim is correct."""
        columns = feature_indices(claim_features(claim, text_length))
        return self.bias + float(self.weights[columns].sum())

    def raw_probability(self, claim: ClaimOut, text_length: int) -> float:
        """Return the uncalibrated probability that the claim is correct."""
        return sigmoid(self.logit(claim, text_length))

    def probability(self, claim: ClaimOut, text_length: int) -> float:
        """Return the calibrated probability that the claim is correct."""
        return self.calibrate(self.logit(claim, text_length), calibration_inputs(claim))

    def calibrate(self, logit: float, inputs: list[float]) -> float:
        """Return the calibrated probability for a raw log-odds and the other inputs."""
        if self.calibration is None:
            return sigmoid(logit)
        coef = self.calibration
        return sigmoid(float(np.dot(coef[:-1], [logit, *inputs])) + float(coef[-1]))

    def rescore(self, claims: list[ClaimOut], text_length: int, *, drop: bool) -> list[ClaimOut]:
        """Set each claim's confidence to its probability; drop those under the threshold."""
        kept = []
        for claim in claims:
            claim.rules_confidence = rules_confidence(claim)
            claim.confidence = round(self.probability(claim, text_length), 4)
            if not drop or claim.confidence >= self.threshold:
                kept.append(claim)
        return kept


def save(
    path: Path,
    weights: np.ndarray,
    bias: float,
    threshold: float,
    info: dict[str, object],
    calibration: np.ndarray | None = None,
) -> Path:
    """Write a model (``.npz``: every number of it) and its manifest (JSON, pinning its hash)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    nonzero = np.flatnonzero(weights)
    weights_path = path.with_suffix(".npz")
    arrays = {
        "indices": nonzero.astype(np.int32),
        "values": weights[nonzero].astype(np.float32),
        "bias": np.array([bias]),
        "threshold": np.array([threshold]),
    }
    if calibration is not None:
        arrays["calibration"] = np.asarray(calibration, dtype=np.float64)
    with weights_path.open("wb") as handle:
        np.savez_compressed(handle, **arrays)  # type: ignore[arg-type]
    digest = hashlib.sha256(weights_path.read_bytes()).hexdigest()
    manifest = {
        **info,
        "weights": weights_path.name,
        "sha256": digest,
        "bias": bias,
        "threshold": threshold,
        "n_features": N_FEATURES,
    }
    if calibration is not None:
        manifest["calibration"] = dict(
            zip([*CALIBRATION_INPUTS, "intercept"], map(float, calibration), strict=True)
        )
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
        # models written before the calibration kept bias and threshold in the manifest only
        bias = float(data["bias"][0]) if "bias" in data else float(manifest["bias"])
        threshold = (
            float(data["threshold"][0]) if "threshold" in data else float(manifest["threshold"])
        )
        calibration = np.array(data["calibration"]) if "calibration" in data else None
    if calibration is not None and len(calibration) != len(CALIBRATION_INPUTS) + 1:
        raise InvalidInput(f"{weights_path}: the calibration has {len(calibration)} numbers")
    return Scorer(weights, bias, threshold, manifest["version"], digest, calibration)
