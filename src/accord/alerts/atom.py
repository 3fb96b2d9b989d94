"""A user's alerts as an Atom 1.0 feed (RFC 4287), newest first."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from accord.alerts.schemas import AlertOut
from accord.db.base import utcnow

ATOM = "http://www.w3.org/2005/Atom"


def _stamp(value: object) -> str:
    return value.isoformat().replace("+00:00", "Z") if hasattr(value, "isoformat") else str(value)


def feed(user: str, alerts: list[AlertOut], *, base_url: str) -> bytes:
    """Return the Atom document of a user's alerts."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(root, f"{{{ATOM}}}id").text = f"tag:accord,2026:alerts/{user}"
    ET.SubElement(root, f"{{{ATOM}}}title").text = f"accord alerts for {user}"
    newest = alerts[0].created_at if alerts else utcnow()
    ET.SubElement(root, f"{{{ATOM}}}updated").text = _stamp(newest)
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "accord"
    ET.SubElement(root, f"{{{ATOM}}}link", rel="alternate", href=f"{base_url}/alerts/history")
    for alert in alerts:
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"tag:accord,2026:alert/{alert.id}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = alert.title
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _stamp(alert.created_at)
        ET.SubElement(entry, f"{{{ATOM}}}category", term=alert.kind)
        ET.SubElement(entry, f"{{{ATOM}}}content", type="text").text = json.dumps(
            alert.detail, ensure_ascii=False, indent=1, sort_keys=True, default=str
        )
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body
