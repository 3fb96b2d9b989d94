"""Agreements: the bundled drafts' diff, signing, PAM implementation roll-ups, bad input."""

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from accord.agreements import diff, implementation, links, service
from accord.agreements.deadlines import DeadlineError, parse_deadline
from accord.agreements.models import ImplementationRecord
from accord.cli.main import app
from accord.errors import Conflict, InvalidInput, NotFound, PackError
from accord.packs import service as packs
from accord.packs.loader import load_pack

OLD, NEW = "us-28-point-plan", "twenty-point-framework"
SIGNED = dt.date(2026, 2, 1)


@pytest.fixture
def loaded(session: Session) -> Session:
    packs.load_by_name(session, "ukraine-2025", by="t")
    return session


def test_bundled_drafts(loaded: Session) -> None:
    drafts = {d.id: d for a in service.list_agreements(loaded) for d in a.drafts}
    assert len(drafts[OLD].provisions) == 28 and len(drafts[NEW].provisions) == 20


def test_diff_reports_the_changed_figures(loaded: Session) -> None:
    result = diff.diff_drafts(loaded, OLD, NEW)
    figures = {(f.what, f.old, f.new) for c in result.changed for f in c.figures}
    assert ("armed-forces-cap", "600,000", "800,000") in figures
    assert ("deadline", "signing + 100 days", "as soon as possible after signing") in figures
    removed = [p.title.lower() for p in result.removed]
    assert any("compensation" in title for title in removed)
    armed = next(c for c in result.changed if c.old.title == "Size of Ukraine's armed forces")
    assert armed.new.title == "Size of Ukraine's armed forces"
    matched = len(result.changed) + len(result.unchanged)
    assert matched + len(result.removed) == 28 and matched + len(result.added) == 20


def test_diff_bad_input(loaded: Session) -> None:
    with pytest.raises(InvalidInput, match="with itself"):
        diff.diff_drafts(loaded, OLD, OLD)
    with pytest.raises(NotFound, match="draft 'nope' does not exist"):
        diff.diff_drafts(loaded, OLD, "nope")


@pytest.mark.parametrize(
    ("rule", "due"),
    [
        ("signing", "2026-02-01"),
        ("signing + 100 days", "2026-05-12"),
        ("signing + 6 weeks", "2026-03-15"),
        ("signing + 3 months", "2026-05-01"),
        ("2026-06-01", "2026-06-01"),
        ("asap after signing", None),
    ],
)
def test_deadline_rules(rule: str, due: str | None) -> None:
    result = parse_deadline(rule).due(SIGNED)
    assert (result.isoformat() if result else None) == due


@pytest.mark.parametrize("rule", ["soon", "signing + many days", "signing - 3 days", "2026-13-01"])
def test_bad_deadline_rules(rule: str) -> None:
    with pytest.raises(DeadlineError, match="cannot read deadline rule"):
        parse_deadline(rule)


def test_bad_deadline_in_a_pack_names_file_and_field(tmp_path: Path) -> None:
    root = Path(load_pack("ukraine-2025").root)
    folder = tmp_path / "pack"
    folder.mkdir()
    for name in ("pack.yaml", "actors.yaml", "issues.yaml", "agreements.yaml"):
        shutil.copy(root / name, folder / name)
    data = yaml.safe_load((folder / "agreements.yaml").read_text())
    data["agreements"][0]["drafts"][0]["provisions"][0]["deadline"] = "whenever"
    (folder / "agreements.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(
        PackError,
        match=(
            r"agreements\.yaml: field agreements\[peace-agreement\]\.drafts"
            r"\[us-28-point-plan\]\.provisions\[0\]\.deadline"
        ),
    ):
        load_pack(str(folder))


def _provisions(session: Session) -> dict[str, int]:
    return {p.number: p.id for p in service.get_draft(session, NEW).provisions}


