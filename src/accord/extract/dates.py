"""Find date expressions in a sentence and resolve them against the publication date."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

import dateparser

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_MONTH_RE = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_WEEKDAY_RE = "|".join(WEEKDAYS)

# Every branch starts a word, so the word-start test comes once, before the branches: the
# engine then tries them only where a word begins (about three times faster on news text).
DATE_PATTERN = re.compile(
    rf"""
    \b(?=[\dA-Za-z])(?:
    (?P<abs_md>(?:{_MONTH_RE})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b)
  | (?P<abs_dm>\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTH_RE})\.?(?:,?\s+\d{{4}})?\b)
  | (?P<iso>\d{{4}}-\d{{2}}-\d{{2}}\b)
  | (?P<part>(?P<part_word>early|mid|mid-|late|end\ of|the\ end\ of|beginning\ of|start\ of)
        [\s-]*(?P<part_month>{_MONTH_RE})\b(?:\s+(?P<part_year>\d{{4}}))?)
  | (?P<weekday>(?:(?P<wd_rel>last|next|this|on|coming)\s+)?(?P<wd>{_WEEKDAY_RE})\b)
  | (?P<rel_day>(?:yesterday|today|tomorrow)\b)
  | (?P<rel_period>(?P<rel_dir>last|next|this|coming|past|earlier\ this|later\ this)\s+
        (?P<rel_unit>week|month|year|weekend)\b)
  | (?P<month_only>(?:in|by|until|since|from|during)\s+(?P<mo>{_MONTH_RE})\b
        (?:\s+(?P<mo_year>\d{{4}}))?)
    )""",
    re.IGNORECASE | re.VERBOSE,
)
FUTURE_CUES = re.compile(
    r"\b(will|would|to be held|due to|scheduled|planned|plans? to|upcoming|next|expected to|"
    r"is set to|are set to|later this)\b",
    re.IGNORECASE,
)
_PART_DAY = {"early": 5, "beginning of": 3, "start of": 3, "mid": 15, "mid-": 15, "late": 25}


@dataclass(frozen=True)
class ResolvedDate:
    """A resolved date with its precision and the matched text span (relative to the input)."""

    date: dt.date
    precision: str
    start: int
    end: int


def _month_year(month: int, year_text: str | None, base: dt.date, future: bool) -> int:
    if year_text:
        return int(year_text)
    if future:
        return base.year + (1 if month < base.month else 0)
    return base.year - (1 if month > base.month else 0)


def _weekday(base: dt.date, weekday: int, rel: str | None, future: bool) -> dt.date:
    ahead = (weekday - base.weekday()) % 7
    back = (base.weekday() - weekday) % 7
    if rel == "next":
        return base + dt.timedelta(days=ahead or 7)
    if rel == "last":
        return base - dt.timedelta(days=back or 7)
    return base + dt.timedelta(days=ahead) if future else base - dt.timedelta(days=back)


@functools.lru_cache(maxsize=4096)
def _absolute(text: str, base: dt.date, future: bool) -> dt.date | None:
    """Parse a calendar date with dateparser (slow, so each distinct expression once)."""
    settings = {
        "RELATIVE_BASE": dt.datetime.combine(base, dt.time()),
        "PREFER_DATES_FROM": "future" if future else "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed = dateparser.parse(text, languages=["en"], settings=settings)  # type: ignore[arg-type]
    return parsed.date() if parsed else None


def _resolve(match: re.Match[str], base: dt.date, future: bool) -> tuple[dt.date, str] | None:
    group = match.lastgroup
    text = match.group(0)
    if group in ("abs_md", "abs_dm", "iso"):
        parsed = _absolute(text.replace(".", ""), base, future)
        return (parsed, "day") if parsed else None
    if match.group("part"):
        month = MONTHS[match.group("part_month").lower()]
        word = match.group("part_word").lower()
        year = _month_year(month, match.group("part_year"), base, future)
        last = calendar.monthrange(year, month)[1]
        day = _PART_DAY.get(word, last - 2)
        return dt.date(year, month, min(day, last)), "approx"
    if match.group("weekday"):
        rel = (match.group("wd_rel") or "").lower() or None
        return _weekday(base, WEEKDAYS[match.group("wd").lower()], rel, future), "day"
    if match.group("rel_day"):
        offset = {"yesterday": -1, "today": 0, "tomorrow": 1}[text.lower()]
        return base + dt.timedelta(days=offset), "day"
    if match.group("rel_period"):
        direction = match.group("rel_dir").lower()
        unit = match.group("rel_unit").lower()
        sign = (
            -1 if direction in ("last", "past") else (1 if direction in ("next", "coming") else 0)
        )
        days = {"week": 7, "weekend": 7, "month": 30, "year": 365}[unit]
        precision = "month" if unit == "month" and sign == 0 else "approx"
        return base + dt.timedelta(days=sign * days), precision
    if match.group("month_only"):
        month = MONTHS[match.group("mo").lower()]
        year = _month_year(month, match.group("mo_year"), base, future)
        return dt.date(year, month, 1), "month"
    return None


def find_dates(text: str, base: dt.date | None) -> list[ResolvedDate]:
    """Return every resolvable date expression in a text, resolved against ``base``."""
    if base is None:
        return []
    future = bool(FUTURE_CUES.search(text))
    found = []
    for match in DATE_PATTERN.finditer(text):
        resolved = _resolve(match, base, future)
        if resolved is not None:
            found.append(ResolvedDate(resolved[0], resolved[1], match.start(), match.end()))
    return found


def find_date(text: str, base: dt.date | None) -> ResolvedDate | None:
    """Return the first resolvable date expression in a text, resolved against ``base``."""
    dates = find_dates(text, base)
    return dates[0] if dates else None
