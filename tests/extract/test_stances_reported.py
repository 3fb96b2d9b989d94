"""Positions as reporters write them: refusals to give up land, freezes at the front, shared views.

Every sentence here is our own; none is taken from an article.
"""

import datetime as dt

import pytest

from accord.extract.pipeline import extractor_for

PUB = dt.date(2025, 12, 3)


def positions(
    text: str, pack: str = "ukraine-2025"
) -> set[tuple[str | None, str | None, str | None]]:
    claims = extractor_for(pack, "rules").extract(text, PUB)
    return {(c.issue, c.holder, c.stance) for c in claims if c.kind == "position"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kyiv insists on freezing the front at the current line.", ("territory", "ua", "demand")),
        ("Kyiv insists on a freeze at the current line.", ("territory", "ua", "demand")),
        (
            "Zelensky said Ukraine would not give up territory in Donbas.",
            ("territory", "ua", "oppose"),
        ),
        (
            "Ukraine will never cede its land in the east, Zelenskiy said.",
            ("territory", "ua", "oppose"),
        ),
        ('"We will not hand over our territory," Zelenskiy said.', ("territory", "ua", "oppose")),
        (
            "Zelenskiy has voiced his opposition to giving up land in the east.",
            ("territory", "ua", "oppose"),
        ),
        (
            "Zelenskiy repeated his refusal to cede the rest of the Donetsk region.",
            ("territory", "ua", "oppose"),
        ),
    ],
)
def test_refusals_and_freezes(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in positions(text)


def test_demand_to_cede_is_not_the_ceding_sides_stance() -> None:
    got = positions("Moscow demands that Kyiv cede the territory it still holds.")
    assert got == {("territory", "ru", "demand")}


def test_a_stance_noun_after_a_possessive_pronoun_is_the_owners_stance() -> None:
    assert ("ceasefire", "us", "support") in positions("Trump repeated his support for a truce.")


def test_a_stance_noun_after_an_article_is_still_no_stance() -> None:
    assert positions("Any support for a truce would be welcome news.") == set()
