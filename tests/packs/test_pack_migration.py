"""Migration 0010: claims stored before it stay with the pack that was loaded."""

from __future__ import annotations

from sqlalchemy import text

from accord.db import migrate
from accord.db.session import get_engine, session_scope
from accord.packs import service as packs


def test_existing_claims_stay_with_the_loaded_pack(fresh_db: str) -> None:
    assert migrate.upgrade(fresh_db, "0009") == "0009"
    with session_scope(fresh_db) as session:
        packs.load_by_name(session, "ukraine-2025", by="setup")
    with get_engine(fresh_db).begin() as conn:
        conn.execute(
            text(
                "INSERT INTO sources (sha256, media_type, encoding, text, size_bytes, "
                "ingested_at, ingested_by) VALUES (:h, 'text', 'utf-8', 'Kyiv said no.', 13, "
                "CURRENT_TIMESTAMP, 't')"
            ),
            {"h": "a" * 64},
        )
        conn.execute(
            text(
                "INSERT INTO claims (source_id, kind, issue_id, holder_id, stance, summary, quote, "
                "span_start, span_end, confidence, negated, hedged, extractor, "
                "extractor_version, review_state, created_at, created_by) VALUES "
                "(1, 'position', 'territory', 'ua', 'oppose', '', 'Kyiv said no.', 0, 13, 0.8, "
                ":f, :f, 'test', '1', 'machine', CURRENT_TIMESTAMP, 't')"
            ),
            {"f": False},
        )
    assert migrate.upgrade(fresh_db) == migrate.head()
    with get_engine(fresh_db).connect() as conn:
        assert conn.execute(text("SELECT pack_id FROM claims")).scalars().all() == ["ukraine-2025"]
