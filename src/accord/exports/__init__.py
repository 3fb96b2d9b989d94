"""Exports of the board, claims and events as CSV, JSON or Parquet files."""
