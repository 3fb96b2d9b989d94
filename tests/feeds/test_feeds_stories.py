"""Canonical URLs and MinHash story groups."""

from __future__ import annotations

import pytest

from accord.feeds.stories import group_documents, minhash
from accord.feeds.urls import canonical_url
from feeds.feedserver import article_text

SAME = [
    "https://www.example.com/world/deal-talks",
    "http://example.com/world/deal-talks/",
    "https://example.com/world/deal-talks?utm_source=rss&utm_medium=feed&fbclid=abc",
    "https://m.example.com/world/deal-talks#comments",
    "https://amp.example.com/world/deal-talks",
    "https://example.com/amp/world/deal-talks",
    "https://example.com/world/deal-talks/amp",
    "https://example.com/world/deal-talks.amp",
    "https://example.com:443/world/deal-talks?outputType=amp",
]


@pytest.mark.parametrize("url", SAME)
def test_variants_share_one_canonical_url(url: str) -> None:
    assert canonical_url(url) == "https://example.com/world/deal-talks"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/world/deal-talks-2",
        "https://example.com/world/deal-talks?id=2",
        "https://example.org/world/deal-talks",
        "https://example.com:8443/world/deal-talks",
        "https://example.com/world/amplifier",
    ],
)
def test_other_articles_keep_their_own_url(url: str) -> None:
    assert canonical_url(url) != "https://example.com/world/deal-talks"


def test_query_order_does_not_matter_but_values_do() -> None:
    assert canonical_url("https://x.org/a?b=2&a=1") == canonical_url("https://x.org/a?a=1&b=2")
    assert canonical_url("https://x.org/a?a=1") != canonical_url("https://x.org/a?a=2")


def test_syndicated_copies_and_near_duplicates_group_together() -> None:
    story = article_text("the prisoner exchange")
    other = (
        "Donors pledged new money for rebuilding power plants and bridges at a conference on "
        "Tuesday, but aid groups said earlier pledges had yet to be paid out in full and asked "
        "for a public register of what each government had promised and delivered so far. "
    ) * 3
    docs = [
        (1, story),
        (2, "(Wire) " + story + "\n\nReporting by the desk; editing by another."),
        (3, other),
        (4, story.replace("cautioned", "warned", 1)),  # an edited copy
        (5, "A short unrelated note about the weather in Geneva today."),
        (6, other + " Updated at 10:00."),
    ]
    groups = group_documents(docs)
    assert groups == {1: 1, 2: 1, 3: 3, 4: 1, 5: 5, 6: 3}


def test_signatures_are_stable_across_runs() -> None:
    a = minhash(article_text("x")).hashvalues
    b = minhash(article_text("x")).hashvalues
    assert list(a) == list(b)
