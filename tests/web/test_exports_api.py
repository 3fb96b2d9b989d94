"""`GET /api/v1/exports/{dataset}`: the files of `accord export`, with the role's privacy rules."""

from __future__ import annotations

import csv
import io
import json

import pyarrow as pa
import pyarrow.parquet as pq

from conftest import EXACT, file_incident


def rows_of(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode())))


def test_viewers_get_coarse_places_and_no_reporter(web, fresh_db: str) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _source = web
    file_incident(fresh_db, "monitor-7")
    seen = {}
    for role in ("viewer", "analyst"):
        response = client.get(
            "/api/v1/exports/incidents?format=geojson",
            headers={"Authorization": f"Bearer {tokens[role]}"},
        )
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/geo+json")
        assert 'filename="incidents.geojson"' in response.headers["content-disposition"]
        (feature,) = json.loads(response.content)["features"]
        seen[role] = feature
    viewer, analyst = seen["viewer"]["properties"], seen["analyst"]["properties"]
    assert (analyst["latitude"], analyst["longitude"]) == EXACT
    assert analyst["reporter"] == "monitor-7"
    assert (viewer["latitude"], viewer["longitude"]) == (47.51, 35.09)
    assert seen["viewer"]["geometry"]["coordinates"] == [35.09, 47.51]
    assert viewer["reporter"] is None
    assert str(EXACT[0]) not in json.dumps(seen["viewer"])  # nowhere in the viewer's file


def test_parquet_and_filters_over_http(web, fresh_db: str) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _source = web
    file_incident(fresh_db, "monitor-7")
    headers = {"Authorization": f"Bearer {tokens['council']}"}
    response = client.get("/api/v1/exports/incidents?format=parquet", headers=headers)
    table = pq.read_table(pa.BufferReader(response.content))
    assert table.num_rows == 1 and table.column("status").to_pylist() == ["reported"]
    empty = client.get("/api/v1/exports/incidents?status=verified", headers=headers)
    assert empty.status_code == 200 and rows_of(empty.content) == []
    bad = client.get("/api/v1/exports/rulings?format=geojson", headers=headers)
    assert bad.status_code == 422 and "unknown format 'geojson' for rulings" in bad.text
    unknown = client.get("/api/v1/exports/secrets", headers=headers)
    assert unknown.status_code == 422 and "unknown dataset" in unknown.text


def test_source_text_needs_a_role_that_works_with_sources(web) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _source = web
    viewer = {"Authorization": f"Bearer {tokens['viewer']}"}
    analyst = {"Authorization": f"Bearer {tokens['analyst']}"}
    plain = rows_of(client.get("/api/v1/exports/sources", headers=viewer).content)
    assert plain and "text" not in plain[0]
    refused = client.get("/api/v1/exports/sources?with_text=true", headers=viewer)
    assert refused.status_code == 403
    full = rows_of(client.get("/api/v1/exports/sources?with_text=true", headers=analyst).content)
    assert "counter-proposal" in full[0]["text"]
    assert client.get("/api/v1/exports/incidents").status_code == 401
