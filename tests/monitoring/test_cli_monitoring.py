"""Incidents and zones end to end through the CLI."""

import json
from pathlib import Path

from test_import import acled_row, write_acled
from typer.testing import CliRunner

from accord.cli.main import app


def run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_import_check_list_show(
    runner: CliRunner, home: Path, fresh_db: str, tmp_path: Path
) -> None:
    run(runner, "init", "--db", fresh_db)
    rows = [
        acled_row(event_id_cnty="UKR1", latitude="47.53", longitude="34.60"),
        acled_row(
            event_id_cnty="UKR2",
            latitude="50.45",
            longitude="30.52",
            event_type="Battles",
            sub_event_type="Armed clash",
        ),
        acled_row(event_id_cnty="BAD", latitude="99"),
    ]
    path = write_acled(tmp_path / "acled.csv", rows)
    report = tmp_path / "rejected.csv"
    out = json.loads(
        run(
            runner,
            "incidents",
            "import",
            str(path),
            "--format",
            "acled",
            "--errors",
            str(report),
            "--db",
            fresh_db,
            "--json",
        )
    )
    assert (out["inserted"], out["rejected"]) == (2, 1)
    assert report.exists() and "latitude" in report.read_text()
    again = json.loads(
        run(
            runner,
            "incidents",
            "import",
            str(path),
            "--format",
            "acled",
            "--errors",
            str(report),
            "--db",
            fresh_db,
            "--json",
        )
    )
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 2)
    checked = json.loads(run(runner, "incidents", "check", "--db", fresh_db, "--json"))
    assert checked["candidates"] >= 3  # two prohibited types, one inside 30 km of the plant
    listed = json.loads(
        run(runner, "incidents", "list", "--type", "battles", "--db", fresh_db, "--json")
    )
    assert listed["total"] == 1 and len(listed["items"]) == 1
    first = json.loads(
        run(runner, "incidents", "list", "--bbox", "34,47,35,48", "--db", fresh_db, "--json")
    )
    shown = json.loads(
        run(runner, "incidents", "show", str(first["items"][0]["id"]), "--db", fresh_db, "--json")
    )
    assert "znpp-no-attack-30km" in {v["rule"] for v in shown["violations"]}
    assert "OK" in run(runner, "verify", "--db", fresh_db)


def test_add_and_bad_input(runner: CliRunner, home: Path, fresh_db: str, tmp_path: Path) -> None:
    run(runner, "init", "--db", fresh_db)
    added = json.loads(
        run(
            runner,
            "incidents",
            "add",
            "--type",
            "illumination-flare",
            "--lat",
            "48.1",
            "--lon",
            "37.7",
            "--when",
            "2026-02-05T21:40",
            "--observer",
            '{"latitude": 48.12, "longitude": 37.71, "direction_deg": 210, "distance_m": 3000}',
            "--db",
            fresh_db,
            "--json",
        )
    )
    assert added["observer"]["direction_deg"] == 210 and added["type"] == "illumination-flare"
    for args, message in (
        (
            [
                "incidents",
                "add",
                "--type",
                "parade",
                "--lat",
                "48",
                "--lon",
                "37",
                "--when",
                "2026-02-05",
            ],
            "unknown incident type",
        ),
        (
            [
                "incidents",
                "add",
                "--type",
                "explosion",
                "--lat",
                "98",
                "--lon",
                "37",
                "--when",
                "2026-02-05",
            ],
            "latitude",
        ),
        (
            [
                "incidents",
                "add",
                "--type",
                "explosion",
                "--lat",
                "48",
                "--lon",
                "37",
                "--when",
                "someday",
            ],
            "cannot read --when",
        ),
        (["incidents", "list", "--bbox", "1,2,3"], "--bbox"),
        (["incidents", "list", "--status", "lost"], "unknown status"),
        (["incidents", "import", str(tmp_path / "none.csv"), "--format", "acled"], "no such file"),
        (["zones", "show", "nowhere"], "does not exist"),
    ):
        result = runner.invoke(app, [*args, "--db", fresh_db])
        assert result.exit_code != 0 and message in result.stderr, (args, result.output)
        assert "Traceback" not in result.output


def test_zone_commands(runner: CliRunner, home: Path, fresh_db: str, tmp_path: Path) -> None:
    run(runner, "init", "--db", fresh_db)
    square = {
        "type": "Polygon",
        "coordinates": [[[35, 47], [35.5, 47], [35.5, 47.5], [35, 47.5], [35, 47]]],
    }
    path = tmp_path / "z.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"id": "sq", "kind": "security_zone", "name": "Square"},
                        "geometry": square,
                    }
                ],
            }
        )
    )
    loaded = json.loads(run(runner, "zones", "load", str(path), "--db", fresh_db, "--json"))
    assert loaded[0]["area_km2"] > 1000
    grown = json.loads(
        run(
            runner, "zones", "buffer", "sq", "--km", "5", "--id", "sq-5", "--db", fresh_db, "--json"
        )
    )
    assert grown["area_km2"] > loaded[0]["area_km2"]
    listed = json.loads(run(runner, "zones", "list", "--db", fresh_db, "--json"))
    assert listed["total"] == 2
