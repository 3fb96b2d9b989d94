"""Deadline rules of provisions: "signing", "signing + 100 days", "asap after signing", a date."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

_RELATIVE = re.compile(r"^signing\s*\+\s*(\d{1,4})\s*(day|week|month|year)s?$")
_UNITS = {"day": "days", "week": "weeks", "month": "months", "year": "years"}


class DeadlineError(ValueError):
    """A deadline rule that cannot be read."""


@dataclass(frozen=True)
class Deadline:
    """A parsed deadline rule: relative to signing, a fixed date, or no fixed date."""

    rule: str
    offset: relativedelta | None = None
    fixed: dt.date | None = None
    asap: bool = False

    def due(self, signed: dt.date | None) -> dt.date | None:
        """Return the due date given the signing date (None when there is no fixed deadline)."""
        if self.fixed is not None:
            return self.fixed
        if self.offset is not None and signed is not None:
            due: dt.date = signed + self.offset
            return due
        return None

    def describe(self) -> str:
        """Return the rule in words."""
        if self.asap:
            return "as soon as possible after signing"
        return self.rule


def parse_deadline(rule: str) -> Deadline:
    """Parse a deadline rule or raise DeadlineError saying which forms are accepted."""
    text = " ".join(rule.strip().lower().split())
    if text == "signing":
        return Deadline(rule=text, offset=relativedelta())
    if text in ("asap after signing", "as soon as possible after signing", "asap"):
        return Deadline(rule="asap after signing", asap=True)
    match = _RELATIVE.match(text)
    if match:
        amount, unit = int(match.group(1)), match.group(2)
        plural = "" if amount == 1 else "s"
        offset = relativedelta(**{_UNITS[unit]: amount})  # type: ignore[arg-type]
        return Deadline(rule=f"signing + {amount} {unit}{plural}", offset=offset)
    try:
        return Deadline(rule=text, fixed=dt.date.fromisoformat(text))
    except ValueError:
        pass
    raise DeadlineError(
        f"cannot read deadline rule {rule!r} (use 'signing', "
        "'signing + N days|weeks|months|years', 'asap after signing' or YYYY-MM-DD)"
    )
