"""Agreements: drafts and their provisions, draft-to-draft diffs, implementation tracking."""
