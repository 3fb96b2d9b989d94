"""API tokens on the real app: revocation and expiry take effect at once, last use is kept."""

import datetime as dt
import json
import time

import pytest
from sqlalchemy import select

from accord.audit.models import AuditEvent
from accord.cli.main import app as cli
from accord.db.session import session_scope
from accord.errors import InvalidInput
from accord.users import service as users

BOARD = "/api/v1/board"


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _actions(url: str) -> list[str]:
    with session_scope(url) as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_revoked_token_is_refused_at_once(web, fresh_db: str, runner) -> None:  # type: ignore[no-untyped-def]
    """Revoked from the CLI while the server holds the token in its cache: the next call is 401."""
    client, tokens, _source = web
    token = tokens["analyst"]
    cache = client.app.state.cache
    for _ in range(3):
        assert client.get(BOARD, headers=_auth(token)).status_code == 200
    hits = cache.hits
    assert client.get(BOARD, headers=_auth(token)).status_code == 200
    assert cache.hits > hits  # the holder is answered from the app's cache
    listed = runner.invoke(cli, ["users", "tokens", "analyst", "--db", fresh_db, "--json"])
    assert listed.exit_code == 0, listed.output
    (row,) = json.loads(listed.output)
    assert row["state"] == "active" and row["user"] == "analyst"
    result = runner.invoke(cli, ["users", "revoke-token", str(row["id"]), "--db", fresh_db])
    assert result.exit_code == 0, result.output
    refused = client.get(BOARD, headers=_auth(token))
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
    assert client.get(BOARD, headers=_auth(tokens["viewer"])).status_code == 200  # others hold
    again = runner.invoke(cli, ["users", "revoke-token", token, "--db", fresh_db])
    assert again.exit_code == 4  # by value this time: already revoked
    assert _actions(fresh_db).count("user.token.revoke") == 1


def test_revoke_all_tokens_of_a_user(web, fresh_db: str, runner) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _source = web
    with session_scope(fresh_db) as session:
        second = users.issue_token(session, "monitor", by="setup")
    assert client.get(BOARD, headers=_auth(second)).status_code == 200
    result = runner.invoke(cli, ["users", "revoke-token", "--all-of", "monitor", "--db", fresh_db])
    assert result.exit_code == 0 and "2 token(s)" in result.output
    for token in (tokens["monitor"], second):
        assert client.get(BOARD, headers=_auth(token)).status_code == 401
    neither = runner.invoke(cli, ["users", "revoke-token", "--db", fresh_db])
    assert neither.exit_code == 2


def test_an_expired_token_is_refused_even_from_the_cache(web, fresh_db: str) -> None:  # type: ignore[no-untyped-def]
    client, _tokens, _source = web
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1.5)
    with session_scope(fresh_db) as session:
        token = users.issue_token(session, "council", by="setup", expires_at=soon)
        past = users.issue_token(
            session, "council", by="setup", expires_at=soon - dt.timedelta(days=1)
        )
    assert client.get(BOARD, headers=_auth(token)).status_code == 200  # and now cached
    assert client.get(BOARD, headers=_auth(past)).status_code == 401
    time.sleep(max(0.0, (soon - dt.datetime.now(dt.UTC)).total_seconds()) + 0.1)
    assert client.get(BOARD, headers=_auth(token)).status_code == 401
    with session_scope(fresh_db) as session:
        states = {t["state"] for t in users.list_tokens(session, "council")}
    assert states == {"active", "expired"}  # the setup token, and the two that expired


def test_token_expiry_from_the_cli(web, fresh_db: str, runner) -> None:  # type: ignore[no-untyped-def]
    client, _tokens, _source = web
    made = runner.invoke(cli, ["users", "token", "viewer", "--expires", "30d", "--db", fresh_db])
    assert made.exit_code == 0, made.output
    token = made.stdout.strip().splitlines()[0]
    assert client.get(BOARD, headers=_auth(token)).status_code == 200
    with session_scope(fresh_db) as session:
        newest = users.list_tokens(session, "viewer")[-1]
    left = newest["expires_at"] - dt.datetime.now(dt.UTC)
    assert dt.timedelta(days=29, hours=23) < left <= dt.timedelta(days=30)
    bad = runner.invoke(
        cli, ["users", "token", "viewer", "--expires", "2001-01-01", "--db", fresh_db]
    )
    assert bad.exit_code == 2 and "past" in bad.output


def test_last_use_is_recorded(web, fresh_db: str) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _source = web
    with session_scope(fresh_db) as session:
        assert {t["last_used_at"] for t in users.list_tokens(session, "admin")} == {None}
    before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    version = _actions(fresh_db)
    assert client.get(BOARD, headers=_auth(tokens["admin"])).status_code == 200
    mine = client.get("/api/v1/me/tokens", headers=_auth(tokens["admin"]))
    assert mine.status_code == 200
    (row,) = mine.json()
    used = dt.datetime.fromisoformat(row["last_used_at"])
    assert before <= used <= dt.datetime.now(dt.UTC) and row["state"] == "active"
    assert _actions(fresh_db) == version  # usage is not an audited change
    with session_scope(fresh_db) as session:  # a write (POST) records it in its own transaction
        users.record_use(session, row["id"], before - dt.timedelta(days=1))
    client.app.state.token_use.noted.clear()
    ended = client.post("/api/v1/me/sign-out-everywhere", headers=_auth(tokens["admin"]))
    assert ended.status_code == 200
    with session_scope(fresh_db) as session:
        (after,) = users.list_tokens(session, "admin")
    assert after["last_used_at"] >= before


@pytest.mark.parametrize(
    ("text", "delta"),
    [
        ("30d", dt.timedelta(days=30)),
        ("12h", dt.timedelta(hours=12)),
        ("2w", dt.timedelta(weeks=2)),
    ],
)
def test_expiry_durations(text: str, delta: dt.timedelta) -> None:
    now = dt.datetime(2026, 12, 5, 9, tzinfo=dt.UTC)
    assert users.parse_expiry(text, now=now) == now + delta


def test_expiry_dates_and_errors() -> None:
    now = dt.datetime(2026, 12, 5, 9, tzinfo=dt.UTC)
    assert users.parse_expiry("2027-01-31", now=now) == dt.datetime(2027, 1, 31, tzinfo=dt.UTC)
    assert users.parse_expiry("2027-01-31T12:00+02:00", now=now) == dt.datetime(
        2027, 1, 31, 10, tzinfo=dt.UTC
    )
    for bad in ("0d", "soon", "2026-12-01", "99999999d"):
        with pytest.raises(InvalidInput):
            users.parse_expiry(bad, now=now)
