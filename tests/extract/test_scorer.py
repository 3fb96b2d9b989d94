"""The learned claim scorer: pinned weights, the two modes, and retraining from reviews."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.errors import InvalidInput
from accord.extract import scorer, training
from accord.extract.contract import EXTRACTOR_VERSION, ClaimOut

DEVSET = Path(__file__).resolve().parents[1] / "data" / "devset"
NOTE = (
    "Title: Geneva round\nDate: 2025-11-24\n\n"
    "Russia rejected the European counter-proposal on Monday.\n"
    "Rubio said the talks had made tremendous progress on security guarantees.\n"
    "Zelenskiy will meet Trump in Washington next week.\n"
)


def test_bundled_model_loads_and_a_changed_one_is_refused(tmp_path: Path) -> None:
    model = scorer.load()
    assert model.sha256 == json.loads(scorer.BUNDLED.read_text())["sha256"]
    assert 0 < model.threshold < 1
    copy = tmp_path / "scorer.json"
    shutil.copy(scorer.BUNDLED, copy)
    shutil.copy(scorer.BUNDLED.with_suffix(".npz"), tmp_path / "scorer.npz")
    (tmp_path / "scorer.npz").write_bytes((tmp_path / "scorer.npz").read_bytes() + b"\0")
    with pytest.raises(InvalidInput, match="differs from the manifest"):
        scorer.load(copy)


def test_probability_moves_with_the_weights() -> None:
    claim = ClaimOut(
        kind="position",
        issue="territory",
        holder="ru",
        stance="demand",
        quote="Russia demands that Ukraine withdraw from Donbas.",
        span=(0, 49),
    )
    columns = scorer.feature_indices(scorer.claim_features(claim, 100))
    weights = scorer.np.zeros(scorer.N_FEATURES)
    neutral = scorer.Scorer(weights, 0.0, 0.5, "t", "x")
    assert neutral.probability(claim, 100) == pytest.approx(0.5)
    weights[columns] = 0.1
    assert scorer.Scorer(weights, 0.0, 0.5, "t", "x").probability(claim, 100) > 0.5
    kept = scorer.Scorer(-weights, 0.0, 0.5, "t", "x").rescore([claim], 100, drop=True)
    assert kept == []


def test_modes_name_the_extractor(runner: CliRunner, tmp_path: Path, home: Path) -> None:
    note = tmp_path / "note.md"
    note.write_text(NOTE)
    rules = json.loads(runner.invoke(app, ["extract", str(note), "--json"]).stdout)
    accurate = json.loads(
        runner.invoke(app, ["extract", str(note), "--mode", "accurate", "--json"]).stdout
    )
    digest = scorer.load().sha256[:8]
    assert rules["source"]["extractor"] == f"accord-rules/{EXTRACTOR_VERSION}"
    assert accurate["source"]["extractor"] == f"accord-rules+scorer/{EXTRACTOR_VERSION}+{digest}"
    # the scorer's probability replaces the rules' confidence, and drops nothing it keeps
    assert len(accurate["claims"]) <= len(rules["claims"])
    bad = runner.invoke(app, ["extract", str(note), "--mode", "fastest"])
    assert bad.exit_code == 2 and "--mode" in bad.output


def test_train_from_reviews_writes_a_model_that_ingest_records(
    runner: CliRunner, home: Path, fresh_db: str, tmp_path: Path
) -> None:
    assert runner.invoke(app, ["init", "--db", fresh_db]).exit_code == 0
    note = tmp_path / "note.md"
    note.write_text(NOTE)
    assert runner.invoke(app, ["ingest", str(note), "--db", fresh_db]).exit_code == 0
    listed = json.loads(runner.invoke(app, ["claims", "list", "--db", fresh_db, "--json"]).stdout)
    ids = [c["id"] for c in listed["items"]]
    assert runner.invoke(app, ["claims", "accept", str(ids[0]), "--db", fresh_db]).exit_code == 0
    assert runner.invoke(app, ["claims", "reject", str(ids[1]), "--db", fresh_db]).exit_code == 0
    trained = runner.invoke(
        app,
        [
            "extract",
            "train",
            "--devset",
            str(DEVSET),
            "--corpus",
            str(tmp_path / "none"),
            "--db",
            fresh_db,
            "--json",
        ],
    )
    assert trained.exit_code == 0, trained.output
    result = json.loads(trained.stdout)
    assert result["reviews"] == 2 and result["documents"] == len(list(DEVSET.glob("*.json")))
    model = Path(result["path"])
    assert model == home / "models" / "scorer.json" and model.with_suffix(".npz").exists()
    assert result["sha256"] == scorer.load(model).sha256 != scorer.load().sha256
    # ingest in accurate mode now uses the trained model and says so on every claim
    other = tmp_path / "other.md"
    other.write_text(NOTE.replace("Monday", "Tuesday"))
    env = {"ACCORD_EXTRACT_MODE": "accurate"}
    assert runner.invoke(app, ["ingest", str(other), "--db", fresh_db], env=env).exit_code == 0
    listed = json.loads(runner.invoke(app, ["claims", "list", "--db", fresh_db, "--json"]).stdout)
    versions = {c["extractor_version"] for c in listed["items"]}
    assert f"{EXTRACTOR_VERSION}+{result['sha256'][:8]}" in versions


def test_review_examples_label_reviews(session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from accord.claims import workflow
    from accord.claims.models import Claim
    from accord.packs import service as packs
    from accord.sources import service as sources
    from accord.sources.blobs import BlobStore

    packs.load_by_name(session, "ukraine-2025", by="t")
    note = tmp_path / "note.md"
    note.write_text(NOTE)
    sources.ingest_path(session, note, by="t", blobs=BlobStore(tmp_path / "b"), max_bytes=10**6)
    claims = session.query(Claim).order_by(Claim.id).all()
    event = next(c for c in claims if c.kind == "event")
    first, second = [c for c in claims if c.kind != "event"][:2]
    second.extra = {"rules_confidence": 0.35}  # as accurate mode stores it
    workflow.accept(session, event.id, by="t")
    workflow.reject(session, first.id, by="t")
    workflow.correct(session, second.id, workflow.Correction(holder="ua"), by="t")
    examples = training.review_examples(session)
    rows = zip(examples.labels, examples.keys, examples.inputs, strict=True)
    by_doc = dict(zip(examples.docs, rows, strict=True))
    assert len(by_doc) == 4 and examples.real == [True] * 4
    replacement = max(by_doc, key=lambda d: int(d.split("#")[1]))  # the newest claim
    # accepted 1, rejected 0, the corrected original 0 and its replacement 1
    assert by_doc[f"source-{event.source_id}#{event.id}"][0] == 1
    assert by_doc[f"source-{event.source_id}#{first.id}"][0] == 0
    assert by_doc[f"source-{event.source_id}#{second.id}"][0] == 0
    assert by_doc[replacement][0] == 1 and by_doc[replacement][1][2] == "ua"
    # the replacement is described with the machine's own (rules') confidence, not the review's
    assert by_doc[replacement][2][0] == by_doc[f"source-{event.source_id}#{second.id}"][2][0] == 0.35


def test_calibration_is_pinned_and_changes_the_confidence(tmp_path: Path) -> None:
    claim = ClaimOut(
        kind="status", issue="peace-deal", holder="us", status="near_agreement", quote="q"
    )
    weights = scorer.np.zeros(scorer.N_FEATURES)
    weights[scorer.feature_indices(scorer.claim_features(claim, 10))] = 0.2
    calibration = scorer.np.zeros(len(scorer.CALIBRATION_INPUTS) + 1)
    calibration[0], calibration[-1] = 0.5, -1.0  # shrink the log-odds and lower them
    path = scorer.save(tmp_path / "m.json", weights, 0.1, 0.3, {"version": "t"}, calibration)
    model = scorer.load(path)
    raw = model.raw_probability(claim, 10)
    assert model.probability(claim, 10) == pytest.approx(
        1 / (1 + scorer.np.exp(-(0.5 * scorer.np.log(raw / (1 - raw)) - 1.0)))
    )
    assert model.probability(claim, 10) < raw
    # the calibration is inside the hashed file: another calibration is another model hash
    calibration[-1] = -2.0
    other = scorer.save(tmp_path / "n.json", weights, 0.1, 0.3, {"version": "t"}, calibration)
    assert scorer.load(other).sha256 != model.sha256
    # rescoring keeps the rules' confidence aside, and it is not printed in the contract
    kept = model.rescore([claim], 10, drop=False)
    assert kept[0].rules_confidence == 0.5 and "rules_confidence" not in kept[0].model_dump()
