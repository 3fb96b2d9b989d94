"""ACLED-format export: `accord incidents import --format acled` reads it back to the same rows."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from typer.testing import CliRunner

from accord.cli.main import app
from accord.db import migrate
from accord.db.session import session_scope
from accord.incidents.models import Incident
from accord.incidents.rows import ACLED_COLUMNS

# columns that are the database's own bookkeeping, not the incident
BOOKKEEPING = {"id", "created_at", "updated_at", "created_by"}


def acled_file(path: Path) -> Path:
    """Write an ACLED file whose rows differ in precision, casualties, targets and extras."""
    rows = []
    for n, (geo, time, fatalities, civilian, sub) in enumerate(
        [
            ("1", "1", "2", "Civilian targeting", "Shelling/artillery/missile attack"),
            ("2", "2", "", "", "Air/drone strike"),
            ("3", "3", "0", "", "Armed clash"),
            ("1", "1", "11", "", "Remote explosive/landmine/IED"),
        ]
    ):
        row = dict.fromkeys(ACLED_COLUMNS, "")
        row.update(
            {
                "event_id_cnty": f"UKR{9000 + n}",
                "event_date": f"2026-02-0{n + 1}",
                "year": "2026",
                "time_precision": time,
                "event_type": "Battles" if sub == "Armed clash" else "Explosions/Remote violence",
                "sub_event_type": sub,
                "actor1": "Military Forces of Russia" if n % 2 else "Military Forces of Ukraine",
                "actor2": "Civilians (Ukraine)" if civilian else "",
                "interaction": "17" if civilian else "",
                "civilian_targeting": civilian,
                "iso": "804",
                "admin1": "Donetsk",
                "admin2": "Pokrovskyi" if n else "",
                "location": f"Place {n}",
                "latitude": f"{48.1 + n / 7:.6f}",
                "longitude": f"{37.3 + n / 9:.6f}",
                "geo_precision": geo,
                "source": "Wire; Local media" if n == 1 else "Wire",
                "source_scale": "National",
                "notes": f'Report {n}, with a comma and "quotes".',
                "fatalities": fatalities,
                "tags": "crowd size=no report" if n == 2 else "",
            }
        )
        rows.append(row)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(ACLED_COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


def stored(url: str) -> dict[str, dict[str, Any]]:
    """Return the incidents by external id, without bookkeeping columns."""
    with session_scope(url) as session:
        return {
            i.external_id: {
                c.name: getattr(i, c.name)
                for c in Incident.__table__.columns
                if c.name not in BOOKKEEPING
            }
            for i in session.scalars(select(Incident))
        }


def run(runner: CliRunner, *args: str) -> dict[str, Any]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_acled_export_imports_back_to_the_same_rows(
    runner: CliRunner, home: Path, fresh_db: str, other_db: str, tmp_path: Path
) -> None:
    migrate.upgrade(fresh_db)
    original = acled_file(tmp_path / "acled.csv")
    assert (
        run(runner, "incidents", "import", str(original), "--format", "acled", "--db", fresh_db)[
            "inserted"
        ]
        == 4
    )
    exported = tmp_path / "export.acled.csv"
    meta = run(
        runner, "export", "incidents", "--format", "acled", "-o", str(exported), "--db", fresh_db
    )
    assert meta["rows"] == 4
    migrate.upgrade(other_db)
    summary = run(
        runner, "incidents", "import", str(exported), "--format", "acled", "--db", other_db
    )
    assert (summary["inserted"], summary["rejected"]) == (4, 0)
    first_rows, second_rows = stored(fresh_db), stored(other_db)
    assert len(first_rows) == 4
    assert second_rows == first_rows
    again = run(runner, "incidents", "import", str(exported), "--format", "acled", "--db", fresh_db)
    assert (again["unchanged"], again["inserted"], again["updated"]) == (4, 0, 0)
