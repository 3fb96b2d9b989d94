import datetime as dt

import pytest

from accord.extract.dates import find_date, find_dates

BASE = dt.date(2025, 12, 28)  # Sunday


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        ("Trump said on Sunday", "2025-12-28", "day"),
        ("they met on Friday", "2025-12-26", "day"),
        ("they will meet on Friday", "2026-01-02", "day"),
        ("would meet in early January", "2026-01-05", "approx"),
        ("talks planned for mid-January", "2026-01-15", "approx"),
        ("talks in mid-January", "2025-01-15", "approx"),
        ("a call last week", "2025-12-21", "approx"),
        ("talks next month", "2026-01-27", "approx"),
        ("signed on December 2", "2025-12-02", "day"),
        ("met on 14 December 2025", "2025-12-14", "day"),
        ("a vote in March", "2025-03-01", "month"),
        ("will vote in March", "2026-03-01", "month"),
        ("yesterday", "2025-12-27", "day"),
    ],
)
def test_relative_dates(text: str, date: str, precision: str) -> None:
    found = find_date(text, BASE)
    assert found is not None
    assert (found.date.isoformat(), found.precision) == (date, precision)


def test_no_base_no_date() -> None:
    assert find_date("on Sunday", None) is None


APRIL = dt.date(2025, 4, 2)  # a Wednesday
WEDNESDAY = dt.date(2025, 12, 10)


def resolved(text: str, base: dt.date) -> list[tuple[str, str, str]]:
    return [
        (d.date.isoformat(), d.precision, text[d.start : d.end]) for d in find_dates(text, base)
    ]


@pytest.mark.parametrize(
    ("text", "base", "date"),
    [
        # a month-day reported as past stays before publication despite a later "will"
        ("Witkoff met Putin on March 18, and talks will continue.", APRIL, "2025-03-18"),
        ("Putin and Trump spoke on March 18 about a truce that would cover energy.", APRIL,
         "2025-03-18"),
        # a weekday reported as past is the most recent one, not next week's
        ("Zelensky said on Tuesday that Ukraine would not cede territory.", WEDNESDAY,
         "2025-12-09"),
        ("On Tuesday, Zelensky said Ukraine will never cede territory.", WEDNESDAY, "2025-12-09"),
        ("Putin told reporters on Friday that he will meet Trump.", WEDNESDAY, "2025-12-05"),
        ("Talks held on Tuesday will continue next week.", WEDNESDAY, "2025-12-09"),
        ("Since Monday the envoys have been meeting in Geneva, which will host more.",
         WEDNESDAY, "2025-12-08"),
        ("The leaders met on Wednesday and will meet again.", WEDNESDAY, "2025-12-10"),
        ("The envoy met a Russian delegation for hours on Tuesday evening, with more talks "
         "expected to follow.", WEDNESDAY, "2025-12-09"),
        ("a deal was signed on February 29, officials will say", dt.date(2025, 3, 1),
         "2024-02-29"),
    ],
)  # fmt: skip
def test_past_is_never_after_publication(text: str, base: dt.date, date: str) -> None:
    found = find_date(text, base)
    assert found is not None and found.date.isoformat() == date
    assert found.date <= base


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Delegations will meet on Friday in Geneva.", "2025-12-12"),
        ("The talks are scheduled for December 20.", "2025-12-20"),
        ("Talks would be held on Friday, he said.", "2025-12-12"),
        ("The envoys are meeting on Monday.", "2025-12-15"),
        ("Negotiators plan to meet in early January.", "2026-01-05"),
        ("A vote is expected within days.", "2025-12-13"),
        ("The sides will meet again in two weeks.", "2025-12-24"),
    ],
)
def test_future_may_resolve_after_publication(text: str, date: str) -> None:
    found = find_date(text, WEDNESDAY)
    assert found is not None and found.date.isoformat() == date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia struck Kyiv a day after Witkoff met Putin on Tuesday.",
         ("2025-12-10", "day", "a day after Witkoff met Putin on Tuesday")),
        ("Two days after the December 1 talks the sides spoke.",
         ("2025-12-03", "day", "Two days after the December 1")),
        ("The call came a week before yesterday.",
         ("2025-12-02", "approx", "a week before yesterday")),
        ("the day before yesterday", ("2025-12-08", "day", "the day before yesterday")),
        ("Kyiv was hit hours after the talks on Monday.",
         ("2025-12-08", "approx", "hours after the talks on Monday")),
        ("The envoys met yesterday.", ("2025-12-09", "day", "yesterday")),
        ("They met last night.", ("2025-12-09", "day", "last night")),
        ("A call last week settled it.", ("2025-12-03", "approx", "last week")),
        ("Earlier this month the sides met.", ("2025-12-05", "approx", "Earlier this month")),
        ("Earlier this week the sides met.", ("2025-12-09", "approx", "Earlier this week")),
        ("Two days ago the envoys met.", ("2025-12-08", "day", "Two days ago")),
        ("A few weeks ago the envoys met.", ("2025-11-19", "approx", "A few weeks ago")),
        ("The envoys met on Sunday.", ("2025-12-07", "day", "on Sunday")),
        ("He visited Moscow over the weekend.", ("2025-12-06", "approx", "over the weekend")),
        ("They met in early January.", ("2025-01-05", "approx", "early January")),
        ("They met in late December.", ("2025-12-10", "approx", "late December")),
        ("The sides will meet later this month.", ("2025-12-20", "approx", "later this month")),
    ],
)  # fmt: skip
def test_relative_expressions_resolve_against_publication(
    text: str, expected: tuple[str, str, str]
) -> None:
    assert resolved(text, WEDNESDAY)[0] == expected


def test_a_day_after_without_a_date_resolves_nothing_of_its_own() -> None:
    assert resolved("Russia struck Kyiv a day after the talks ended.", WEDNESDAY) == []


def test_impossible_days_are_not_dates() -> None:
    assert resolved("on February 30 and 2025-13-01", WEDNESDAY) == []
