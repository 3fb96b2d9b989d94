"""Events as reporters write them: who was there, which contacts count, and which do not."""

import datetime as dt

import pytest

from accord.extract.contract import claim_key
from accord.extract.pipeline import extractor_for

PUB = dt.date(2025, 12, 3)  # a Wednesday


def events(text: str) -> set[tuple[str, ...]]:
    claims = extractor_for("ukraine-2025", "rules").extract(text, PUB)
    return {claim_key(c) for c in claims if c.kind == "event"}


def test_separate_talks_with_two_sides_are_two_bilateral_events() -> None:
    found = events("US negotiators held talks with Ukraine and Russia separately in Riyadh.")
    assert found == {("event", "meeting", "ua", "us"), ("event", "meeting", "ru", "us")}


def test_a_country_owning_something_is_not_on_the_call() -> None:
    found = events(
        "Putin told Trump over the phone that he would stop strikes on Ukraine's power plants."
    )
    assert found == {("event", "call", "ru", "us")}


def test_the_subject_of_an_event_is_not_a_party() -> None:
    found = events("French and German leaders met in Berlin on military support for Ukraine.")
    assert found == {("event", "meeting", "de", "fr")}


@pytest.mark.parametrize(
    "text",
    [
        "Rubio spoke with Lavrov on Tuesday about the next steps.",
        "Rubio spoke today with Lavrov to discuss the next steps.",
        "Trump called Putin on Thursday to discuss a ceasefire.",
        "Lavrov received a call from Rubio on Monday.",
    ],
)
def test_spoke_with_and_called_are_calls(text: str) -> None:
    assert events(text) == {("event", "call", "ru", "us")}


def test_called_someone_a_name_is_not_a_call() -> None:
    assert events("Trump called Putin a tough negotiator.") == set()


def test_following_his_meeting_with_is_a_meeting() -> None:
    found = events(
        "Rubio spoke with the foreign ministers of France and Germany, immediately following "
        "his meeting with Lavrov in Riyadh."
    )
    assert found == {("event", "call", "de", "fr", "us"), ("event", "meeting", "ru", "us")}


def test_a_possessive_meeting_names_its_own_parties() -> None:
    found = events(
        "European leaders convened to discuss support for Ukraine following Trump's meeting "
        "with Putin in Alaska."
    )
    assert ("event", "meeting", "ru", "us") in found
    assert not any("ua" in key for key in found)


@pytest.mark.parametrize(
    "text",
    [
        "The plan was revised after consultations with Ukrainian and European officials.",
        "Zelenskiy prepares for further consultations with Trump in Washington.",
    ],
)
def test_loose_consultations_are_not_talks(text: str) -> None:
    assert events(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "Putin proposed direct talks with Ukraine in Istanbul on May 15.",
        "Putin is ready to meet with Zelenskiy, but only once a deal is prepared.",
        "Has Putin committed to a meeting with Zelenskiy?",
        "Moscow discussed the possibility of reviving direct negotiations between Russia and "
        "Ukraine.",
        "The plan drawn up by Washington and Moscow has been met with dismay in Kyiv.",
        "Trilateral talks between Ukraine, Russia and the US are on hold.",
        "Kyiv and Washington discussed postponing the trilateral meeting with Moscow.",
    ],
)
def test_offers_questions_and_talks_on_hold_are_not_events(text: str) -> None:
    assert events(text) == set()


def test_a_sentence_glued_to_the_next_does_not_lend_it_parties() -> None:
    found = events(
        "Trump said Russia and Ukraine should stop “at the battle line.”Trump plans to meet "
        "Putin in Budapest."
    )
    assert found == {("event", "meeting", "ru", "us")}


def test_between_later_in_the_clause_names_the_parties() -> None:
    found = events(
        "Zelenskiy said he should be included in upcoming talks in Budapest that are "
        "planned between Trump and Putin."
    )
    assert found == {("event", "meeting", "ru", "us")}


def test_a_destination_is_not_a_party() -> None:
    found = events("Zelenskiy travelled to France for a meeting of the Coalition of the Willing.")
    assert found == {("event", "meeting", "coalition-of-the-willing", "ua")}


def test_parties_listed_after_as_well_as_attend() -> None:
    found = events(
        "Witkoff met Ukrainian officials, as well as advisers from Britain, France and Germany."
    )
    assert found == {("event", "meeting", "de", "fr", "gb", "ua", "us")}


def test_a_virtual_meeting_is_a_call() -> None:
    found = events(
        "Macron and Starmer co-chaired a virtual meeting of the Coalition of the Willing with "
        "Zelenskiy."
    )
    assert found == {("event", "call", "coalition-of-the-willing", "fr", "gb", "ua")}


def test_a_day_after_a_call_with_someone_is_the_call() -> None:
    found = events("Trump met Zelenskiy on Friday, a day after a phone conversation with Putin.")
    assert found == {("event", "meeting", "ua", "us"), ("event", "call", "ru", "us")}


def test_after_a_summit_of_a_coalition_only_dates_what_was_said() -> None:
    found = events(
        "Macron said on Thursday after a summit of the Coalition of the Willing that "
        "26 countries would send troops."
    )
    assert found == set()
