"""The columns of every exported dataset: name, type and meaning (one table for all formats).

The same list gives the Parquet schema, the Frictionless table schema in ``datapackage.json``
and the data dictionary in a release's README, so the three cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

# field type (Frictionless Table Schema names) -> Arrow type
ARROW_TYPES: dict[str, pa.DataType] = {
    "integer": pa.int64(),
    "number": pa.float64(),
    "string": pa.string(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us", tz="UTC"),
    "boolean": pa.bool_(),
}


@dataclass(frozen=True)
class Field:
    """One column of a dataset."""

    name: str
    type: str
    description: str

    def arrow(self) -> pa.Field:
        """Return the Arrow field (every column may be empty)."""
        return pa.field(self.name, ARROW_TYPES[self.type])

    def frictionless(self) -> dict[str, str]:
        """Return the Frictionless Table Schema field descriptor."""
        return {"name": self.name, "type": self.type, "description": self.description}


def F(name: str, type_: str, description: str) -> Field:
    """Return a field (short name for the tables below)."""
    return Field(name, type_, description)


INCIDENTS = (
    F("id", "integer", "accord's incident id"),
    F("external_id", "string", "id in the file it was imported from (acled:…, ucdp:…)"),
    F("source_format", "string", "manual, acled, ucdp, csv or geojson"),
    F("occurred_at", "datetime", "when it happened (UTC)"),
    F("occurred_on", "date", "the local date it happened"),
    F("time_precision", "string", "exact, day, days, week, month or year"),
    F("time_precision_code", "string", "the source's own time precision code (ACLED, UCDP)"),
    F("latitude", "number", "WGS84 latitude (coarsened for viewers)"),
    F("longitude", "number", "WGS84 longitude (coarsened for viewers)"),
    F("location_precision", "string", "exact, near, admin2, admin1, country or unknown"),
    F("location_precision_code", "string", "the source's own location precision code"),
    F("location_name", "string", "place name"),
    F("admin1", "string", "first-order administrative area"),
    F("admin2", "string", "second-order administrative area"),
    F("type", "string", "incident type id (ACLED, OSCE, UCDP taxonomies)"),
    F("sub_type", "string", "sub-type id"),
    F("alleged_perpetrator", "string", "who the report says did it"),
    F("attributed_to", "string", "party the verifiers attributed it to"),
    F("attribution_confidence", "number", "verifiers' confidence in the attribution, 0-1"),
    F("target_type", "string", "what was targeted (civilians, ...)"),
    F("fatalities_low", "integer", "lowest estimate of deaths"),
    F("fatalities_best", "integer", "best estimate of deaths"),
    F("fatalities_high", "integer", "highest estimate of deaths"),
    F("civilian_fatalities_best", "integer", "best estimate of civilian deaths"),
    F("sources", "string", "the report's sources, as JSON"),
    F("reporter", "string", "who filed it (empty for viewers)"),
    F("notes", "string", "free text of the report"),
    F("status", "string", "verification status: reported, under_review, verified, ..."),
    F("zones", "string", "ids of the zones it lies in on its date, '; '-separated"),
    F("violation_candidates", "string", "ceasefire/rule ids it may break, '; '-separated"),
    F("cluster_id", "integer", "duplicate cluster it belongs to"),
    F("cluster_representative", "integer", "the incident that represents its cluster"),
    F("ruling_id", "integer", "the council's latest ruling on it"),
    F("ruling_outcome", "string", "violation, no_violation or inconclusive"),
    F("ruling_party", "string", "party the ruling attributes the violation to"),
    F("ruling_published_on", "date", "date the ruling was published"),
    F("created_at", "datetime", "when it was filed or imported (UTC)"),
    F("updated_at", "datetime", "when it last changed (UTC)"),
)

ZONES = (
    F("id", "string", "zone id"),
    F("kind", "string", "line_of_contact, occupied_area, dmz, exclusion_zone, ..."),
    F("name", "string", "zone name"),
    F("valid_from", "date", "first day in force (empty: always)"),
    F("valid_to", "date", "last day in force (empty: still)"),
    F("geometry_type", "string", "Polygon, MultiPolygon, LineString, ..."),
    F("area_km2", "number", "area in square kilometres (polygons)"),
    F("length_km", "number", "length in kilometres (lines)"),
    F("rules", "string", "the zone's ceasefire rules, as JSON"),
    F("derived_from", "string", "how the zone was derived (buffer of, line of, ...), as JSON"),
    F("created_by", "string", "who loaded or derived it"),
)

RULINGS = (
    F("id", "integer", "ruling id"),
    F("incident_id", "integer", "the incident ruled on (incidents.id)"),
    F("outcome", "string", "violation, no_violation or inconclusive"),
    F("attributed_party", "string", "party found responsible"),
    F("votes_yes", "integer", "members voting yes"),
    F("votes_no", "integer", "members voting no"),
    F("votes_abstain", "integer", "members abstaining"),
    F("votes", "string", "each member's vote, as JSON"),
    F("published_on", "date", "date of publication"),
    F("reasoning", "string", "the council's reasoning"),
)

DRAFTS = (
    F("id", "string", "draft id"),
    F("agreement_id", "string", "agreement it is a version of"),
    F("agreement_name", "string", "the agreement's name"),
    F("pack_id", "string", "case pack the agreement belongs to"),
    F("label", "string", "the draft's label"),
    F("date", "date", "date of the draft"),
    F("origin", "string", "actor who put it forward"),
    F("signed_on", "date", "date it was signed (empty: not signed)"),
    F("provisions", "integer", "number of provisions"),
    F("issues", "string", "issue ids its provisions cover, '; '-separated"),
)

PROVISIONS = (
    F("id", "integer", "provision id (joins implementation.provision_id)"),
    F("draft_id", "string", "the draft it belongs to (drafts.id)"),
    F("position", "integer", "order within the draft"),
    F("number", "string", "the provision's number in the text"),
    F("title", "string", "title"),
    F("summary", "string", "short summary"),
    F("issues", "string", "issue ids, '; '-separated"),
    F("obligated", "string", "obligated parties (actor ids), '; '-separated"),
    F("deadline", "string", "deadline rule, e.g. 'signing + 100 days'"),
)

IMPLEMENTATION = (
    F("provision_id", "integer", "the provision (provisions.id)"),
    F("draft_id", "string", "its draft"),
    F("provision_number", "string", "its number in the text"),
    F("date", "date", "date of the record"),
    F("level", "integer", "Peace Accords Matrix level: 0 not initiated, 1 minimal, 2, 3 full"),
    F("level_label", "string", "the level's name"),
    F("source_id", "integer", "evidence: source document (sources.id)"),
    F("claim_id", "integer", "evidence: claim"),
    F("note", "string", "evidence note"),
    F("recorded_by", "string", "who recorded it"),
)

INDICATORS = (
    F("id", "integer", "indicator id"),
    F("draft_id", "string", "the signed draft it measures"),
    F("kind", "string", "prisoner_exchange, funds or guarantee"),
    F("date", "date", "date of the figure"),
    F("data", "string", "the figures, as JSON"),
    F("source_id", "integer", "evidence: source document (sources.id)"),
)

SOURCES = (
    F("id", "integer", "source id"),
    F("sha256", "string", "SHA-256 of the raw bytes (the identity)"),
    F("media_type", "string", "text, html, pdf, ..."),
    F("filename", "string", "file name as ingested"),
    F("size_bytes", "integer", "size of the raw bytes"),
    F("title", "string", "title"),
    F("publisher", "string", "publisher"),
    F("url", "string", "address"),
    F("published_at", "date", "publication date"),
    F("language", "string", "language code"),
    F("ingested_at", "datetime", "when it was ingested (UTC)"),
)
SOURCE_TEXT = F("text", "string", "the normalised text (only with --with-text, for analysts)")

ACLED = (
    F("event_id_cnty", "string", "event id"),
    F("event_date", "date", "event date"),
    F("year", "integer", "year"),
    F("time_precision", "integer", "1 day, 2 week, 3 month"),
    F("disorder_type", "string", "disorder type"),
    F("event_type", "string", "event type"),
    F("sub_event_type", "string", "sub-event type"),
    F("actor1", "string", "first actor"),
    F("assoc_actor_1", "string", "associated actor 1"),
    F("inter1", "string", "actor 1 type"),
    F("actor2", "string", "second actor"),
    F("assoc_actor_2", "string", "associated actor 2"),
    F("inter2", "string", "actor 2 type"),
    F("interaction", "string", "interaction code"),
    F("civilian_targeting", "string", "'Civilian targeting' when civilians were targeted"),
    F("iso", "string", "ISO 3166 numeric country code"),
    F("region", "string", "region"),
    F("country", "string", "country"),
    F("admin1", "string", "admin1"),
    F("admin2", "string", "admin2"),
    F("admin3", "string", "admin3"),
    F("location", "string", "location"),
    F("latitude", "number", "latitude"),
    F("longitude", "number", "longitude"),
    F("geo_precision", "integer", "1 exact, 2 near, 3 region"),
    F("source", "string", "source"),
    F("source_scale", "string", "source scale"),
    F("notes", "string", "notes"),
    F("fatalities", "integer", "fatalities"),
    F("tags", "string", "tags"),
    F("timestamp", "integer", "last change (Unix time)"),
)


def arrow_schema(fields: tuple[Field, ...], geometry: bool = False) -> pa.Schema:
    """Return the Arrow schema of a dataset (with a WKB ``geometry`` column for GeoParquet)."""
    columns = [f.arrow() for f in fields]
    if geometry:
        columns.append(pa.field("geometry", pa.binary()))
    return pa.schema(columns)
