"""Territorial proposals: areas, lines, settlements and oblast shares of each option, and maps."""