def test_signing_and_roll_ups_against_hand_computed_values(loaded: Session) -> None:
    with pytest.raises(Conflict, match="not signed"):
        implementation.record(loaded, _provisions(loaded)["1"], 3, SIGNED, by="t")
    service.sign(loaded, NEW, SIGNED, by="t")
    with pytest.raises(Conflict, match="already signed on 2026-02-01"):
        service.sign(loaded, NEW, SIGNED, by="t")
    ids = _provisions(loaded)
    draft = service.get_draft(loaded, NEW)
    by_number = {p.number: p for p in draft.provisions}
    elections = next(n for n, p in by_number.items() if p.issues == ["elections"])
    # levels: provision 1 -> 3 (then), provision 2 -> 1 then 2; elections -> 1; the rest 0
    implementation.record(loaded, ids["1"], 3, dt.date(2026, 2, 10), by="t")
    implementation.record(loaded, ids["2"], 1, dt.date(2026, 2, 10), by="t")
    implementation.record(loaded, ids["2"], 2, dt.date(2026, 3, 10), by="t")
    implementation.record(loaded, ids[elections], 1, dt.date(2026, 2, 20), by="t")
    early = implementation.draft_status(loaded, NEW, dt.date(2026, 3, 1))
    # 3 + 1 + 1 = 5 points of 3 * 20 = 60 -> 8.3 %
    assert (early.overall.points, early.overall.percent) == (5, 8.3)
    late = implementation.draft_status(loaded, NEW, dt.date(2026, 4, 1))
    assert (late.overall.points, late.overall.percent) == (6, 10.0)
    elections_rollup = late.by_issue["elections"]
    n_elections = sum(1 for p in by_number.values() if "elections" in p.issues)
    assert elections_rollup.provisions == n_elections
    assert elections_rollup.points == 1
    assert elections_rollup.percent == round(100 * 1 / (3 * n_elections), 1)
    ceasefire = next(p for p in late.provisions if p.issues == ["ceasefire"])
    assert ceasefire.due == SIGNED and ceasefire.overdue  # due at signing, level 0
    assert not next(p for p in late.provisions if p.number == "1").overdue  # fully done


def test_indicators(loaded: Session) -> None:
    service.sign(loaded, NEW, SIGNED, by="t")
    implementation.add_indicator(
        loaded,
        NEW,
        "prisoner_exchange",
        dt.date(2026, 2, 5),
        {"released_by": {"ua": 100, "ru": 90}, "mediator": "ae"},
        by="t",
    )
    implementation.add_indicator(
        loaded,
        NEW,
        "prisoner_exchange",
        dt.date(2026, 3, 5),
        {"released_by": {"ua": 50, "ru": 60}},
        by="t",
    )
    implementation.add_indicator(
        loaded,
        NEW,
        "funds",
        dt.date(2026, 3, 1),
        {"donor": "eu", "pledged": 1000, "disbursed": 250},
        by="t",
    )
    implementation.add_indicator(
        loaded,
        NEW,
        "guarantee",
        dt.date(2026, 3, 1),
        {"guarantor": "gb", "commitment": "air policing"},
        by="t",
    )
    summary = implementation.draft_status(loaded, NEW, dt.date(2026, 4, 1)).indicators
    assert summary["prisoner_exchanges"] == 2
    assert summary["prisoners_released_by"] == {"ua": 150, "ru": 150}
    assert summary["funds_by_donor"] == {"eu": {"pledged": 1000.0, "disbursed": 250.0}}
    assert summary["guarantees_by_guarantor"] == {"gb": ["air policing"]}
    with pytest.raises(InvalidInput, match="unknown indicator"):
        implementation.add_indicator(loaded, NEW, "votes", SIGNED, {}, by="t")
    with pytest.raises(InvalidInput, match="funds field 'pledged'"):
        implementation.add_indicator(
            loaded, NEW, "funds", SIGNED, {"donor": "eu", "pledged": -1}, by="t"
        )


