"""Immutable, content-addressed source documents (news, statements, transcripts, reports)."""
