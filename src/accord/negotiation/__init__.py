"""The negotiation board: derived from active claims, never edited by hand."""
