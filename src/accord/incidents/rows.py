"""Map rows of ACLED, UCDP GED, GeoJSON and accord CSV files to incidents, field by field.

Precision codes are kept as given (``*_precision_code``) and normalised:
ACLED geo_precision 1 exact place, 2 near it, 3 a larger region (admin area); time_precision
1 day, 2 week, 3 month. UCDP where_prec 1 exact, 2 within 25 km, 3 second-order admin area,
4 first-order admin area, 5 part of a country, 6 country, 7 international waters; date_prec
1 day, 2 2-6 days, 3 a week to a month, 4 month to a year, 5 more than a year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from accord.errors import InvalidInput
from accord.incidents.schemas import IncidentIn
from accord.incidents.taxonomy import UCDP_TYPES, resolve

ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
ACLED_REQUIRED = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "latitude",
    "longitude",
    "geo_precision",
)
UCDP_REQUIRED = (
    "id",
    "date_start",
    "date_prec",
    "where_prec",
    "latitude",
    "longitude",
    "type_of_violence",
)
ACCORD_REQUIRED = ("occurred_at", "latitude", "longitude", "type")

ACLED_EXTRA = ("actor2", "interaction", "tags", "source_scale", "iso")
ACLED_GEO = {"1": "exact", "2": "near", "3": "admin2"}
ACLED_TIME = {"1": "day", "2": "week", "3": "month"}
UCDP_WHERE = {
    "1": "exact",
    "2": "near",
    "3": "admin2",
    "4": "admin1",
    "5": "admin1",
    "6": "country",
    "7": "unknown",
}
UCDP_DATE = {"1": "day", "2": "days", "3": "week", "4": "month", "5": "year"}
_MONTH_FORMATS = ("%d %B %Y", "%d-%b-%Y", "%d/%m/%Y", "%Y/%m/%d")


class RowError(InvalidInput):
    """A row that cannot become an incident; the message is the reason."""


def parse_when(value: str, field: str) -> dt.datetime:
    """Parse an ISO date or date-time (or ACLED's "28 December 2025") as UTC."""
    text = (value or "").strip()
    if not text:
        raise RowError(f"missing {field}")
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        for fmt in _MONTH_FORMATS:
            try:
                parsed = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            raise RowError(f"cannot read {field} {text!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _float(value: str | None, field: str) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise RowError(f"{field} {value!r} is not a number") from None


def _int(value: str | None, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(float(value))  # type: ignore[arg-type]
    except (ValueError, OverflowError):
        raise RowError(f"{field} {value!r} is not a whole number") from None


def _code(value: str | None, table: dict[str, str], field: str) -> tuple[str, str]:
    code = str(value or "").strip()
    if code.endswith(".0"):
        code = code[:-2]
    if code not in table:
        raise RowError(f"unknown {field} code {value!r} (expected {', '.join(table)})")
    return table[code], code


def build_incident(data: dict[str, Any]) -> IncidentIn:
    """Validate incident fields, turning the first error into a RowError naming the field."""
    try:
        return IncidentIn(**data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "row"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise RowError(f"{field}: {message}") from None


def acled_columns(row: dict[str, str]) -> dict[str, Any]:
    """Map one row of ACLED's 31-column export straight to incident columns.

    Large ACLED files are the common import, so this maps without building the validated model:
    it checks the precision codes, the numbers and their ranges, the date and the type itself.
    """
    location, geo_code = _code(row.get("geo_precision"), ACLED_GEO, "geo_precision")
    time, time_code = _code(row.get("time_precision"), ACLED_TIME, "time_precision")
    lat = _float(row.get("latitude"), "latitude")
    lon = _float(row.get("longitude"), "longitude")
    if not (-90 <= lat <= 90):
        raise RowError(f"latitude: {lat} is outside -90..90")
    if not (-180 <= lon <= 180):
        raise RowError(f"longitude: {lon} is outside -180..180")
    try:
        type_id, sub_id = resolve(row.get("event_type", ""), row.get("sub_event_type") or None)
    except ValueError as exc:
        raise RowError(f"type: {exc}") from None
    when = parse_when(row.get("event_date", ""), "event_date")
    casualties, target = acled_casualties(row.get("fatalities"), row.get("civilian_targeting"))
    extra = acled_extra(*(row.get(k) for k in ACLED_EXTRA))
    return {
        "external_id": f"acled:{row['event_id_cnty'].strip()}",
        "source_format": "acled",
        "occurred_at": when,
        "occurred_on": when.date(),
        "time_precision": time,
        "time_precision_code": time_code,
        "latitude": lat,
        "longitude": lon,
        "location_precision": location,
        "location_precision_code": geo_code,
        "location_name": row.get("location") or None,
        "admin1": row.get("admin1") or None,
        "admin2": row.get("admin2") or None,
        "type": type_id,
        "sub_type": sub_id,
        "alleged_perpetrator": row.get("actor1") or None,
        "target_type": target,
        "casualties": casualties,
        "sources": acled_sources(row.get("source")),
        "reporter": None,
        "observer": None,
        "notes": row.get("notes") or None,
        "extra": extra,
    }


def acled_casualties(
    fatalities_text: str | None, civilian_targeting: str | None
) -> tuple[dict[str, Any] | None, str | None]:
    """Return ACLED's casualties and target type from its fatalities and civilian_targeting."""
    fatalities = _int(fatalities_text, "fatalities")
    if fatalities is not None and fatalities < 0:
        raise RowError(f"fatalities: {fatalities} is negative")
    civilian = (civilian_targeting or "").strip().lower().startswith("civilian")
    casualties: dict[str, Any] | None = {"best": fatalities} if fatalities is not None else None
    if casualties and civilian:
        casualties["civilian"] = {"best": fatalities}
    return casualties, "civilians" if civilian else None


def acled_extra(*values: str | None) -> dict[str, Any] | None:
    """Return the ACLED columns kept in ``extra`` (values in ``ACLED_EXTRA`` order)."""
    extra = {k: v for k, v in zip(ACLED_EXTRA, values, strict=True) if v}
    return extra or None


def acled_sources(source: str | None) -> list[dict[str, Any]]:
    """Return an ACLED row's sources."""
    return [{"ref": source}] if source else []


def from_ucdp(row: dict[str, str]) -> IncidentIn:
    """Map one row of UCDP GED."""
    location, where_code = _code(row.get("where_prec"), UCDP_WHERE, "where_prec")
    time, date_code = _code(row.get("date_prec"), UCDP_DATE, "date_prec")
    raw_violence = str(row.get("type_of_violence") or "").strip()
    violence = int(raw_violence) if raw_violence.isdigit() else None
    if violence not in UCDP_TYPES:
        raise RowError(
            f"unknown type_of_violence {row.get('type_of_violence')!r} (expected 1, 2, 3)"
        )
    low, best, high = (_int(row.get(name), name) for name in ("low", "best", "high"))
    civilians = _int(row.get("deaths_civilians"), "deaths_civilians")
    casualties: dict[str, Any] | None = None
    if best is not None:
        casualties = {"low": low, "best": best, "high": high}
        if civilians is not None:
            casualties["civilian"] = {"best": civilians}
    return build_incident(
        {
            "external_id": f"ucdp:{row['id'].strip()}",
            "source_format": "ucdp",
            "occurred_at": parse_when(row.get("date_start", ""), "date_start"),
            "time_precision": time,
            "time_precision_code": date_code,
            "latitude": _float(row.get("latitude"), "latitude"),
            "longitude": _float(row.get("longitude"), "longitude"),
            "location_precision": location,
            "location_precision_code": where_code,
            "location_name": row.get("where_coordinates") or None,
            "admin1": row.get("adm_1") or None,
            "admin2": row.get("adm_2") or None,
            "type": UCDP_TYPES[violence],
            "alleged_perpetrator": row.get("side_a") or None,
            "casualties": casualties,
            "sources": [{"ref": row["source_article"]}] if row.get("source_article") else [],
            "extra": {
                k: row[k]
                for k in ("conflict_name", "dyad_name", "side_b", "date_end")
                if row.get(k)
            }
            or None,
        }
    )


def from_accord(row: dict[str, Any]) -> IncidentIn:
    """Map one row of accord's own CSV/GeoJSON shape (the incident fields by name)."""
    data = {k: v for k, v in row.items() if v not in (None, "")}
    data["occurred_at"] = parse_when(str(data.get("occurred_at", "")), "occurred_at")
    data["latitude"] = _float(data.get("latitude"), "latitude")
    data["longitude"] = _float(data.get("longitude"), "longitude")
    casualties = {
        k: _int(str(data.pop(f"fatalities_{k}")), f"fatalities_{k}")
        for k in ("low", "best", "high")
        if f"fatalities_{k}" in data
    }
    if casualties:
        data["casualties"] = casualties
    if "external_id" in data:
        data["external_id"] = str(data["external_id"])
    return build_incident(data)


def _columns_of(
    mapper: Callable[[dict[str, Any]], IncidentIn],
) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def run(row: dict[str, Any]) -> dict[str, Any]:
        return mapper(row).columns()

    return run


# format -> (row to incident columns, required columns)
MAPPERS: dict[str, tuple[Callable[[dict[str, Any]], dict[str, Any]], tuple[str, ...]]] = {
    "acled": (acled_columns, ACLED_REQUIRED),
    "ucdp": (_columns_of(from_ucdp), UCDP_REQUIRED),
    "csv": (_columns_of(from_accord), ACCORD_REQUIRED),
    "geojson": (_columns_of(from_accord), ()),
}
