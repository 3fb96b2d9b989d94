"""The gaza-2025 pack: its content meets the issue's list, its own documents yield the expected
claims with no Gaza-specific code, and `accord demo --pack gaza-2025` runs end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.demo.setup import example_documents
from accord.extract.pipeline import extractor_for
from accord.packs.loader import load_pack
from accord.sources.readers import read_document

HOLDERS = {
    "us", "il", "hamas", "pij", "ps", "eg", "qa", "tr", "sa", "ae", "jo", "id", "eu", "gb", "fr",
    "de", "un", "icrc", "board-of-peace",
}  # fmt: skip
ISSUES = {
    "peace-deal", "ceasefire", "hostages", "prisoner-release", "withdrawal", "disarmament",
    "governance", "board-of-peace", "stabilization-force", "humanitarian-aid", "rafah-crossing",
    "reconstruction", "amnesty", "statehood",
}  # fmt: skip


def test_pack_has_the_named_actors_issues_drafts_and_indicators() -> None:
    pack = load_pack("gaza-2025")
    assert len(pack.actors) >= 40
    assert pack.actor_ids() >= HOLDERS
    assert pack.issue_ids() == ISSUES
    persons = [a for a in pack.actors if a.kind == "person"]
    assert persons and all(p.affiliations for p in persons)
    assert all(a.aliases for a in pack.actors)
    drafts = {d.id: d for a in pack.agreements for d in a.drafts}
    plan = drafts["us-20-point-plan"]
    assert (len(plan.provisions), plan.date.isoformat()) == (20, "2025-09-29")
    first = drafts["first-phase-agreement"]
    assert first.date.isoformat() == "2025-10-09"
    first_issues = {i for p in first.provisions for i in p.issues}
    assert {"hostages", "prisoner-release", "withdrawal", "ceasefire"} <= first_issues
    indicators = {t.indicator for p in first.provisions for t in p.targets}
    assert {"living-hostages-returned", "hostage-remains-returned", "prisoners-released"} <= (
        indicators
    )
    assert "aid-trucks-per-day" in indicators
    assert [m.actor for m in pack.council if m.role == "chair"] == ["us"]
    assert pack.ceasefires and pack.ceasefires[0].start.isoformat() == "2025-10-10"
    assert "illustrative" in pack.ceasefires[0].name.lower()


def test_outlines_are_labelled_illustrative() -> None:
    root = Path(load_pack("gaza-2025").root) / "examples"
    for name in ("zones.geojson", "territory-illustrative.geojson"):
        data = json.loads((root / name).read_text(encoding="utf-8"))
        assert "ILLUSTRATIVE" in data["name"]
        assert all("llustrative" in f["properties"]["name"] for f in data["features"])


# Claims each of our own demo documents must yield: (kind, issue, holder, stance or status).
EXPECTED = {
    "2025-09-30-twenty-point-plan.md": {
        ("proposal", "peace-deal", "us", "propose"),
        ("proposal", "board-of-peace", "us", "propose"),
        ("position", "peace-deal", "il", "support"),
        ("position", "disarmament", "il", "demand"),
        ("proposal", "stabilization-force", "us", "propose"),
        ("position", "peace-deal", "ps", "support"),
        ("position", "disarmament", "hamas", "oppose"),
    },
    "2025-10-03-hamas-response.md": {
        ("position", "hostages", "hamas", "support"),
        ("proposal", "governance", "hamas", "propose"),
    },
    "2025-11-17-security-council-resolution.md": {
        ("position", "stabilization-force", "hamas", "oppose"),
        ("proposal", "stabilization-force", "id", "propose"),
        ("position", "stabilization-force", "il", "oppose"),
    },
    "2025-12-08-second-phase-talks.md": {
        ("position", "disarmament", "hamas", "oppose"),
        ("proposal", "stabilization-force", "eg", "propose"),
        ("position", "rafah-crossing", "eg", "demand"),
    },
}


def test_extraction_on_our_gaza_documents_finds_the_expected_claims() -> None:
    extractor = extractor_for("gaza-2025")
    docs = {p.name: p for p in example_documents("gaza-2025")}
    for name, expected in EXPECTED.items():
        doc = read_document(docs[name].read_bytes(), docs[name])
        claims = extractor.extract(doc.text, doc.metadata.published_at)
        keys = {(c.kind, c.issue, c.holder, c.stance or c.status) for c in claims}
        assert expected <= keys, (name, sorted(expected - keys))
        known = load_pack("gaza-2025").actor_ids()
        assert all(c.holder is None or c.holder in known for c in claims)


@pytest.mark.slow
def test_demo_tells_the_gaza_story(runner: CliRunner, home: Path) -> None:
    result = runner.invoke(app, ["demo", "--pack", "gaza-2025", "--json"])
    assert result.exit_code == 0, result.output + str(result.exception)
    out = json.loads(result.stdout)
    assert out["pack_id"] == "gaza-2025"
    assert out["counts"]["sources"] == 6 and out["counts"]["claims"] >= 30
    issues = {c["issue_id"] for c in out["claims"]}
    assert {"hostages", "disarmament", "stabilization-force"} <= issues
    assert {r["issue"] for r in out["board"]["rows"]} == ISSUES
    assert out["board"]["parties"] == ["us", "il", "hamas", "eg", "qa"]
    assert out["diff"] is not None
    monitoring = out["monitoring"]
    assert "gaza-demo-yellow-line-band" in monitoring["zones"]
    assert monitoring["workflow"]["verified"] == 3 and "ruling" in monitoring
    assert {t["id"] for t in monitoring["territory"]} >= {"first-line", "full-withdrawal"}
    assert (home / "demo" / "daily-2025-11-14.pdf").read_bytes().startswith(b"%PDF")
