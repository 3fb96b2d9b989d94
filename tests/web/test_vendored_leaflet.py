"""The vendored Leaflet is the pinned, unchanged npm release, served locally with its licence."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import accord.web

LEAFLET = Path(accord.web.__file__).with_name("static") / "vendor" / "leaflet"
PINNED = {
    "leaflet.js": "db49d009c841f5ca34a888c96511ae936fd9f5533e90d8b2c4d57596f4e5641a",
    "leaflet.css": "a7837102824184820dfa198d1ebcd109ff6d0ff9a2672a074b9a1b4d147d04c6",
    "images/layers.png": "1dbbe9d028e292f36fcba8f8b3a28d5e8932754fc2215b9ac69e4cdecf5107c6",
    "images/layers-2x.png": "066daca850d8ffbef007af00b06eac0015728dee279c51f3cb6c716df7c42edf",
    "images/marker-icon.png": "574c3a5cca85f4114085b6841596d62f00d7c892c7b03f28cbfa301deb1dc437",
    "images/marker-icon-2x.png": "00179c4c1ee830d3a108412ae0d294f55776cfeb085c60129a39aa6fc4ae2528",
    "images/marker-shadow.png": "264f5c640339f042dd729062cfc04c17f8ea0f29882b538e3848ed8f10edb4da",
    "LICENSE": "53e8dc25862014e4324741ca18fbe3611e11d42ef69f59f86ea8c5389647d4cb",
}


@pytest.mark.parametrize("name", sorted(PINNED))
def test_each_vendored_file_has_its_pinned_sha256(name: str) -> None:
    digest = hashlib.sha256((LEAFLET / name).read_bytes()).hexdigest()
    assert digest == PINNED[name], f"{name}: sha256 {digest} is not the pinned one"


def test_the_readme_pins_the_same_files_and_the_licence_is_bsd2() -> None:
    readme = (LEAFLET / "README.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"\| `([^`]+)` \| `([0-9a-f]{64})` \|", readme))
    assert table == PINNED
    assert (LEAFLET / "LICENSE").read_text(encoding="utf-8").startswith("BSD 2-Clause License")
    assert (
        (LEAFLET / "leaflet.js")
        .read_text(encoding="utf-8")
        .startswith("/* @preserve\n * Leaflet 1.9.4,")
    )
    assert {str(p.relative_to(LEAFLET)) for p in LEAFLET.rglob("*") if p.is_file()} == set(
        PINNED
    ) | {"README.md"}


def test_the_map_page_loads_only_local_scripts_and_styles(web) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _source = web
    page = client.get("/map", headers={"Authorization": f"Bearer {tokens['viewer']}"})
    assert page.status_code == 200, page.text
    assets = re.findall(r'(?:src|href)="([^"#]+\.(?:js|css))"', page.text)
    assert "/static/vendor/leaflet/leaflet.js" in assets
    assert all(a.startswith("/static/") for a in assets), assets
    served = TestClient(client.app).get("/static/vendor/leaflet/leaflet.js")
    assert hashlib.sha256(served.content).hexdigest() == PINNED["leaflet.js"]
