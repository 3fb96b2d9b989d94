"""Every state change writes an audit event: a static check, and a hand-written list of calls.

The static check reads the source of every domain module and fails when a public function
writes (session add/delete/merge, insert/update/delete statements, SQL text, assignments to
mapped columns) without recording an audit event, unless it is listed below as a helper whose
caller records the event. The list of calls performs each writer for real and checks that the
audit log grew with that writer's action; it must name every writer the scan finds.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

import accord
import accord.cli.main  # imports every model, so the column names are known
from accord.agreements import implementation
from accord.agreements import service as agreements
from accord.alerts import evaluate as alert_runs
from accord.alerts import outbox
from accord.alerts import service as alerts
from accord.alerts.schemas import SubscriptionIn
from accord.audit.models import AuditEvent
from accord.claims import service as claims
from accord.claims import workflow as review
from accord.council import service as council
from accord.db.base import Base
from accord.feeds import service as feeds
from accord.feeds import stories
from accord.incidents import check, clustering, storing, workflow
from accord.incidents import service as incidents
from accord.incidents.importing import ImportSummary
from accord.incidents.rows import from_accord
from accord.packs import service as packs
from accord.reports import service as reports
from accord.sources import dating, editing
from accord.sources import service as sources
from accord.sources.blobs import BlobStore
from accord.sources.readers import Metadata
from accord.users import service as users
from accord.zones import service as zones
from foundation.writers_scan import Function, audits, scan_module, scan_tree

SRC = Path(accord.__file__).parent
# audit.service appends the events themselves
SKIP = {"audit"}
COLUMNS = {p.key for m in Base.registry.mappers for p in [*m.column_attrs, *m.relationships]}

# Helpers that write part of a larger change: the caller (which must call them and record an
# event) owns the event. Keep this short: a new entry needs the caller to really cover it.
COVERED_BY = {
    "accord.actors.service.replace_for_pack": "accord.packs.service.load",
    "accord.issues.service.replace_for_pack": "accord.packs.service.load",
    "accord.agreements.service.replace_for_pack": "accord.packs.service.load",
    "accord.zones.service.replace_ceasefires": "accord.packs.service.load",
    "accord.council.service.replace_members": "accord.packs.service.load",
    "accord.incidents.storing.insert_columns": "accord.incidents.storing.store_batch",
    "accord.feeds.stories.assign_source": "accord.feeds.service.store_item",
}
# Functions the scan takes for writers but that change no state (nothing stored, or only usage
# data that no decision rests on), with the reason.
NOT_WRITERS = {
    "accord.negotiation.timeline.events": "fills TimelineEvent dataclasses being built",
    "accord.users.service.record_use": "a token's last-use time, at most once a minute: usage data",
    "accord.extract.training.Examples.subset": "fills a new in-memory Examples: nothing stored",
    "accord.feeds.service.record_poll": "a feed's poll health and HTTP cursor: operational data",
    "accord.feeds.poller.fetch_feed": "fills a FeedResult dataclass being built: nothing stored",
    "accord.feeds.poller._fetch_item": "fills a FetchedItem dataclass being built: nothing stored",
}


@pytest.fixture(scope="module")
def scanned() -> dict[str, Function]:
    """Every top-level function of every domain module."""
    return scan_tree(SRC, "accord", COLUMNS, SKIP)


def _writers(functions: dict[str, Function]) -> list[str]:
    return sorted(q for q, f in functions.items() if f.writes and q not in NOT_WRITERS)


def _unaudited(functions: dict[str, Function]) -> list[str]:
    """Writers that record no event, are no covered helper, and are not private to an auditor."""
    missing = []
    for name in _writers(functions):
        if audits(functions, name) or name in COVERED_BY:
            continue
        module, short = name.rsplit(".", 1)
        callers = [
            f for q, f in functions.items() if q.startswith(module + ".") and short in f.calls
        ]
        if (
            not functions[name].public
            and callers
            and all(audits(functions, c.qualname) for c in callers)
        ):
            continue
        missing.append(f"{name} ({', '.join(sorted(set(functions[name].writes))[:3])})")
    return missing


def test_every_writer_records_an_audit_event(scanned: dict[str, Function]) -> None:
    assert _unaudited(scanned) == []


def test_covered_helpers_are_called_by_a_function_that_records(
    scanned: dict[str, Function],
) -> None:
    for helper, caller in COVERED_BY.items():
        assert scanned[helper].writes, f"{helper} no longer writes: remove it from COVERED_BY"
        assert helper.rsplit(".", 1)[1] in scanned[caller].calls, f"{caller} does not call {helper}"
        assert audits(scanned, caller), f"{caller} records no audit event"
    for name in NOT_WRITERS:
        assert name in scanned, f"{name} is gone: remove it from NOT_WRITERS"


def test_the_scan_flags_a_writer_that_forgets_its_event() -> None:
    """The check can fail: a new module whose functions write without an event is caught."""
    module = """
