"""Ceasefire monitoring incidents: reports, imports (ACLED, UCDP, GeoJSON, CSV), zone checks."""
