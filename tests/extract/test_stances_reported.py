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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Poland, Canada and the European Union are united on the goal of a truce.",
            {
                ("ceasefire", "pl", "support"),
                ("ceasefire", "ca", "support"),
                ("ceasefire", "eu", "support"),
            },
        ),
        (
            "The Russian and US presidents share the view that a short truce would only prolong the war.",
            {("ceasefire", "ru", "oppose"), ("ceasefire", "us", "oppose")},
        ),
        (
            "Trump and Putin met in Alaska. Both presidents hold similar views: a pause in the"
            " fighting would merely prolong the conflict.",
            {("ceasefire", "ru", "oppose"), ("ceasefire", "us", "oppose")},
        ),
    ],
)
def test_shared_stances_give_one_claim_per_holder(
    text: str, expected: set[tuple[str, str, str]]
) -> None:
    assert expected <= positions(text)


@pytest.mark.parametrize(
    "text",
    [
        "Washington has no plans to lift sanctions on Russia.",
        "US officials showed resistance to easing sanctions on Moscow.",
    ],
)
def test_implicit_refusals(text: str) -> None:
    assert ("sanctions", "us", "oppose") in positions(text)


def test_having_hoped_for_something_is_support() -> None:
    assert ("ceasefire", "ua", "support") in positions("Kyiv had hoped for a truce by Easter.")


def test_a_carried_issue_does_not_reach_a_stance_about_something_else() -> None:
    text = (
        "Moscow rejected the truce on Tuesday. Hungary's prime minister welcomed the news of a summit."
        " Kyiv later backed the idea."
    )
    got = positions(text)
    assert ("ceasefire", "hu", "support") not in got
    assert ("ceasefire", "ru", "oppose") in got
    assert ("ceasefire", "ua", "support") in got  # "the idea" points back to the truce


@pytest.mark.parametrize(
    "text",
    [
        "The US draft would largely accept Russian demands and leave the Donbas question open.",
        "Moscow keeps making maximalist demands in the talks on Donbas.",
        "Washington pressed Kyiv to agree to demands on territory faster.",
    ],
)
def test_demands_as_a_noun_are_no_stance(text: str) -> None:
    assert not {p for p in positions(text) if p[2] == "demand"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Moscow continues to demand that Kyiv leave Donbas.", ("territory", "ru", "demand")),
        ("Putin restated the Kremlin's core demands on Donbas.", ("territory", "ru", "demand")),
    ],
)
def test_demand_as_a_verb_or_an_owned_noun_is_a_stance(
    text: str, expected: tuple[str, str, str]
) -> None:
    assert expected in positions(text)


@pytest.mark.parametrize(
    "text",
    [
        "Trump said he wants to end the war quickly.",
        '"I want him to end the war," Trump said of Putin.',
    ],
)
def test_wishing_the_war_over_is_no_stance(text: str) -> None:
    assert positions(text) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Trump set a deadline for Kyiv to accept the peace plan.", ("peace-deal", "us", "demand")),
        (
            "Moscow said the sea truce was dependent on sanctions relief.",
            ("sanctions", "ru", "demand"),
        ),
        ("Moscow remains firm on its claim to all of Donbas.", ("territory", "ru", "demand")),
        (
            "Putin mentioned the need for a settlement that tackles the root causes.",
            ("sovereignty", "ru", "demand"),
        ),
        (
            "Zelenskiy said Kyiv would abide by a truce if Moscow did.",
            ("ceasefire", "ua", "support"),
        ),
        (
            "Kyiv expressed hope for tougher sanctions on Russian oil.",
            ("sanctions", "ua", "support"),
        ),
        (
            "The Kremlin still adheres to the security guarantees drafted in 2022.",
            ("security-guarantees", "ru", "support"),
        ),
        (
            "Macron commended the plan for a reassurance force.",
            ("security-guarantees", "fr", "support"),
        ),
        (
            "Moscow advocates for a lasting settlement without any temporary truce.",
            ("ceasefire", "ru", "oppose"),
        ),
    ],
)
def test_stance_wording_of_reporters(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in positions(text)


def test_a_carried_issue_reaches_an_object_that_continues_it() -> None:
    text = (
        "The UAE brokered the prisoner swap on Friday. The UAE pledged to continue its mediation."
    )
    assert ("prisoner-exchange", "ae", "support") in positions(text)
