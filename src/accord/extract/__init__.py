"""Text to claims: a rule-based pipeline on a blank spaCy English pipeline, driven by the pack."""
