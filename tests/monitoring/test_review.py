"""Dedup, the verification workflow with locks, council rulings and the daily report."""

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.audit.integrity import verify
from accord.audit.models import AuditEvent
from accord.council import service as council
from accord.errors import Conflict, InvalidInput
from accord.incidents import clustering, dedup, planted, service, workflow
from accord.incidents.models import IncidentLock
from accord.incidents.rows import from_accord
from accord.packs import service as packs
from accord.reports import daily
from accord.reports import service as reports
from accord.sources.blobs import BlobStore


def add(
    session: Session, when: str, lat: float, lon: float, kind: str = "explosion", **extra: object
) -> int:
    data = {"occurred_at": when, "latitude": lat, "longitude": lon, "type": kind, **extra}
    return service.create(session, from_accord(data), by="t").id


@pytest.fixture
def loaded(session: Session) -> Session:
    packs.load_by_name(session, "ukraine-2025", by="t")
    return session


def report(i: int, lat: float, lon: float, day: float, **kw: object) -> dedup.Report:
    base = {
        "type": "explosion",
        "location_precision": "exact",
        "time_precision": "day",
        "notes": None,
        "sources": 1,
    }
    base.update(kw)
    return dedup.Report(id=i, lat=lat, lon=lon, time=day, **base)  # type: ignore[arg-type]


def test_dedup_rules() -> None:
    reports_ = [
        report(1, 48.0, 37.0, 100.0),
        report(2, 48.005, 37.005, 100.3),  # 0.7 km, same day: duplicate of 1
        report(3, 48.05, 37.0, 100.1),  # 5.6 km: too far for exact reports
        report(4, 48.05, 37.0, 100.1, location_precision="near"),  # near: 10 km reach -> joins
        report(5, 48.0, 37.0, 103.0),  # three days later: not the same event
        report(6, 48.0, 37.0, 100.0, type="military-presence"),  # another family
        report(7, 49.0, 36.001, 100.0, notes="tank column moving west"),
        report(8, 49.0, 36.002, 100.0, notes="illumination flare over the village"),
    ]
    assert dedup.is_duplicate(reports_[0], reports_[1])
    assert not dedup.is_duplicate(reports_[0], reports_[2])  # exact reports 5.6 km apart
    assert dedup.is_duplicate(reports_[0], reports_[3])  # the coarser report's reach applies
    groups = dedup.clusters(reports_)
    # 4 is closest to 3 (same place and time); 3 is too far from 1 and 2, so no chain forms
    assert [1, 2] in groups and [3, 4] in groups
    assert not any(5 in g or 6 in g for g in groups)
    assert not any(7 in g and 8 in g for g in groups)  # both have notes, and they differ
    kept = dedup.clusters(reports_, different=[(1, 2)])
    assert not any(1 in g and 2 in g for g in kept)
    assert dedup.representative([reports_[3], reports_[0]]).id == 1


def test_dedup_weighs_what_both_reports_state() -> None:
    base = report(1, 48.0, 37.0, 100.0, perpetrator="ru", casualties=4)
    assert dedup.is_duplicate(base, report(2, 48.0, 37.0, 100.0, perpetrator="ru", casualties=5))
    assert dedup.is_duplicate(base, report(3, 48.0, 37.0, 100.0))  # nothing stated: no conflict
    assert not dedup.is_duplicate(base, report(4, 48.0, 37.0, 100.0, perpetrator="ua"))
    assert not dedup.is_duplicate(base, report(5, 48.0, 37.0, 100.0, casualties=0))
    assert dedup.is_duplicate(base, report(6, 48.0, 37.0, 100.0, casualties=7))  # revised up
    dated = report(7, 48.0, 37.0, 100.0)  # a bare date: the whole of day 100
    assert dedup.is_duplicate(dated, report(8, 48.0, 37.0, 100.9, time_precision="exact"))
    assert not dedup.is_duplicate(dated, report(9, 48.0, 37.0, 101.0))  # the next day


