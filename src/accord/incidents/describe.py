"""One incident as readable lines for the terminal (``accord incidents show``)."""

from __future__ import annotations

from typing import Any

from accord.incidents.schemas import IncidentOut


def _casualties(value: dict[str, Any]) -> str:
    parts = [f"{k} {v}" for k, v in value.items() if v is not None]
    return ", ".join(parts) or "-"


def _sources(items: list[dict[str, Any]]) -> str:
    out = []
    for item in items:
        if item.get("source_id") is not None:
            out.append(f"source {item['source_id']}")
        if item.get("ref"):
            out.append(str(item["ref"]))
    return "; ".join(out)


def _observer(value: dict[str, Any]) -> str:
    where = f"{value.get('latitude')}, {value.get('longitude')}"
    extra = []
    if value.get("direction_deg") is not None:
        extra.append(f"looking {value['direction_deg']}°")
    if value.get("distance_m") is not None:
        extra.append(f"{value['distance_m']} m away")
    return where + (f" ({', '.join(extra)})" if extra else "")


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value)
    return str(value)


def incident_lines(item: IncidentOut) -> list[tuple[str, str]]:
    """Return (label, text) pairs describing an incident; empty fields are left out."""
    rows: list[tuple[str, str]] = [
        ("incident", f"{item.id}" + (f" ({item.external_id})" if item.external_id else "")),
        ("status", item.status),
        ("type", item.type + (f" / {item.sub_type}" if item.sub_type else "")),
        (
            "when",
            (
                f"{item.occurred_at:%Y-%m-%d %H:%M} UTC"
                if item.time_precision == "exact"
                else f"{item.occurred_at:%Y-%m-%d}"
            )
            + f" (precision: {item.time_precision})",
        ),
        (
            "where",
            f"{item.latitude:.5f}, {item.longitude:.5f} (precision: {item.location_precision})"
            + (f", {item.location_name}" if item.location_name else ""),
        ),
    ]
    admin = ", ".join(a for a in (item.admin2, item.admin1) if a)
    optional: list[tuple[str, str | None]] = [
        ("admin area", admin or None),
        ("alleged perpetrator", item.alleged_perpetrator),
        ("attributed to", item.attributed_to),
        ("target", item.target_type),
        ("casualties", _casualties(item.casualties) if item.casualties else None),
        ("sources", _sources(item.sources) or None),
        ("reported by", item.reporter),
        ("observer", _observer(item.observer) if item.observer else None),
        ("notes", item.notes),
        ("extra", _plain(item.extra) if item.extra else None),
        ("imported from", item.source_format if item.source_format != "manual" else None),
        ("zones", ", ".join(item.zones) or None),
    ]
    rows += [(label, text) for label, text in optional if text]
    for v in item.violations:
        zone = f" in zone {v['zone']}" if v.get("zone") else ""
        rows.append(
            ("possible violation", f"{v['ceasefire']}, rule {v['rule']}{zone}: {v['description']}")
        )
    return rows
