"""The README of a release: what is in it, how to load it, the data dictionary and the hashes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accord.exports.release import ReleaseFile

LOADING = """## Loading

```python
import geopandas, pandas
incidents = geopandas.read_parquet("data/incidents.geo.parquet")   # points, WGS84 lon/lat
zones = geopandas.read_file("data/zones.geojson")
provisions = pandas.read_csv("data/provisions.csv")
implementation = pandas.read_csv("data/implementation.csv", parse_dates=["date"])
pam = implementation.merge(provisions, left_on="provision_id", right_on="id")
```

`data/*.geojson` open in QGIS or any map tool; DuckDB reads the Parquet files with
`SELECT * FROM 'data/incidents.parquet'`. `frictionless validate datapackage.json` checks every
file against its schema, size and hash.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def readme(package: dict[str, Any], files: list[ReleaseFile]) -> str:
    """Return the README text of a release described by its data package."""
    licence = package["licenses"][0]
    lines = [
        f"# {package['title']}",
        "",
        package["description"],
        "",
        f"- created: {package['created']}",
        f"- accord version: {package['accord']['version']}",
        f"- case pack: {package['accord']['pack'] or '-'}",
        f"- licence: {licence['title']} ({licence['name']}, {licence['path']})",
        "",
        LOADING,
        "## Files",
        "",
        "| file | rows | bytes | SHA-256 |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| `{f.path}` | {f.rows} | {f.bytes} | `{f.sha256}` |" for f in files]
    lines += ["", "## Data dictionary", ""]
    for resource in package["resources"]:
        if "schema" not in resource:
            continue
        lines += [f"### {resource['name']} (`{resource['path']}`)", "", resource["title"], ""]
        lines += ["| column | type | meaning |", "| --- | --- | --- |"]
        lines += [
            f"| `{f['name']}` | {f['type']} | {_cell(f['description'])} |"
            for f in resource["schema"]["fields"]
        ]
        lines.append("")
    lines.append(
        "The GeoJSON, Parquet and GeoParquet files hold the same rows and columns as the CSV of "
        "their dataset (GeoParquet adds a WKB `geometry` column)."
    )
    return "\n".join(lines) + "\n"
