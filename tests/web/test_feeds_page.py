"""The admins' feeds page shows each feed's health, from a real poll of a local server."""

from __future__ import annotations

from pathlib import Path

from accord.db.session import session_scope
from accord.feeds import poller
from accord.feeds import service as feeds
from accord.feeds.fetch import FetchPolicy
from accord.sources.blobs import BlobStore
from feeds.feedserver import FeedServer, Item, article_text, rss


def test_feeds_page_shows_health_to_admins_only(  # type: ignore[no-untyped-def]
    web, fresh_db: str, home: Path
) -> None:
    client, tokens, _source = web
    with FeedServer() as srv:
        srv.static("/ok.xml", rss([Item("a", srv.url("/a"), "A", article_text("a"))]))
        with session_scope(fresh_db) as s:
            feeds.add(s, srv.url("/ok.xml"), by="t", name="good wire")
            feeds.add(s, srv.url("/gone.xml"), by="t", name="dead wire")
        poller.poll(
            fresh_db,
            by="t",
            blobs=BlobStore(home / "blobs"),
            extract=False,
            policy=FetchPolicy(allow_private=True, host_interval_s=0.0),
        )
    admin = {"Authorization": f"Bearer {tokens['admin']}", "Accept": "text/html"}
    page = client.get("/feeds", headers=admin)
    assert page.status_code == 200
    assert "good wire" in page.text and "dead wire" in page.text
    assert "1 failing" in page.text and "HTTP 404" in page.text
    data = client.get("/feeds.json", headers=admin).json()
    by_name = {f["name"]: f for f in data["feeds"]}
    assert by_name["good wire"]["healthy"] and by_name["good wire"]["items_seen"] == 1
    assert not by_name["dead wire"]["healthy"] and by_name["dead wire"]["last_success_at"] is None
    for role in ("viewer", "analyst"):
        refused = client.get("/feeds", headers={"Authorization": f"Bearer {tokens[role]}"})
        assert refused.status_code == 403
