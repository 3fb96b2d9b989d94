"""Two packs in one database: zones, incidents, council rulings, the daily report and the
exports each show only their pack, in the CLI (``--pack``), the API (``?pack=``) and the web
pages (the pack selector); with one pack loaded, it is the default."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from accord.cli.main import app
from accord.config import get_settings
from accord.db import migrate
from accord.db.session import session_scope
from accord.packs import service as packs
from accord.packs.loader import load_pack
from accord.users import service as users
from accord.web.app import create_app

UA, GAZA = "ukraine-2025", "gaza-2025"
# one incident of each pack on its pack's demo line, on its report day; the vote of its council
CASES = {
    UA: {"lon": 37.8, "lat": 48.98, "day": "2026-02-14", "party": "ru", "vote": "chair-us"},
    GAZA: {"lon": 34.5, "lat": 31.55, "day": "2025-11-14", "party": "hamas", "vote": "bop-chair"},
}


def _run(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output + str(result.exception)
    return json.loads(result.stdout)


@pytest.fixture
def both(home: Path, fresh_db: str, runner: CliRunner) -> Iterator[tuple[str, dict[str, int]]]:
    """The database under test with both packs, their zones, one ruled incident each."""
    migrate.upgrade(fresh_db)
    with session_scope(fresh_db) as session:
        for pack_id in (UA, GAZA):
            packs.load_by_name(session, pack_id, by="setup")
    ids: dict[str, int] = {}
    for pack_id, case in CASES.items():
        zones = Path(load_pack(pack_id).root) / "examples" / "zones.geojson"
        _run(runner, "zones", "load", str(zones), "--pack", pack_id, "--db", fresh_db)
        filed = _run(
            runner, "incidents", "add", "--type", "battles", "--when", str(case["day"]),
            "--lat", str(case["lat"]), "--lon", str(case["lon"]),
            "--pack", pack_id, "--db", fresh_db,
        )  # fmt: skip
        ids[pack_id] = filed["id"]
    _run(runner, "incidents", "check", "--db", fresh_db)
    for pack_id, case in CASES.items():
        incident = str(ids[pack_id])
        for step in ("under_review", "verified"):
            _run(runner, "incidents", "transition", incident, "--to", step, "--db", fresh_db)
        _run(
            runner, "council", "rule", incident, "--outcome", "violation",
            "--party", str(case["party"]), "--vote", f"{case['vote']}=yes",
            "--published", str(case["day"]), "--db", fresh_db,
        )  # fmt: skip
    yield fresh_db, ids


def test_cli_views_show_only_their_pack(
    runner: CliRunner, both: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    url, ids = both
    for pack_id, other in ((UA, GAZA), (GAZA, UA)):
        listed = _run(runner, "incidents", "list", "--pack", pack_id, "--db", url)
        assert [i["id"] for i in listed["items"]] == [ids[pack_id]] and listed["total"] == 1
        assert listed["items"][0]["pack_id"] == pack_id
        zones = _run(runner, "zones", "list", "--pack", pack_id, "--db", url)
        assert zones["items"] and {z["pack"] for z in zones["items"]} == {pack_id}
        rulings = _run(runner, "council", "rulings", "--pack", pack_id, "--db", url)
        assert [r["incident"] for r in rulings["items"]] == [ids[pack_id]]
        members = _run(runner, "council", "members", "--pack", pack_id, "--db", url)
        assert CASES[pack_id]["vote"] in {m["id"] for m in members}
        assert CASES[other]["vote"] not in {m["id"] for m in members}
        # the zone check joined each incident only with its own pack's zones
        shown = _run(runner, "incidents", "show", str(ids[pack_id]), "--db", url)
        own = {z["id"] for z in zones["items"]}
        assert shown["zones"] and set(shown["zones"]) <= own
        day = str(CASES[pack_id]["day"])
        out = tmp_path / f"daily-{pack_id}.html"
        written = _run(
            runner, "report", "daily", "--date", day, "-o", str(out), "--pack", pack_id, "--db", url
        )
        assert written[0]["path"] == str(out)
        html = out.read_text(encoding="utf-8")
        assert load_pack(pack_id).meta.name in html
        assert load_pack(other).meta.name not in html
        # a day with only the other pack's incident has nothing to report for this pack
        result = runner.invoke(
            app,
            ["report", "daily", "--date", str(CASES[other]["day"]), "-o", str(out), "--pack",
             pack_id, "--db", url],
        )  # fmt: skip
        assert result.exit_code == 2 and "no incidents or rulings" in result.output
        for dataset, key in (("incidents", "id"), ("zones", "id"), ("rulings", "incident_id")):
            target = tmp_path / f"{dataset}-{pack_id}.csv"
            _run(runner, "export", dataset, "-o", str(target), "--pack", pack_id, "--db", url)
            with target.open(encoding="utf-8") as handle:
                values = {row[key] for row in csv.DictReader(handle)}
            if dataset == "zones":
                assert values == own
            else:
                assert values == {str(ids[pack_id])}
    # a Board of Peace member has no vote on a Ukraine incident
    result = runner.invoke(
        app,
        ["council", "rule", str(ids[UA]), "--outcome", "no_violation", "--vote", "bop-chair=yes",
         "--published", "2026-02-15", "--db", url],
    )  # fmt: skip
    assert result.exit_code == 2 and "unknown council member 'bop-chair'" in result.output
    result = runner.invoke(app, ["incidents", "list", "--pack", "nowhere-2030", "--db", url])
    assert result.exit_code == 3 and "not loaded" in result.output
    result = runner.invoke(app, ["export", "zones", "-o", str(tmp_path / "z.csv"), "--pack",
                                 "nowhere-2030", "--db", url])  # fmt: skip
    assert result.exit_code == 3 and "not loaded" in result.output


def test_api_and_pages_show_only_their_pack(both: tuple[str, dict[str, int]]) -> None:
    url, ids = both
    with session_scope(url) as session:
        users.create(session, "watcher", "admin", "correct horse battery", by="setup")
        token = users.issue_token(session, "watcher", by="setup")
    client = TestClient(create_app(get_settings(secret_key="test-secret"), url))
    auth = {"Authorization": f"Bearer {token}"}
    for pack_id, other in ((UA, GAZA), (GAZA, UA)):
        page = client.get(f"/api/v1/incidents?pack={pack_id}", headers=auth).json()
        assert [i["id"] for i in page["items"]] == [ids[pack_id]]
        zones = client.get(f"/api/v1/zones?pack={pack_id}", headers=auth).json()
        assert {f["properties"]["pack"] for f in zones["features"]} == {pack_id}
        day = CASES[pack_id]["day"]
        report = client.get(f"/api/v1/reports/daily?date={day}&pack={pack_id}", headers=auth)
        assert report.status_code == 200
        assert report.json()["pack"] == pack_id
        assert [i["id"] for i in report.json()["incidents"]] == [ids[pack_id]]
        assert [r["incident"] for r in report.json()["rulings"]] == [ids[pack_id]]
        html = client.get(f"/api/v1/reports/daily.html?date={day}&pack={pack_id}", headers=auth)
        assert load_pack(pack_id).meta.name in html.text
        for path in ("/incidents", "/map", "/reports/daily"):
            shown = client.get(f"{path}?pack={pack_id}&date={day}", headers=auth)
            assert shown.status_code == 200, path
            assert 'id="pack-selector"' in shown.text, path
            assert f'<option value="{pack_id}" selected>' in shown.text, path
            assert f'<option value="{other}">' in shown.text, path
        queue = client.get(f"/incidents.json?pack={pack_id}", headers=auth).json()
        assert [i["id"] for i in queue["items"]] == [ids[pack_id]]
        assert {p["id"] for p in queue["packs"]} == {UA, GAZA}
        plotted = client.get(f"/map.json?pack={pack_id}&date={day}", headers=auth).json()
        assert [i["id"] for i in plotted["incidents"]] == [ids[pack_id]]
        assert plotted["pack"] == pack_id
        drawn = client.get(f"/api/v1/map/incidents?date={day}&days=30&pack={pack_id}", headers=auth)
        assert drawn.json()["total"] == 1
        framed = client.get(f"/reports/daily?pack={pack_id}", headers=auth)  # its latest day
        assert f"/api/v1/reports/daily.html?date={day}&amp;pack={pack_id}" in framed.text
    assert client.get("/api/v1/incidents?pack=nowhere-2030", headers=auth).status_code == 404
    filed = client.post(
        "/api/v1/incidents?pack=gaza-2025",
        json={"type": "battles", "latitude": 31.5, "longitude": 34.45, "occurred_at": "2025-11-15"},
        headers=auth,
    )
    assert filed.status_code == 201 and filed.json()["pack_id"] == GAZA


def test_a_single_pack_is_the_default(home: Path, fresh_db: str, runner: CliRunner) -> None:
    migrate.upgrade(fresh_db)
    with session_scope(fresh_db) as session:
        packs.load_by_name(session, GAZA, by="setup")
    zones = Path(load_pack(GAZA).root) / "examples" / "zones.geojson"
    loaded = _run(runner, "zones", "load", str(zones), "--db", fresh_db)
    assert {z["pack"] for z in loaded} == {GAZA}
    filed = _run(
        runner, "incidents", "add", "--type", "battles", "--when", "2025-11-14",
        "--lat", "31.55", "--lon", "34.5", "--db", fresh_db,
    )  # fmt: skip
    assert filed["pack_id"] == GAZA
    listed = _run(runner, "incidents", "list", "--db", fresh_db)
    assert [i["id"] for i in listed["items"]] == [filed["id"]]
    # a zone id of one pack cannot be taken over by another pack's load
    with session_scope(fresh_db) as session:
        packs.load_by_name(session, UA, by="setup")
    result = runner.invoke(app, ["zones", "load", str(zones), "--pack", UA, "--db", fresh_db])
    assert result.exit_code == 4 and "belongs to pack 'gaza-2025'" in result.output