def test_dedup_quality_on_planted_duplicates() -> None:
    """2,000 planted reports, with distinct events close by: pair precision and recall >= 0.9."""
    data = planted.generate(2000, seed=1)
    groups = dedup.clusters(data.reports)
    scores = planted.pair_scores(planted.labels_of(groups, data.reports), data.events)
    assert scores["true_pairs"] > 1000
    assert scores["precision"] >= 0.9, scores
    assert scores["recall"] >= 0.9, scores


def test_dedup_split_and_join_keep_rows(loaded: Session) -> None:
    a = add(loaded, "2026-02-03T10:00", 48.0, 37.0, location_precision="exact")
    b = add(loaded, "2026-02-03T10:30", 48.002, 37.002, location_precision="exact")
    c = add(loaded, "2026-02-09T10:00", 49.0, 36.0, location_precision="exact")
    result = clustering.run_dedup(loaded, by="t")
    assert (result["clusters"], result["duplicates"]) == (1, 1)
    assert sorted(clustering.cluster_of(loaded, a)) == [a, b]
    clustering.split(loaded, b, by="analyst")
    assert clustering.cluster_of(loaded, a) == [a]
    clustering.join(loaded, a, c, by="analyst")
    assert sorted(clustering.cluster_of(loaded, c)) == [a, c]
    assert service.get(loaded, b) is not None  # members keep their own rows
    with pytest.raises(InvalidInput):
        clustering.join(loaded, a, a, by="analyst")


def test_workflow_transitions_locks_and_audit(loaded: Session) -> None:
    i = add(loaded, "2026-02-03", 48.0, 37.0, alleged_perpetrator="ru")
    with pytest.raises(Conflict, match="cannot go from reported to verified"):
        workflow.transition(loaded, i, "verified", by="alice")
    workflow.transition(loaded, i, "under_review", by="alice")
    with pytest.raises(Conflict, match="locked by alice"):
        workflow.transition(loaded, i, "verified", by="bob")
    with pytest.raises(Conflict, match="locked by alice"):
        workflow.take_lock(loaded, i, by="bob")
    lock = loaded.get(IncidentLock, i)
    assert lock is not None
    lock.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)  # alice's lock lapses
    loaded.flush()
    workflow.take_lock(loaded, i, by="bob")
    done = workflow.transition(loaded, i, "verified", by="bob", attributed_to="ru", confidence=0.8)
    assert (done.status, done.attributed_to, done.alleged_perpetrator) == ("verified", "ru", "ru")
    assert loaded.get(IncidentLock, i) is None
    with pytest.raises(InvalidInput, match="unknown status"):
        workflow.transition(loaded, i, "closed", by="bob")
    with pytest.raises(InvalidInput, match="only when verifying"):
        workflow.transition(loaded, i, "under_review", by="bob", attributed_to="ua")
    actions = [
        e.action for e in loaded.scalars(select(AuditEvent).where(AuditEvent.entity_id == str(i)))
    ]
    assert actions.count("incident.transition") == 2


def test_rulings(loaded: Session) -> None:
    i = add(loaded, "2026-02-03", 48.0, 37.0)
    votes = {"chair-us": "yes", "member-ru": "no"}
    with pytest.raises(Conflict, match="rules only on verified incidents"):
        council.rule(loaded, i, "violation", votes, dt.date(2026, 2, 4), by="t", party="ru")
    workflow.transition(loaded, i, "under_review", by="t")
    workflow.transition(loaded, i, "verified", by="t")
    for kwargs, message in (
        ({"votes": {"nobody": "yes"}}, "unknown council member"),
        ({"votes": {"chair-us": "maybe"}}, "is not one of"),
        ({"votes": {}}, "needs the vote record"),
        ({"outcome": "guilty"}, "unknown outcome"),
        ({"party": None}, "names the party"),
        ({"party": "xx"}, "unknown actor"),
    ):
        args = {"outcome": "violation", "votes": votes, "party": "ru", **kwargs}
        with pytest.raises(InvalidInput, match=message):
            council.rule(
                loaded,
                i,
                args["outcome"],
                args["votes"],
                dt.date(2026, 2, 4),
                by="t",  # type: ignore[arg-type]
                party=args["party"],
            )  # type: ignore[arg-type]
    ruling = council.rule(loaded, i, "violation", votes, dt.date(2026, 2, 4), by="t", party="ru")
    assert [r.id for r in council.rulings(loaded, on=dt.date(2026, 2, 4))] == [ruling.id]


