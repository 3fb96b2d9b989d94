"""Uploads: names that name no file, the size caps, and no server paths in the answers."""

from __future__ import annotations

import tempfile

import pytest
from fastapi.testclient import TestClient

from accord.config import get_settings
from accord.web.app import create_app

SOURCES = "/api/v1/sources"
IMPORT = "/api/v1/incidents/import?format=geojson"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def no_server_paths(body: str) -> None:
    """Fail if an answer shows a temporary folder of the server."""
    assert "/tmp" not in body, body  # noqa: S108 — asserts that the answer does NOT name /tmp
    assert tempfile.gettempdir() not in body, body


@pytest.mark.parametrize("path", [SOURCES, IMPORT])
def test_a_name_that_names_no_file_is_a_400(web, path: str) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _source = web
    for name in ("..", ".", "../..", "a/..", "x" * 300 + ".txt"):
        response = client.post(
            path,
            files={"file": (name, b"Kyiv rejected the plan.")},
            headers=bearer(tokens["admin"]),
        )
        assert response.status_code == 400, (name, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        no_server_paths(response.text)


def test_a_name_with_folders_keeps_only_its_last_part(web) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _source = web
    response = client.post(
        SOURCES,
        files={"file": ("../../etc/memo.txt", b"Kyiv rejected the plan.")},
        headers=bearer(tokens["analyst"]),
    )
    assert response.status_code == 201, response.text
    assert response.json()["source"]["filename"] == "memo.txt"


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("zones.geojson", b"{not json"),
        ("zones.geojson", b'{"type": "Point"}'),
        ("events.csv", b"a,b\n1,2\n"),
    ],
)
def test_import_errors_name_the_upload_not_the_server_folder(web, name: str, raw: bytes) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _source = web
    fmt = "geojson" if name.endswith(".geojson") else "acled"
    response = client.post(
        f"/api/v1/incidents/import?format={fmt}",
        files={"file": (name, raw)},
        headers=bearer(tokens["monitor"]),
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"].startswith(f"{name}: "), response.text
    no_server_paths(response.text)


@pytest.mark.parametrize(
    ("name", "raw", "reason"),
    [
        ("memo.exe", b"MZ", "unsupported file type '.exe'"),
        ("memo.json", b"{", "invalid JSON"),
        ("memo.txt", b"\x00\x01\x02" * 50, "binary file"),
    ],
)
def test_source_errors_name_the_upload_not_the_server_folder(  # type: ignore[no-untyped-def]
    web, name: str, raw: bytes, reason: str
) -> None:
    client, tokens, _source = web
    response = client.post(SOURCES, files={"file": (name, raw)}, headers=bearer(tokens["analyst"]))
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert detail.startswith(f"{name}: ") and reason in detail, detail
    no_server_paths(response.text)


@pytest.fixture
def capped(web, fresh_db: str) -> tuple[TestClient, dict[str, str]]:  # type: ignore[no-untyped-def]
    """A client whose caps are 1,000 bytes for sources and 2,000 bytes for imports."""
    _client, tokens, _source = web
    settings = get_settings(secret_key="test-secret", max_file_bytes=1000, max_import_bytes=2000)
    return TestClient(create_app(settings, fresh_db)), tokens


def geojson_of_size(size: int) -> bytes:
    """Return a valid, empty GeoJSON collection padded with spaces to exactly ``size`` bytes."""
    body = b'{"type": "FeatureCollection", "features": []}'
    return body + b" " * (size - len(body))


def test_import_under_the_cap_is_accepted(capped) -> None:  # type: ignore[no-untyped-def]
    client, tokens = capped
    response = client.post(
        IMPORT,
        files={"file": ("z.geojson", geojson_of_size(2000))},
        headers=bearer(tokens["monitor"]),
    )
    assert response.status_code == 200, response.text
    assert response.json()["rows"] == 0


@pytest.mark.parametrize(
    "size", [2001, 200_000]
)  # just over (read and counted); far over (declared)
def test_import_over_the_cap_is_a_413_naming_the_setting(capped, size: int) -> None:  # type: ignore[no-untyped-def]
    client, tokens = capped
    response = client.post(
        IMPORT,
        files={"file": ("z.geojson", geojson_of_size(size))},
        headers=bearer(tokens["monitor"]),
    )
    assert response.status_code == 413, response.text
    detail = response.json()["detail"]
    assert "limit of 2,000 bytes" in detail and "ACCORD_MAX_IMPORT_BYTES" in detail, detail
    no_server_paths(response.text)


@pytest.mark.parametrize("size", [1001, 200_000])
def test_source_over_the_cap_is_a_413_naming_the_setting(capped, size: int) -> None:  # type: ignore[no-untyped-def]
    client, tokens = capped
    response = client.post(
        SOURCES, files={"file": ("memo.txt", b"K" * size)}, headers=bearer(tokens["analyst"])
    )
    assert response.status_code == 413, response.text
    detail = response.json()["detail"]
    assert "limit of 1,000 bytes" in detail and "ACCORD_MAX_FILE_BYTES" in detail, detail
    no_server_paths(response.text)


def test_the_import_cap_defaults_to_256_mib() -> None:
    assert get_settings().max_import_bytes == 256 * 1024 * 1024
