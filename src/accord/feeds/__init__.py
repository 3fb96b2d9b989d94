"""Watched feeds: polite polling, feed health, canonical URLs and story groups."""