def test_bad_implementation_input_writes_nothing(loaded: Session) -> None:
    service.sign(loaded, NEW, SIGNED, by="t")
    pid = _provisions(loaded)["1"]
    for kwargs, message in (
        ({"level": 4}, "outside the PAM scale"),
        ({"level": -1}, "outside the PAM scale"),
        ({"level": 2, "source_id": 999_999}, "evidence source 999999 does not exist"),
        ({"level": 2, "claim_id": 999_999}, "evidence claim 999999 does not exist"),
        ({"level": 2, "on": dt.date(2026, 1, 1)}, "before the signing"),
    ):
        on = kwargs.pop("on", SIGNED)
        with pytest.raises(InvalidInput, match=message):
            implementation.record(loaded, pid, on=on, by="t", **kwargs)  # type: ignore[arg-type]
    assert loaded.scalar(select(func.count()).select_from(ImplementationRecord)) == 0
    with pytest.raises(NotFound):
        implementation.record(loaded, 999_999, 1, SIGNED, by="t")
    with pytest.raises(InvalidInput, match="before the draft itself"):
        service.sign(loaded, OLD, dt.date(2025, 1, 1), by="t")


def test_provisions_show_the_talks(loaded: Session) -> None:
    view = links.draft_view(loaded, NEW)
    assert all(p.stances == {} for p in view.provisions)  # no sources yet: nothing to show


def test_cli_diff_and_status(runner: CliRunner, home: Path, fresh_db: str) -> None:
    assert runner.invoke(app, ["init", "--db", fresh_db]).exit_code == 0
    out = runner.invoke(app, ["agreement", "diff", OLD, NEW, "--db", fresh_db])
    assert out.exit_code == 0 and "armed-forces-cap: 600,000 -> 800,000" in out.stdout
    data = json.loads(
        runner.invoke(app, ["agreement", "diff", OLD, NEW, "--db", fresh_db, "--json"]).stdout
    )
    assert data["removed"]
    same = runner.invoke(app, ["agreement", "diff", OLD, OLD, "--db", fresh_db])
    assert same.exit_code == 2 and "with itself" in same.stderr
    assert (
        runner.invoke(
            app, ["agreement", "sign", NEW, "--date", "2026-02-01", "--db", fresh_db]
        ).exit_code
        == 0
    )
    twice = runner.invoke(app, ["agreement", "sign", NEW, "--date", "2026-02-01", "--db", fresh_db])
    assert twice.exit_code == 4 and "already signed" in twice.stderr
    shown = json.loads(
        runner.invoke(app, ["agreement", "show", NEW, "--db", fresh_db, "--json"]).stdout
    )
    first = shown["provisions"][0]["id"]
    bad = runner.invoke(
        app,
        [
            "agreement",
            "implement",
            str(first),
            "--level",
            "5",
            "--date",
            "2026-02-02",
            "--db",
            fresh_db,
        ],
    )
    assert bad.exit_code == 2 and "outside the PAM scale" in bad.stderr
    ok = runner.invoke(
        app,
        [
            "agreement",
            "implement",
            str(first),
            "--level",
            "3",
            "--date",
            "2026-02-02",
            "--db",
            fresh_db,
        ],
    )
    assert ok.exit_code == 0
    bad_json = runner.invoke(
        app,
        [
            "agreement",
            "indicator",
            NEW,
            "--kind",
            "funds",
            "--date",
            "2026-02-02",
            "--data",
            "{not json",
            "--db",
            fresh_db,
        ],
    )
    assert bad_json.exit_code == 2 and "invalid JSON" in bad_json.stderr
    status = json.loads(
        runner.invoke(
            app, ["agreement", "status", NEW, "--as-of", "2026-03-01", "--db", fresh_db, "--json"]
        ).stdout
    )
    assert status["overall"] == {"provisions": 20, "points": 3, "percent": 5.0}
    assert "OK" in runner.invoke(app, ["verify", "--db", fresh_db]).stdout
