"""Import speed: a 1,000,000-row ACLED-format CSV, beside a plain ``executemany`` insert.

The yardstick reads the same CSV with the csv module and inserts the raw rows with one
``executemany`` per 5,000 rows into a SQLite table of the same columns (no validation, no
idempotency, no audit). accord's import validates and maps every row, upserts on the external id
in transactional batches and writes an audit event per batch. Both use a fresh SQLite file.
``accord_reader`` says whether accord read the file in a child process (``process``: the default
``ACCORD_IMPORT_READER=auto`` found two CPUs free) or in the importing process (``inline``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sqlite3
import tempfile
import time
from pathlib import Path

import numpy as np

from accord.db import migrate
from accord.db.session import dispose_engines, session_scope
from accord.incidents import importing
from accord.incidents.rows import ACLED_COLUMNS

SUBTYPES = [
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Battles", "Armed clash"),
    ("Violence against civilians", "Attack"),
    ("Strategic developments", "Other"),
]


ACTORS = ["Military Forces of Russia", "Military Forces of Ukraine", "Unidentified Armed Group"]
PLACES = ["Donetsk", "Kharkiv", "Zaporizhia", "Kherson", "Luhansk", "Sumy", "Dnipropetrovsk"]
WORDS = "shelling drone strike village road bridge depot convoy school market field".split()


def write_csv(path: Path, rows: int, seed: int = 3, *, varied: bool = False) -> None:
    """Write the synthetic ACLED file; ``varied`` fills every column with values that differ.

    Without ``varied`` (the previous setup) admin2, notes, target type and the ACLED extras are
    empty in every row and most other text columns hold one value, so the import writes them into
    its INSERT as constants; real files are not like that.
    """
    rng = np.random.default_rng(seed)
    lats, lons = rng.uniform(46.0, 50.0, rows), rng.uniform(30.0, 39.0, rows)
    days = rng.integers(1, 28, rows)
    kinds = rng.integers(0, len(SUBTYPES), rows)
    picks = rng.integers(0, 1_000_000, (rows, 6))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(ACLED_COLUMNS)
        for i in range(rows):
            event, sub = SUBTYPES[kinds[i]]
            row = {c: "" for c in ACLED_COLUMNS}
            row.update(
                event_id_cnty=f"UKR{i}",
                event_date=f"2026-02-{days[i]:02d}",
                year="2026",
                time_precision="1",
                event_type=event,
                sub_event_type=sub,
                actor1="Military Forces of Russia",
                country="Ukraine",
                admin1="Donetsk",
                location="Place",
                latitude=f"{lats[i]:.4f}",
                longitude=f"{lons[i]:.4f}",
                geo_precision="1",
                source="Wire",
                fatalities=str(i % 3),
            )
            if varied:
                a, b, c, d, e, f = (int(v) for v in picks[i])
                row.update(
                    time_precision=str(1 + a % 3),
                    geo_precision=str(1 + b % 3),
                    actor1=ACTORS[c % 3],
                    actor2=ACTORS[(c + 1 + d % 2) % 3],
                    admin1=PLACES[d % len(PLACES)],
                    admin2=f"District {e % 400}",
                    location=f"Settlement {f % 5000}",
                    source=f"Source {a % 250}; Wire {b % 40}",
                    source_scale=("National", "Regional", "Local")[e % 3],
                    notes=" ".join(WORDS[(a >> k) % len(WORDS)] for k in range(0, 24, 3))
                    + f" near settlement {f % 5000}, {d % 9} reported.",
                    civilian_targeting="Civilian targeting" if c % 4 == 0 else "",
                    interaction=str(10 + a % 80),
                    tags=f"tag {b % 12}" if b % 5 == 0 else "",
                    iso="804",
                    fatalities=str(a % 7),
                )
            writer.writerow([row[c] for c in ACLED_COLUMNS])


def plain_executemany(path: Path, db: Path) -> float:
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute(f"CREATE TABLE raw ({', '.join(c + ' TEXT' for c in ACLED_COLUMNS)})")
    start = time.perf_counter()
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        batch = []
        sql = f"INSERT INTO raw VALUES ({', '.join('?' for _ in ACLED_COLUMNS)})"  # noqa: S608 — only "?" markers
        for row in reader:
            batch.append(row)
            if len(batch) == 5000:
                con.executemany(sql, batch)
                con.commit()
                batch.clear()
        if batch:
            con.executemany(sql, batch)
            con.commit()
    seconds = time.perf_counter() - start
    con.close()
    return seconds


def accord_import(path: Path, db: Path) -> tuple[float, str]:
    url = f"sqlite:///{db}"
    migrate.upgrade(url)
    start = time.perf_counter()
    summary = importing.run_import(
        path,
        "acled",
        area=[22.0, 44.0, 40.5, 52.5],
        by="bench",
        open_session=lambda: session_scope(url),
    )
    seconds = time.perf_counter() - start
    if summary.inserted != summary.rows:
        raise SystemExit(f"import stored {summary.inserted} of {summary.rows} rows: {summary}")
    dispose_engines()
    return seconds, summary.reader


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--values",
        choices=["varied", "constant"],
        default="varied",
        help="varied column values (the honest setup) or the previous near-constant file",
    )
    parser.add_argument(
        "--reader",
        choices=["inline", "process", "auto"],
        default="inline",
        help="ACCORD_IMPORT_READER: inline is one process, like the yardstick (the honest setup)",
    )
    args = parser.parse_args()
    os.environ["ACCORD_IMPORT_READER"] = args.reader
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = folder / "acled.csv"
        write_csv(data, args.rows, varied=args.values == "varied")
        plain = plain_executemany(data, folder / "plain.db")
        ours, reader = accord_import(data, folder / "accord.db")
    result = {
        "rows": args.rows,
        "values": args.values,
        "executemany_rows_per_s": round(args.rows / plain),
        "accord_rows_per_s": round(args.rows / ours),
        "ratio": round(plain / ours, 3),
        "accord_reader": reader,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
