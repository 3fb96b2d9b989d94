"""Each reconciliation rule of the board, on claims written for the test."""

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.audit.models import AuditEvent
from accord.claims import workflow
from accord.errors import Conflict, InvalidInput, NotFound
from accord.negotiation import service, timeline
from accord.packs import service as packs
from factories import claim, source

AS_OF = dt.date(2026, 1, 31)


@pytest.fixture
def loaded(session: Session) -> Session:
    packs.load_by_name(session, "ukraine-2025", by="t")
    return session


def row(session: Session, issue: str, as_of: dt.date = AS_OF):  # type: ignore[no-untyped-def]
    return next(r for r in service.board(session, as_of=as_of).rows if r.issue == issue)


def test_rows_are_top_level_issues_and_columns_the_main_parties(loaded: Session) -> None:
    board = service.board(loaded, as_of=AS_OF)
    assert board.parties == ["us", "ua", "ru", "eu"]
    issues = [r.issue for r in board.rows]
    assert "territory" in issues and "children" not in issues


def test_latest_stance_wins_and_counts_sources(loaded: Session) -> None:
    a, b, c = (source(loaded, d) for d in ("2025-11-20", "2025-12-01", "2025-12-10"))
    claim(loaded, a, "position", "territory", "ru", "demand")
    claim(loaded, b, "position", "territory", "ru", "demand")
    claim(loaded, c, "position", "territory", "ru", "oppose")
    cell = row(loaded, "territory").cells["ru"]
    assert cell is not None and (cell.stance, cell.sources, cell.date) == (
        "oppose",
        1,
        dt.date(2025, 12, 10),
    )
    earlier = row(loaded, "territory", dt.date(2025, 12, 5)).cells["ru"]
    assert earlier is not None and (earlier.stance, earlier.sources) == ("demand", 2)


def test_claim_date_beats_publication_date(loaded: Session) -> None:
    late = source(loaded, "2025-12-20")
    early = source(loaded, "2025-12-10")
    claim(loaded, late, "position", "ceasefire", "ru", "oppose", date="2025-11-01")
    claim(loaded, early, "position", "ceasefire", "ru", "support")
    assert row(loaded, "ceasefire").cells["ru"].stance == "support"  # type: ignore[union-attr]


def test_status_agreement_and_contest(loaded: Session) -> None:
    s = source(loaded, "2025-12-28")
    claim(loaded, s, "status", "security-guarantees", "ua", "agreed")
    claim(loaded, s, "status", "security-guarantees", "us", "near_agreement", progress_pct=95)
    claim(loaded, s, "status", "znpp", "us", "progress")
    claim(loaded, s, "status", "znpp", "ua", "progress")
    guarantees = row(loaded, "security-guarantees")
    assert guarantees.status == "contested"
    assert {(x.holder, x.status, x.progress_pct) for x in guarantees.statuses} == {
        ("ua", "agreed", None),
        ("us", "near_agreement", 95),
    }
    assert row(loaded, "znpp").status == "progress"
    assert row(loaded, "elections").status is None


def test_latest_status_per_holder_resolves_a_contest(loaded: Session) -> None:
    first, later = source(loaded, "2025-12-01"), source(loaded, "2025-12-15")
    claim(loaded, first, "status", "territory", "us", "progress")
    claim(loaded, first, "status", "territory", "ua", "unresolved")
    claim(loaded, later, "status", "territory", "us", "unresolved")
    assert row(loaded, "territory").status == "unresolved"
    assert row(loaded, "territory", dt.date(2025, 12, 10)).status == "contested"


def test_rejected_claims_are_ignored_and_audited(loaded: Session) -> None:
    s = source(loaded, "2025-12-28")
    c = claim(loaded, s, "position", "ceasefire", "ru", "oppose")
    assert row(loaded, "ceasefire").cells["ru"] is not None
    _claim, changed = workflow.reject(loaded, c.id, by="reviewer", reason="misread")
    assert changed and row(loaded, "ceasefire").cells["ru"] is None
    event = loaded.scalar(select(AuditEvent).where(AuditEvent.action == "claim.rejected"))
    assert event is not None and event.entity_id == str(c.id) and event.user == "reviewer"


