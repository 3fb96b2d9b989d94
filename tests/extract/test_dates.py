import datetime as dt

import pytest

from accord.extract.dates import find_date

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
