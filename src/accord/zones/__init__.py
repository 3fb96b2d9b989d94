"""Zones (lines of contact, occupied areas, DMZs, admin areas) and ceasefire terms."""
