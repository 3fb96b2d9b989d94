"""Each kind of subscription fires on its change, once, and a new subscription starts from now."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.agreements import service as agreements
from accord.alerts import evaluate, service
from accord.alerts.models import Alert, OutboxMessage
from accord.alerts.schemas import SubscriptionIn
from accord.claims import service as claims
from accord.council import service as council
from accord.db.base import utcnow
from accord.incidents import check, workflow
from accord.incidents import service as incidents
from accord.incidents.rows import from_accord
from accord.packs import service as packs
from accord.sources import service as sources
from accord.sources.blobs import BlobStore
from accord.zones import service as zones

HOOK = "http://127.0.0.1:9/hook"


def _sub(session: Session, **fields: object) -> int:
    data = SubscriptionIn.model_validate({"webhook_url": HOOK, **fields})
    return service.subscribe(session, data, user="ann", by="t").id


def _titles(session: Session, subscription: int) -> list[str]:
    rows = session.scalars(
        select(Alert.title).where(Alert.subscription_id == subscription).order_by(Alert.id)
    )
    return list(rows)


def _incident(session: Session, lat: float, lon: float, day: str = "2026-02-04") -> int:
    data = {"occurred_at": day, "latitude": lat, "longitude": lon, "type": "explosion"}
    return incidents.create(session, from_accord(data), by="t").id


def _square_zone(session: Session, tmp_path: Path) -> None:
    ring = [[34.5, 47.4], [34.8, 47.4], [34.8, 47.7], [34.5, 47.7], [34.5, 47.4]]
    feature = {
        "type": "Feature",
        "properties": {"id": "near-znpp", "kind": "dmz"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    path = tmp_path / "zone.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    zones.load_geojson(session, path, zones.LoadOptions(), by="t")


def test_zone_hits_and_violation_candidates(session: Session, tmp_path: Path) -> None:
    packs.load_by_name(session, "ukraine-2025", by="t")
    _square_zone(session, tmp_path)
    in_zone = _sub(session, kind="zone", zone="near-znpp")
    any_zone = _sub(session, kind="zone")
    violations = _sub(session, kind="violation")
    inside = _incident(session, 47.55, 34.65)
    outside = _incident(session, 48.2, 35.5)
    # the incident is filed, but zones are joined by `incidents check`: nothing yet
    assert evaluate.run(session, by="t").alerts == 0
    check.run_check(session, by="t")
    found = evaluate.run(session, by="t")
    assert _titles(session, in_zone) == [f"incident {inside} (explosion) in zone near-znpp"]
    assert f"incident {inside} (explosion) in zone near-znpp" in _titles(session, any_zone)
    assert not any(f"incident {outside} " in t for t in _titles(session, in_zone))
    rules = _titles(session, violations)
    assert any("znpp-no-attack-30km" in t and f"incident {inside}" in t for t in rules)
    assert found.alerts == sum(len(_titles(session, s)) for s in (in_zone, any_zone, violations))
    # a check replaces every hit and candidate row (new ids): still nothing new
    check.run_check(session, by="t")
    assert evaluate.run(session, by="t").alerts == 0


def test_rulings_on_their_publication_day(session: Session) -> None:
    packs.load_by_name(session, "ukraine-2025", by="t")
    subscription = _sub(session, kind="ruling")
    incident = _incident(session, 48.0, 37.0)
    workflow.transition(session, incident, "under_review", by="t")
    workflow.transition(session, incident, "verified", by="t")
    now = utcnow()
    later = now.date() + dt.timedelta(days=3)
    council.rule(session, incident, "violation", {"chair-us": "yes"}, later, by="t", party="ru")
    assert evaluate.run(session, by="t", now=now).alerts == 0  # published in three days
    on_the_day = now + dt.timedelta(days=3)
    assert evaluate.run(session, by="t", now=on_the_day).alerts == 1
    assert _titles(session, subscription) == [f"council ruling on incident {incident}: violation"]
    assert evaluate.run(session, by="t", now=on_the_day).alerts == 0


def test_deadlines_come_due_then_are_missed(session: Session) -> None:
    packs.load_by_name(session, "ukraine-2025", by="t")
    today = utcnow().date()
    signed = today - dt.timedelta(days=50)
    agreements.sign(session, "us-28-point-plan", signed, by="t")
    # point 28 ("signing") is missed already: not news to a new subscription
    subscription = _sub(session, kind="deadline", draft="us-28-point-plan")
    noon = dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC)
    assert evaluate.run(session, by="t", now=noon).alerts == 0
    due = signed + dt.timedelta(days=100)  # point 25: "signing + 100 days"
    on_due = noon + dt.timedelta(days=(due - today).days)
    assert evaluate.run(session, by="t", now=on_due).alerts == 1
    assert evaluate.run(session, by="t", now=on_due + dt.timedelta(days=1)).alerts == 1
    assert _titles(session, subscription) == [
        f"us-28-point-plan provision 25: deadline {due} due",
        f"us-28-point-plan provision 25: deadline {due} missed",
    ]


def test_a_saved_search_hears_of_new_matching_claims_only(session: Session, tmp_path: Path) -> None:
    packs.load_by_name(session, "ukraine-2025", by="t")
    blobs = BlobStore(tmp_path / "blobs")

    def note(text: str, name: str) -> list[int]:
        source, _new = sources.ingest_bytes(
            session, text.encode(), tmp_path / name, by="t", blobs=blobs
        )
        return [c.id for c in claims.extract_for_source(session, source, by="t")]

    old = note("Kyiv rejected the plan. Note one.", "one.txt")
    assert old
    subscription = _sub(session, kind="search", query="rejected", holder="ua")
    assert evaluate.run(session, by="t").alerts == 0  # the old claim is not news
    new = note("Kyiv rejected the plan again. Note two.", "two.txt")
    note("Moscow rejected the plan. Note three.", "three.txt")  # another holder
    assert evaluate.run(session, by="t").alerts == len(new) >= 1
    details = session.scalars(select(Alert.detail).where(Alert.subscription_id == subscription))
    assert sorted(d["claim_id"] for d in details) == sorted(new)


def test_a_digest_bundles_a_day_into_one_message(session: Session) -> None:
    packs.load_by_name(session, "ukraine-2025", by="t")
    subscription = _sub(session, kind="ruling", cadence="digest")
    day = utcnow().date() + dt.timedelta(days=10)
    for n in range(3):
        incident = _incident(session, 48.0 + n / 10, 37.0)
        workflow.transition(session, incident, "under_review", by="t")
        workflow.transition(session, incident, "verified", by="t")
        council.rule(session, incident, "no_violation", {"chair-us": "yes"}, day, by="t")
    morning = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
    found = evaluate.run(session, by="t", now=morning)
    assert (found.alerts, found.messages) == (3, 0)  # held for the digest
    next_day = morning + dt.timedelta(hours=16)
    assert evaluate.run(session, by="t", now=next_day).messages == 1
    assert evaluate.run(session, by="t", now=next_day).messages == 0
    [message] = session.scalars(
        select(OutboxMessage).where(OutboxMessage.subscription_id == subscription)
    )
    assert message.payload["type"] == "digest" and len(message.payload["alerts"]) == 3
    assert message.subject == f"accord digest {day}: 3 alerts"
