"""Incidents in ACLED's 31-column layout, which ``accord incidents import --format acled`` reads.

Rows imported from ACLED go back out with their own ids and precision codes, so exporting and
importing again gives the same incidents. Other incidents get ``ACCORD<id>`` ids and the ACLED
codes nearest to their precision (day 1, week 2, month 3; exact 1, near 2, an area 3).
"""

from __future__ import annotations

import json
from typing import Any

from accord.exports.query import Batch
from accord.incidents.rows import ACLED_COLUMNS, ACLED_EXTRA, ACLED_GEO, ACLED_TIME
from accord.incidents.taxonomy import SUBTYPE_LABELS, TYPES

TIME_CODES = {"exact": "1", "day": "1", "days": "2", "week": "2", "month": "3", "year": "3"}
GEO_CODES = {"exact": "1", "near": "2"}  # anything coarser is ACLED's 3 (a region)


def _time_code(source_format: str, code: str | None, precision: str) -> str:
    if source_format == "acled" and code in ACLED_TIME:
        return code
    return TIME_CODES.get(precision, "3")


def _geo_code(source_format: str, code: str | None, precision: str) -> str:
    if source_format == "acled" and code in ACLED_GEO:
        return code
    return GEO_CODES.get(precision, "3")


def _event_id(external_id: str | None, incident_id: int) -> str:
    if external_id and external_id.startswith("acled:"):
        return external_id.removeprefix("acled:")
    return f"ACCORD{incident_id}"


def _sources(text: str | None) -> str:
    if not text:
        return ""
    refs = [str(s.get("ref") or s.get("url") or s.get("title") or "") for s in json.loads(text)]
    return "; ".join(r for r in refs if r)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def rows(batch: Batch) -> list[dict[str, str]]:
    """Return a batch of incident export rows as ACLED rows (all values as text)."""
    out = []
    for i, incident_id in enumerate(batch["id"]):
        col = {name: values[i] for name, values in batch.items()}
        fmt = col["source_format"]
        extra = json.loads(col["_extra"]) if col.get("_extra") else {}
        type_ = TYPES.get(col["type"])
        sub = col["sub_type"]
        row = dict.fromkeys(ACLED_COLUMNS, "")
        row.update({k: _text(extra.get(k)) for k in ACLED_EXTRA})
        row.update(
            {
                "event_id_cnty": _event_id(col["external_id"], incident_id),
                "event_date": col["occurred_on"].isoformat(),
                "year": str(col["occurred_on"].year),
                "time_precision": _time_code(
                    fmt, col["time_precision_code"], col["time_precision"]
                ),
                "event_type": type_.label if type_ else col["type"],
                "sub_event_type": SUBTYPE_LABELS.get(sub, sub) if sub else "",
                "actor1": _text(col["alleged_perpetrator"]),
                "civilian_targeting": (
                    "Civilian targeting" if col["target_type"] == "civilians" else ""
                ),
                "admin1": _text(col["admin1"]),
                "admin2": _text(col["admin2"]),
                "location": _text(col["location_name"]),
                "latitude": repr(col["latitude"]),
                "longitude": repr(col["longitude"]),
                "geo_precision": _geo_code(
                    fmt, col["location_precision_code"], col["location_precision"]
                ),
                "source": _sources(col["sources"]),
                "notes": _text(col["notes"]),
                "fatalities": _text(col["fatalities_best"]),
                "timestamp": str(int(col["updated_at"].timestamp())),
            }
        )
        out.append(row)
    return out