def test_daily_report_numbers_against_a_hand_counted_fixture(
    loaded: Session, tmp_path: Path
) -> None:
    # day before (Feb 3): 2 explosions (ru, ua); the day (Feb 4): 3 explosions (ru, ru, unknown),
    # 1 battles (ua), 1 dismissed explosion (left out); two days before (Feb 2): 1 projectile
    add(loaded, "2026-02-03T08:00", 48.0, 37.0, alleged_perpetrator="ru")
    add(loaded, "2026-02-03T09:00", 48.1, 37.1, alleged_perpetrator="ua")
    first = add(loaded, "2026-02-04T08:00", 48.0, 37.0, alleged_perpetrator="ru")
    add(loaded, "2026-02-04T09:00", 48.2, 37.2, alleged_perpetrator="ru")
    add(loaded, "2026-02-04T10:00", 48.3, 37.3)
    add(loaded, "2026-02-04T11:00", 48.4, 37.4, "battles", alleged_perpetrator="ua")
    gone = add(loaded, "2026-02-04T12:00", 48.5, 37.5)
    add(loaded, "2026-02-02T12:00", 48.5, 37.5, "projectile")
    for target in ("under_review", "dismissed"):
        workflow.transition(loaded, gone, target, by="t")
    for target in ("under_review", "verified"):
        workflow.transition(
            loaded,
            first,
            target,
            by="t",
            **({"attributed_to": "ua"} if target == "verified" else {}),
        )
    r = daily.build(loaded, dt.date(2026, 2, 4))
    assert (r.total, r.previous_total, r.verified) == (4, 2, 1)
    assert {row.key: (row.today, row.previous, row.change) for row in r.by_type} == {
        "explosions-remote-violence": (0, 0, 0),
        "explosion": (3, 2, 1),
        "battles": (1, 0, 1),
    } or {row.key: (row.today, row.previous, row.change) for row in r.by_type} == {
        "explosion": (3, 2, 1),
        "battles": (1, 0, 1),
    }
    # the verified attribution (ua) replaces the alleged perpetrator (ru) of the first incident
    assert {row.key: row.today for row in r.by_party} == {"ru": 1, "ua": 2, "unknown": 1}
    assert r.by_status == {"verified": 1, "reported": 3}
    trend = {p["date"]: p["reported"] for p in r.trend}
    assert (trend["2026-02-02"], trend["2026-02-03"], trend["2026-02-04"], len(trend)) == (
        1,
        2,
        4,
        30,
    )
    with pytest.raises(InvalidInput, match="no incidents or rulings"):
        daily.build(loaded, dt.date(2026, 3, 1))
    blobs = BlobStore(tmp_path / "blobs")
    artifacts = reports.write_daily(
        loaded, dt.date(2026, 2, 4), tmp_path / "daily.html", by="t", blobs=blobs, pdf=True
    )
    html = (tmp_path / "daily.html").read_text()
    assert "<svg" in html and "://" not in html.replace("http://www.w3.org/2000/svg", "")
    # the chart has a text alternative: a label naming its period, and a table of its numbers
    assert (
        'aria-label="bar chart of incidents reported and verified per day, 2026-01-06 to 2026-02-04'
        in html
    )
    table = html.split("The chart's numbers, by day")[1].split("</table>")[0]
    assert '<th scope="row">2026-02-04</th><td class="n">4</td><td class="n">1</td>' in table
    assert table.count('<th scope="row">') == 30
    assert (tmp_path / "daily.pdf").read_bytes().startswith(b"%PDF")
    assert len(artifacts) == 2 and verify(loaded, blobs).ok
    (blobs.path_for(artifacts[0].sha256)).write_bytes(b"tampered")
    assert "report" in (verify(loaded, blobs).problem or "")
