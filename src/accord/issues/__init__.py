"""The negotiation's issues: keywords, parent, description and an optional position scale."""
