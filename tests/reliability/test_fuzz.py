"""Property tests: parsers and normalisers never fail other than with a clear domain error."""

import datetime as dt
import json
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from accord.agreements.deadlines import DeadlineError, parse_deadline
from accord.errors import InvalidInput
from accord.extract.dates import find_dates
from accord.extract.pipeline import extractor_for
from accord.incidents.rows import (
    ACLED_REQUIRED,
    UCDP_REQUIRED,
    RowError,
    acled_columns,
    from_ucdp,
)
from accord.sources.readers import read_document, split_front_matter
from accord.zones import service as zones

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WORDS = st.sampled_from(
    [
        "Kyiv",
        "Moscow",
        "rejected",
        "the",
        "plan",
        "said",
        "not",
        "agreed",
        "on",
        "Sunday",
        "ceasefire",
        "Donbas",
        "95%",
        "there",
        "Trump",
        "will",
        "meet",
        "Putin",
        ",",
        ".",
        "\n",
        "«",
        "“",
        "”",
        "Zelenskiy",
        "early",
        "January",
        "guarantees",
        "<script>",
        "&amp;",
    ]
)
TEXT = st.one_of(st.text(max_size=400), st.lists(WORDS, max_size=80).map(" ".join))


@FAST
@given(TEXT)
def test_front_matter_never_breaks(text: str) -> None:
    try:
        _meta, body = split_front_matter(text, where="x")
    except InvalidInput:
        return
    assert text.endswith(body) or body in text


@FAST
@given(st.binary(max_size=300), st.sampled_from(["a.txt", "a.md", "a.json", "a.html"]))
def test_reading_any_bytes(raw: bytes, name: str) -> None:
    try:
        document = read_document(raw, Path(name))
    except InvalidInput:
        return
    assert document.text.strip()


@FAST
@given(TEXT, st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 1, 1)))
def test_dates_stay_inside_the_text(text: str, base: dt.date) -> None:
    for found in find_dates(text, base):
        assert 0 <= found.start < found.end <= len(text)
        assert found.precision in ("day", "month", "approx")


@FAST
@given(st.text(max_size=40))
def test_deadline_rules(rule: str) -> None:
    try:
        parsed = parse_deadline(rule)
    except DeadlineError:
        return
    assert parsed.rule


@FAST
@given(st.fixed_dictionaries({name: st.text(max_size=20) for name in ACLED_REQUIRED}))
def test_acled_rows(row: dict[str, str]) -> None:
    try:
        columns = acled_columns(row)
    except RowError:
        return
    assert -90 <= columns["latitude"] <= 90 and -180 <= columns["longitude"] <= 180


@FAST
@given(TEXT)
def test_extraction_on_arbitrary_text(text: str) -> None:
    for claim in extractor_for("ukraine-2025").extract(text, dt.date(2025, 12, 28)):
        start, end = claim.span
        assert 0 <= start <= end <= len(text)
        assert text[start:end] == claim.quote
        assert 0 <= claim.confidence <= 1


@FAST
@given(st.fixed_dictionaries({name: st.text(max_size=20) for name in UCDP_REQUIRED}))
def test_ucdp_rows(row: dict[str, str]) -> None:
    try:
        incident = from_ucdp(row)
    except (RowError, ValueError):  # pydantic's ValidationError is a ValueError
        return
    assert -90 <= incident.latitude <= 90 and -180 <= incident.longitude <= 180


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
COORDINATE = st.floats(allow_nan=True, allow_infinity=True) | st.integers(-1000, 1000)
RING = st.lists(st.tuples(COORDINATE, COORDINATE).map(list), min_size=0, max_size=6)
FEATURE = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["Feature", "feature", "Point"]),
        "properties": st.one_of(
            JSON_VALUES,
            st.fixed_dictionaries({"id": JSON_VALUES, "kind": st.sampled_from(["dmz", "x", ""])}),
        ),
        "geometry": st.one_of(
            JSON_VALUES,
            st.fixed_dictionaries(
                {
                    "type": st.sampled_from(["Polygon", "Point", "LineString", "circle"]),
                    "coordinates": st.one_of(RING, st.lists(RING, max_size=2), COORDINATE),
                }
            ),
        ),
    }
)
LON_LAT = st.tuples(st.floats(-180, 180), st.floats(-90, 90)).map(list)
# well-formed features (a ring of lon/lat points, closed) so that loads which succeed are drawn too
PLAIN_FEATURE = st.fixed_dictionaries(
    {
        "type": st.just("Feature"),
        "properties": st.fixed_dictionaries({"kind": st.just("dmz")}),
        "geometry": st.lists(LON_LAT, min_size=3, max_size=5).map(
            lambda ring: {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
        ),
    }
)
ZONE_FILES = st.one_of(
    JSON_VALUES,
    st.fixed_dictionaries(
        {"type": st.just("FeatureCollection"), "features": st.lists(FEATURE, max_size=3)}
    ),
    st.lists(PLAIN_FEATURE, min_size=1, max_size=3).map(
        lambda features: {
            "type": "FeatureCollection",
            "features": [
                {**f, "properties": {**f["properties"], "id": n}} for n, f in enumerate(features)
            ],
        }
    ),
)


@settings(FAST, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(ZONE_FILES)
def test_zone_geojson(session, tmp_path: Path, data: object) -> None:  # type: ignore[no-untyped-def]
    """Any file either loads as one valid lon/lat zone per feature or is refused naming the file."""
    path = tmp_path / "zones.geojson"
    path.write_text(json.dumps(data))
    nested = session.begin_nested()
    try:
        loaded = zones.load_geojson(session, path, zones.LoadOptions(), by="fuzz")
    except InvalidInput as exc:
        event("refused")
        assert str(exc).startswith(f"{path}: "), str(exc)
        return
    finally:
        nested.rollback()
    event("loaded")
    assert isinstance(data, dict)
    features = [data] if data.get("type") == "Feature" else data["features"]
    assert len(loaded) == len(features) and len({z.id for z in loaded}) == len(loaded)
    for zone in loaded:
        assert zone.kind == "dmz"  # the only valid kind the strategy draws
        shape = zones.geometry_of(zone)
        assert shape.is_valid and not shape.is_empty
        west, south, east, north = shape.bounds
        assert -180 <= west <= east <= 180 and -90 <= south <= north <= 90


def test_the_zone_property_sees_loads_that_succeed(session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The strategy's shapes can load: a file it can draw loads as one zone."""
    ring = [[30, 45], [31, 45], [31, 46], [30, 45]]
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"id": 7, "kind": "dmz"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        ],
    }
    path = tmp_path / "zones.geojson"
    path.write_text(json.dumps(data))
    (zone,) = zones.load_geojson(session, path, zones.LoadOptions(), by="fuzz")
    assert (zone.id, zone.kind, zones.geometry_of(zone).bounds) == ("7", "dmz", (30, 45, 31, 46))
