"""Stance rules for the forms real reporting takes, each on a sentence written for the test."""

import datetime as dt

from accord.extract.contract import claim_key
from accord.extract.pipeline import extractor_for

PUB = dt.date(2025, 12, 28)


def keys(text: str) -> set[tuple[str, ...]]:
    return {claim_key(c) for c in extractor_for("ukraine-2025").extract(text, PUB)}


def stances(text: str) -> set[tuple[str, ...]]:
    return {k for k in keys(text) if k[0] in ("position", "proposal")}


def test_a_question_states_no_stance() -> None:
    assert not stances("Has the Kremlin agreed to a thirty-day ceasefire?")
    assert not stances("Will Kyiv accept the freeze of the front line in Donbas?”")


def test_offering_or_welcoming_talks_is_not_a_stance_on_the_issue() -> None:
    assert not stances("Putin proposed direct talks with Kyiv on a ceasefire.")
    assert not stances("Moscow is ready to meet Ukrainian negotiators about the truce.")
    assert not stances("The Kremlin said it was open to negotiations on the peace plan.")


def test_an_offer_of_terms_is_still_a_proposal() -> None:
    found = keys("Putin proposed a three-day ceasefire in May.")
    assert ("proposal", "ceasefire", "ru", "propose") in found


def test_a_plans_requirement_is_not_a_position_of_whom_it_binds_or_backs() -> None:
    text = "A draft plan backed by Trump would require Ukraine to give up land in Donbas."
    found = keys(text)
    assert ("position", "territory", "ua", "demand") not in found
    assert ("position", "territory", "us", "demand") not in found


def test_the_person_told_is_not_the_holder() -> None:
    found = keys("Zelenskiy told Macron that Ukraine rejects any freeze of the front line.")
    assert ("position", "territory", "ua", "oppose") in found
    assert not {k for k in found if k[2] == "fr"}
    found = keys("Zelenskiy told Macron that any truce would require security guarantees.")
    assert {k[2] for k in found if k[0] == "position"} == {"ua"}


def test_declining_to_disclose_or_dismissing_a_report_is_not_opposition() -> None:
    assert not stances("The Kremlin declined to disclose details of the peace plan.")
    assert not stances("Rubio declined to share details of the ceasefire talks.")
    assert not stances("A White House official dismissed the report on the truce as speculation.")


def test_a_stance_with_no_issue_gives_no_claim() -> None:
    assert not stances("Trump said he wanted to save thousands of young men every week.")
