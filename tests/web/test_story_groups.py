"""One story, many outlets: copies polled from two feeds count once on the board; the source page
lists the other members of its story group."""

from __future__ import annotations

from pathlib import Path

from accord.db.session import session_scope
from accord.feeds import poller
from accord.feeds import service as feeds
from accord.feeds.fetch import FetchPolicy
from accord.sources.blobs import BlobStore
from feeds.feedserver import FeedServer, Item, rss

STORY = (
    "Russia rejected the European counter-proposal. "
    "Officials in Moscow said the text ignored the situation on the ground, and negotiators "
    "from several European capitals said they would meet again next week to look for common "
    "language on the remaining questions, including guarantees and the sequencing of steps. "
) * 3


def test_copies_count_once_and_the_source_page_lists_them(  # type: ignore[no-untyped-def]
    web, fresh_db: str, home: Path
) -> None:
    client, tokens, note_id = web
    headers = {"Authorization": f"Bearer {tokens['viewer']}"}
    before = client.get("/board.json", headers=headers).json()["board"]
    with FeedServer() as one, FeedServer() as two:
        one.static("/f.xml", rss([Item("a", one.url("/world/talks"), "Talks stall", STORY)]))
        copy = "(Wire) " + STORY + " Reporting by the wire desk."
        two.static("/f.xml", rss([Item("b", two.url("/news/12345"), "Talks stall (wire)", copy)]))
        with session_scope(fresh_db) as s:
            feeds.add(s, one.url("/f.xml"), by="t")
            feeds.add(s, two.url("/f.xml"), by="t")
        report = poller.poll(
            fresh_db,
            by="t",
            blobs=BlobStore(home / "blobs"),
            policy=FetchPolicy(allow_private=True, host_interval_s=0.0),
        )
    assert report.errors == [] and report.new_sources == 2
    after = client.get("/board.json", headers=headers).json()["board"]

    def ru_cells(board: dict) -> dict[str, dict]:  # type: ignore[type-arg]
        return {r["issue"]: r["cells"]["ru"] for r in board["rows"] if r["cells"].get("ru")}

    changed = {
        issue: cell
        for issue, cell in ru_cells(after).items()
        if cell["copies"] != (ru_cells(before).get(issue) or {}).get("copies", 0)
    }
    assert changed, after
    for issue, cell in changed.items():
        old = ru_cells(before).get(issue)
        assert cell["copies"] == (old["copies"] if old else 0) + 2
        assert cell["sources"] == (old["sources"] if old else 0) + 1  # two copies, one report

    with session_scope(fresh_db, read_only=True) as s:
        ids = sorted(i for i in feeds.stories_of(s, range(1, 10)) if i != note_id)
        members = feeds.story_members(s, ids[0])
    page = client.get(f"/sources/{ids[0]}", headers={**headers, "Accept": "text/html"}).text
    assert "Same story elsewhere" in page and f'href="/sources/{members[0]}"' in page
    data = client.get(f"/sources/{ids[0]}.json", headers=headers).json()
    assert [s["id"] for s in data["story"]] == members
    note = client.get(f"/sources/{note_id}", headers={**headers, "Accept": "text/html"}).text
    assert "Same story elsewhere" not in note
