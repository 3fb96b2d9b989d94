"""Territory commands through the CLI on the demo's illustrative outlines (no shared data needed)."""

import json
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app
from accord.packs.loader import load_pack

OUTLINES = Path(load_pack("ukraine-2025").root) / "examples" / "territory-illustrative.geojson"


def run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_compare_trend_and_map(
    runner: CliRunner, home: Path, fresh_db: str, tmp_path: Path
) -> None:
    run(runner, "init", "--db", fresh_db)
    run(runner, "zones", "load", str(OUTLINES), "--db", fresh_db)
    data = json.loads(
        run(
            runner,
            "territory",
            "compare",
            "russia-demand",
            "freeze",
            "dmz-each-side",
            "--as-of",
            "2026-01-15",
            "--param",
            "width_km=10",
            "--db",
            fresh_db,
            "--json",
        )
    )
    assert "pre-war" in data["population_source"]
    by_id = {p["id"]: p for p in data["proposals"]}
    assert by_id["russia-demand"]["area_km2"] > 5_000 and "Kramatorsk" in {
        s["name"] for s in by_id["russia-demand"]["settlements"]
    }
    assert by_id["freeze"]["area_km2"] == 0 and by_id["dmz-each-side"]["params"] == {
        "width_km": 10.0
    }
    table = run(
        runner,
        "territory",
        "compare",
        "russia-demand",
        "freeze",
        "--as-of",
        "2026-01-15",
        "--db",
        fresh_db,
    )
    assert "russia-demand" in table and "pre-war" in table
    trend = json.loads(
        run(
            runner,
            "territory",
            "trend",
            "--from",
            "2025-01-01",
            "--to",
            "2026-12-31",
            "--db",
            fresh_db,
            "--json",
        )
    )
    assert trend[0]["zone"] == "demo-occupied"
    out = tmp_path / "map.svg"
    run(
        runner,
        "territory",
        "map",
        "russia-demand",
        "dmz-each-side",
        "--as-of",
        "2026-01-15",
        "-o",
        str(out),
        "--db",
        fresh_db,
    )
    assert out.read_text().startswith("<svg") and 'id="legend"' in out.read_text()
    assert 'id="scale-bar"' in out.read_text() and 'class="occupied"' in out.read_text()
    for args, message in (
        (["territory", "compare", "freeze", "--as-of", "2020-01-01"], "no occupied-area snapshot"),
        (["territory", "compare", "annexation"], "unknown proposal"),
        (
            [
                "territory",
                "compare",
                "dmz-each-side",
                "--as-of",
                "2026-01-15",
                "--param",
                "width_km=-3",
            ],
            "outside 0-500",
        ),
        (
            ["territory", "map", "freeze", "-o", str(tmp_path / "m.jpg")],
            "use a .svg, .png, .pdf, .html",
        ),
    ):
        result = runner.invoke(app, [*args, "--db", fresh_db])
        assert result.exit_code != 0 and message in result.stderr, (args, result.output)
