"""Dates on extracted claims: past reports never land after publication, relative words resolve.

``test_dates.py`` checks the date resolver on phrases; these check the dates the extractor puts
on whole claims, as ``accord extract`` prints them.
"""

import datetime as dt
from pathlib import Path

import pytest

from accord.extract.contract import ClaimOut
from accord.extract.evaluate import load_gold
from accord.extract.pipeline import extractor_for

APRIL = dt.date(2025, 4, 2)  # a Wednesday
WEDNESDAY = dt.date(2025, 12, 10)
DEVSET = Path(__file__).parents[1] / "data" / "devset"


def claims(text: str, published: dt.date | None) -> list[ClaimOut]:
    return extractor_for("ukraine-2025", "rules").extract(text, published)


def dates(text: str, published: dt.date | None, kind: str) -> list[str | None]:
    return [c.date for c in claims(text, published) if c.kind == kind]


def test_a_month_day_reported_as_past_is_this_years() -> None:
    assert dates("Witkoff met Putin in Moscow on March 18.", APRIL, "event") == ["2025-03-18"]


def test_a_weekday_reported_as_past_is_the_one_before_publication() -> None:
    text = "On Tuesday, Zelenskiy said the two sides were very close on security guarantees."
    assert dates(text, WEDNESDAY, "status") == ["2025-12-09"]


def test_a_day_after_another_dated_event() -> None:
    text = "Zelenskiy met Trump in Washington a day after Witkoff met Putin on Tuesday."
    found = {tuple(c.participants or []): c.date for c in claims(text, WEDNESDAY)}
    assert found[("ua", "us")] == "2025-12-10"


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Rubio spoke with Lavrov yesterday.", "2025-12-09"),
        ("Witkoff met Putin two days ago.", "2025-12-08"),
        ("Delegations of Ukraine and the US will meet on Friday in Geneva.", "2025-12-12"),
    ],
)
def test_relative_event_dates(text: str, date: str) -> None:
    assert dates(text, WEDNESDAY, "event") == [date]


def test_a_statement_is_never_dated_after_it_was_published() -> None:
    text = "Putin rejected on Friday a ceasefire that Kyiv will propose next week."
    found = [c for c in claims(text, WEDNESDAY) if c.kind != "event"]
    assert found and all(c.date is not None and c.date <= "2025-12-10" for c in found)


def test_an_undated_source_gets_no_claim_dates() -> None:
    found = claims("Witkoff met Putin on Tuesday. Kyiv rejected the plan.", None)
    assert found and all(c.date is None for c in found)


def test_no_claim_of_the_devset_reported_as_past_is_after_publication() -> None:
    extractor = extractor_for("ukraine-2025", "rules")
    checked = 0
    for gold_file in sorted(DEVSET.glob("*.expected.json")):
        gold = load_gold(gold_file)
        published = dt.date.fromisoformat(str(gold.source.published_at)[:10])
        text = gold_file.with_name(gold_file.name.replace(".expected.json", ".txt")).read_text()
        for claim in extractor.extract(text, published):
            if claim.kind != "event" and claim.date is not None:
                checked += 1
                assert claim.date <= published.isoformat(), (gold_file.name, claim.quote)
    assert checked > 100