from accord.audit import service as audit
from accord.things.models import Thing
from sqlalchemy import delete, update

def add_thing(session, name, *, by):
    session.add(Thing(name=name))

def purge(session):
    session.execute(delete(Thing))

def rename(session, thing, name):
    thing.name = name

def bump(session):
    session.execute(update(Thing).values(n=1))

def raw(session):
    session.connection().exec_driver_sql("INSERT INTO things (name) VALUES ('x')")

def _helper(session):
    session.add(Thing(name="h"))

def public_caller_without_event(session):
    _helper(session)

class Store:
    def save(self, session):
        session.add(Thing(name="m"))

def audited(session, *, by):
    session.add(Thing(name="ok"))
    audit.record(session, by=by, action="thing.add", entity="thing", entity_id=1, payload={})
"""
    functions = scan_module(module, "accord.things.service", {"name"})
    assert _unaudited(functions) == [
        "accord.things.service.Store.save (session.add)",
        "accord.things.service._helper (session.add)",
        "accord.things.service.add_thing (session.add)",
        "accord.things.service.bump (update())",
        "accord.things.service.purge (delete())",
        "accord.things.service.raw (SQL INSERT)",
        "accord.things.service.rename (thing.name =)",
    ]


# ---- the hand-written list: each writer performed for real, with the event it must write ----

NEW, SIGNED = "twenty-point-framework", dt.date(2026, 2, 1)
NOTE = (
    "Russia demands a full Ukrainian withdrawal from Donbas, the Kremlin said on Sunday. "
    "Kyiv insists on freezing the front at the current lines. Washington proposed a "
    "demilitarised zone, and Putin rejected a 60-day ceasefire."
)


class World:
    """The rows that later calls need, filled in as the calls run."""

    def __init__(self, session: Session, tmp: Path) -> None:
        """Keep the session and a folder for files."""
        self.session, self.tmp = session, tmp
        self.blobs = BlobStore(tmp / "blobs")
        self.ids: dict[str, Any] = {}

    def incident(self, lat: float = 48.0, day: str = "2026-02-03") -> int:
        """File an incident for calls that need one."""
        data = {"occurred_at": day, "latitude": lat, "longitude": 37.0, "type": "explosion"}
        return incidents.create(self.session, from_accord(data), by="t").id

    def zone_file(self) -> Path:
        """Write a GeoJSON file with a country and an occupied area in it."""

        def square(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
            ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
            return {"type": "Polygon", "coordinates": [ring]}

        features = [
            {
                "type": "Feature",
                "properties": {"id": "w-country", "kind": "admin_area"},
                "geometry": square(30, 45, 40, 52),
            },
            {
                "type": "Feature",
                "properties": {"id": "w-occupied", "kind": "occupied_area"},
                "geometry": square(37, 46, 42, 49),
            },
        ]
        path = self.tmp / "zones.geojson"
        path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
        return path


def _ingest(w: World) -> None:
    source, _new = sources.ingest_bytes(
        w.session, NOTE.encode(), w.tmp / "note.txt", by="t", blobs=w.blobs
    )
    w.ids["source"] = source


def _extract(w: World) -> None:
    w.ids["claims"] = [c.id for c in claims.extract_for_source(w.session, w.ids["source"], by="t")]
    assert len(w.ids["claims"]) >= 3, "the note should give at least three claims"


def _store_batch(w: World) -> None:
    rows = [
        storing.stored_form(
            from_accord(
                {
                    "external_id": f"w-{i}",
                    "occurred_at": "2026-02-02",
                    "latitude": 47.0 + i,
                    "longitude": 36.0,
                    "type": "explosion",
                }
            ).columns()
        )
        for i in range(2)
    ]
    batch = {key: [row[key] for row in rows] for key in storing.STORED}
    summary = ImportSummary(file="w.csv", format="accord")
    storing.store_batch(w.session, batch, by="t", label="w.csv", summary=summary)
    assert summary.inserted == 2


def _lock(w: World) -> None:
    w.ids["locked"] = w.incident(lat=47.1)
    workflow.take_lock(w.session, w.ids["locked"], by="t")


def _verify_for_ruling(w: World) -> None:
    w.ids["ruled"] = w.incident(lat=46.9)
    workflow.transition(w.session, w.ids["ruled"], "under_review", by="t")
    workflow.transition(w.session, w.ids["ruled"], "verified", by="t")


def _split(w: World) -> None:
    a, b = w.incident(lat=45.0), w.incident(lat=45.0001)
    clustering.run_dedup(w.session, by="t")
    w.ids["pair"] = (a, b)
    clustering.split(w.session, a, by="t")


def _feed_item(w: World) -> None:
    feed = feeds.get(w.session, "https://feeds.example.org/w.xml")
    document = feeds.ItemDocument(
        b"Feed item\n\nTalks resumed on Tuesday.", "item.txt", Metadata(title="Feed item")
    )
    feeds.store_item(
        w.session,
        feed,
        "w-item",
        "https://example.org/w-item",
        document,
        by="t",
        blobs=w.blobs,
        index=stories.StoryIndex(),
        extract=False,
    )


def _alerts_run(w: World) -> None:
    hook = "http://127.0.0.1:9/h"
    data = SubscriptionIn(kind="search", query="rejected", webhook_url=hook)
    w.ids["subscription"] = alerts.subscribe(w.session, data, user="w", by="t").id
    note = b"Kyiv rejected the plan. Note w-alerts."
    source, _new = sources.ingest_bytes(w.session, note, w.tmp / "grain.txt", by="t", blobs=w.blobs)
    claims.extract_for_source(w.session, source, by="t")
    assert alert_runs.run(w.session, by="t").alerts >= 1


def _lease(w: World) -> None:
    [first, *_rest] = outbox.lease_due(w.session, by="t")
    w.ids["leased"] = first.id


# qualified name -> (the call that performs it, the audit action it must write)
WRITER_CALLS: dict[str, tuple[Callable[[World], object], str]] = {
    "accord.packs.service.load": (
        lambda w: packs.load_by_name(w.session, "ukraine-2025", by="t"),
        "pack.load",
    ),
    "accord.users.service.create": (
        lambda w: users.create(w.session, "w-user", "monitor", "long enough", by="t"),
        "user.create",
    ),
    "accord.users.service.issue_token": (
        lambda w: users.issue_token(w.session, "w-user", by="t"),
        "user.token",
    ),
    "accord.users.service.set_password": (
        lambda w: users.set_password(w.session, "w-user", "a different long passphrase", by="t"),
        "user.password",
    ),
    "accord.users.service.end_sessions": (
        lambda w: users.end_sessions(w.session, "w-user", by="t"),
        "user.sessions.end",
    ),
    "accord.users.service.revoke_token": (
        lambda w: users.revoke_token(
            w.session, users.issue_token(w.session, "w-user", by="t"), by="t"
        ),
        "user.token.revoke",
    ),
    "accord.users.service.revoke_tokens_of": (
        lambda w: (
            users.issue_token(w.session, "w-user", by="t"),
            users.revoke_tokens_of(w.session, "w-user", by="t"),
        ),
        "user.token.revoke",
    ),
    "accord.sources.service.ingest_bytes": (_ingest, "source.ingest"),
    "accord.claims.service.store": (_extract, "claims.extract"),
    "accord.sources.dating.set_published": (
        lambda w: dating.set_published(w.session, w.ids["source"].id, dt.date(2025, 1, 6), by="t"),
        "source.set_date",
    ),
    "accord.sources.editing.edit": (
        lambda w: editing.edit(w.session, w.ids["source"].id, by="t", title="Retitled"),
        "source.edit",
    ),
    "accord.claims.workflow.accept": (
        lambda w: review.accept(w.session, w.ids["claims"][0], by="t"),
        "claim.accepted",
    ),
    "accord.claims.workflow.reject": (
        lambda w: review.reject(w.session, w.ids["claims"][1], by="t"),
        "claim.rejected",
    ),
    "accord.claims.workflow.correct": (
        lambda w: review.correct(
            w.session, w.ids["claims"][2], review.Correction(date=dt.date(2020, 1, 1)), by="t"
        ),
        "claim.corrected",
    ),
    "accord.agreements.service.sign": (
        lambda w: agreements.sign(w.session, NEW, SIGNED, by="t"),
        "draft.sign",
    ),
    "accord.agreements.implementation.record": (
        lambda w: implementation.record(
            w.session, agreements.get_draft(w.session, NEW).provisions[0].id, 2, SIGNED, by="t"
        ),
        "implementation.record",
    ),
    "accord.agreements.implementation.add_indicator": (
        lambda w: implementation.add_indicator(
            w.session, NEW, "prisoner_exchange", SIGNED, {"released_by": {"ua": 1}}, by="t"
        ),
        "indicator.add",
    ),
    "accord.incidents.service.create": (lambda w: w.incident(), "incident.create"),
    "accord.incidents.storing.store_batch": (_store_batch, "incidents.import"),
    "accord.incidents.workflow.take_lock": (_lock, "incident.lock"),
    "accord.incidents.workflow.release": (
        lambda w: workflow.release(w.session, w.ids["locked"], by="t"),
        "incident.unlock",
    ),
    "accord.incidents.workflow.transition": (_verify_for_ruling, "incident.transition"),
    "accord.council.service.rule": (
        lambda w: council.rule(
            w.session, w.ids["ruled"], "no_violation", {"chair-us": "yes"}, SIGNED, by="t"
        ),
        "council.rule",
    ),
    "accord.incidents.clustering.run_dedup": (
        lambda w: clustering.run_dedup(w.session, by="t"),
        "incidents.dedup",
    ),
    "accord.incidents.clustering.split": (_split, "incidents.split"),
    "accord.incidents.clustering.join": (
        lambda w: clustering.join(w.session, *w.ids["pair"], by="t"),
        "incidents.join",
    ),
    "accord.incidents.check.run_check": (
        lambda w: check.run_check(w.session, by="t"),
        "incidents.check",
    ),
    "accord.zones.service.load_geojson": (
        lambda w: zones.load_geojson(w.session, w.zone_file(), zones.LoadOptions(), by="t"),
        "zone.store",
    ),
    "accord.zones.service.derive_line": (
        lambda w: zones.derive_line(w.session, "w-occupied", ["w-country"], "w-line", by="t"),
        "zone.store",
    ),
    "accord.zones.service.buffer": (
        lambda w: zones.buffer(w.session, "w-line", 5, "w-dmz", kind="dmz", by="t"),
        "zone.store",
    ),
    "accord.feeds.service.add": (
        lambda w: feeds.add(w.session, "https://feeds.example.org/w.xml", by="t"),
        "feed.add",
    ),
    "accord.feeds.service.store_item": (_feed_item, "feed.item"),
    "accord.feeds.service.remove": (
        lambda w: feeds.remove(w.session, "https://feeds.example.org/w.xml", by="t"),
        "feed.remove",
    ),
    "accord.alerts.service.subscribe": (
        lambda w: alerts.subscribe(
            w.session,
            SubscriptionIn(kind="board", webhook_url="http://127.0.0.1:9/h"),
            user="w",
            by="t",
        ),
        "alert.subscribe",
    ),
    "accord.alerts.service.issue_feed_token": (
        lambda w: alerts.issue_feed_token(w.session, user="w", by="t"),
        "alert.feed_token",
    ),
    "accord.alerts.evaluate.run": (_alerts_run, "alerts.evaluate"),
    "accord.alerts.outbox.lease_due": (_lease, "alert.lease"),
    "accord.alerts.outbox.mark_failed": (
        lambda w: outbox.mark_failed(w.session, w.ids["leased"], "HTTP 500", by="t"),
        "alert.retry",
    ),
    "accord.alerts.outbox.mark_sent": (
        lambda w: outbox.mark_sent(w.session, w.ids["leased"], by="t"),
        "alert.sent",
    ),
    "accord.alerts.service.remove": (
        lambda w: alerts.remove(w.session, w.ids["subscription"], user="w", by="t"),
        "alert.unsubscribe",
    ),
    "accord.reports.service.write_daily": (
        lambda w: reports.write_daily(
            w.session, dt.date(2026, 2, 3), w.tmp / "daily.html", by="t", blobs=w.blobs
        ),
        "report.write",
    ),
    "accord.reports.service.write_weekly": (
        lambda w: reports.write_weekly(
            w.session, dt.date(2026, 2, 3), w.tmp / "weekly.html", by="t", blobs=w.blobs
        ),
        "report.write",
    ),
}


def _entry_points(functions: dict[str, Function]) -> set[str]:
    """Public functions that write, themselves or through a private function of their module."""
    writers = set(_writers(functions))
    found = set()
    for name, fn in functions.items():
        private = {f"{fn.module}.{c}" for c in fn.calls if c.startswith("_")}
        if fn.public and (name in writers or private & writers) and name not in COVERED_BY:
            found.add(name)
    return found


def test_the_list_names_every_writer(scanned: dict[str, Function]) -> None:
    assert set(WRITER_CALLS) == _entry_points(scanned)


def test_each_writer_writes_its_event(session: Session, tmp_path: Path) -> None:
    """Run every writer in order; each must change a table and append its own event."""
    world = World(session, tmp_path)
    statements: list[str] = []

    def note(conn: Any, cursor: Any, sql: str, *args: Any) -> None:
        statements.append(sql.lstrip().split(None, 3)[0].upper() + " " + sql)

    connection = session.connection()
    event.listen(connection, "before_cursor_execute", note)
    try:
        for name, (call, action) in WRITER_CALLS.items():
            newest = session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
            statements.clear()
            call(world)
            session.flush()
            actions = list(
                session.scalars(
                    select(AuditEvent.action)
                    .where(AuditEvent.id > (newest or 0))
                    .order_by(AuditEvent.id)
                )
            )
            changed = [
                s
                for s in statements
                if s.split()[0] in ("INSERT", "UPDATE", "DELETE") and "audit_events" not in s
            ]
            assert changed, f"{name}: the call changed no table"
            assert action in actions, f"{name}: no {action} event (got {actions})"
    finally:
        event.remove(connection, "before_cursor_execute", note)