def test_corrections_replace_the_original(loaded: Session) -> None:
    s = source(loaded, "2025-12-28")
    c = claim(loaded, s, "position", "territory", "ua", "support")
    new = workflow.correct(
        loaded, c.id, workflow.Correction(stance="oppose", note="negated"), by="r"
    )
    assert new.supersedes_id == c.id and new.review_state == "accepted"
    assert c.review_state == "corrected"
    assert row(loaded, "territory").cells["ua"].stance == "oppose"  # type: ignore[union-attr]


def test_contradictory_review_is_refused(loaded: Session) -> None:
    c = claim(loaded, source(loaded, "2025-12-28"), "position", "territory", "ru", "demand")
    workflow.accept(loaded, c.id, by="r")
    assert workflow.accept(loaded, c.id, by="r")[1] is False  # the same decision twice: no-op
    with pytest.raises(
        Conflict, match=f"claim {c.id} is already accepted; it cannot also be rejected"
    ):
        workflow.reject(loaded, c.id, by="r")
    with pytest.raises(Conflict):
        workflow.correct(loaded, c.id, workflow.Correction(stance="oppose"), by="r")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (workflow.Correction(issue="atlantis"), "unknown issue 'atlantis'"),
        (workflow.Correction(holder="xx"), "unknown actor 'xx'"),
        (workflow.Correction(stance="maybe"), "unknown stance 'maybe'"),
        (workflow.Correction(status="agreed"), "is a position, not a status"),
        (workflow.Correction(date=dt.date(2026, 3, 1)), "after the source's publication"),
        (workflow.Correction(), "nothing to correct"),
    ],
)
def test_bad_corrections_change_nothing(
    loaded: Session, change: workflow.Correction, message: str
) -> None:
    c = claim(loaded, source(loaded, "2025-12-28"), "position", "territory", "ru", "demand")
    with pytest.raises(InvalidInput, match=message):
        workflow.correct(loaded, c.id, change, by="r")
    assert c.review_state == "machine"


def test_unknown_claim(loaded: Session) -> None:
    with pytest.raises(NotFound):
        workflow.accept(loaded, 999_999, by="r")


def test_as_of_before_the_first_source(loaded: Session) -> None:
    source(loaded, "2025-11-20")
    with pytest.raises(InvalidInput, match="before the first source"):
        service.board(loaded, as_of=dt.date(2025, 1, 1))


def test_timeline_marks_stance_changes(loaded: Session) -> None:
    a, b = source(loaded, "2025-11-20", "first"), source(loaded, "2025-12-20", "second")
    claim(loaded, a, "position", "territory", "ru", "demand")
    claim(loaded, b, "position", "territory", "ru", "oppose")
    entries = timeline.issue_timeline(loaded, "territory")
    assert [e.change for e in entries] == [None, "ru: demand -> oppose"]
    assert entries[1].source_title == "second"
    with pytest.raises(NotFound):
        timeline.issue_timeline(loaded, "atlantis")


def test_events_merge_across_sources_and_upcoming_until_their_date(loaded: Session) -> None:
    a, b = source(loaded, "2025-12-28"), source(loaded, "2025-12-29")
    for s in (a, b):
        claim(
            loaded,
            s,
            "event",
            None,
            None,
            "meeting",
            date="2026-01-06",
            participants=["coalition-of-the-willing"],
            place="Paris",
        )
    claim(loaded, a, "event", None, None, "call", date="2025-12-27", participants=["ru", "us"])
    upcoming = timeline.events(loaded, as_of=dt.date(2025, 12, 29), upcoming=True)
    assert len(upcoming) == 1 and upcoming[0].place == "Paris" and len(upcoming[0].sources) == 2
    assert not timeline.events(loaded, as_of=dt.date(2026, 1, 10), upcoming=True)
    assert len(timeline.events(loaded, as_of=dt.date(2026, 1, 10))) == 2
