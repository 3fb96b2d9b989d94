"""Percentages as reporters write them: "95%", "95 per cent", "ninety-five percent".

A percentage is a status only when it measures how far the talks have got: followed by a
word of completion ("90% there", "ninety per cent agreed") or named as an approximation with
what it covers ("close to 90 percent on the framework", "about 95 per cent of the text").
"20 percent of the Donetsk region" is not.
"""

from __future__ import annotations

import re

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_WORD_VALUES = {w: i for i, w in enumerate(_UNITS)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
_WORD_NUMBER = (
    rf"(?:(?:{'|'.join(_TENS)})(?:[\s-](?:{'|'.join(_UNITS[1:10])}))?|{'|'.join(_UNITS)}"
    r"|(?:a|one)\s+hundred)"
)
NUMBER = rf"(?:\d{{1,3}}(?:\.\d+)?|{_WORD_NUMBER})"
PERCENT = re.compile(rf"\b({NUMBER})\s*(?:%|per\s?cent\b)", re.IGNORECASE)
_APPROX = r"(?:close\s+to|nearly|almost|about|around|roughly|some|approximately|over|more\s+than)"
_COMPLETE = (
    r"(?:there|agreed|done|complete|completed|ready|finished|settled|finalised|finalized|"
    r"aligned|resolved|through|of\s+the\s+way)"
)
_COVERS = (
    r"(?:on|of\s+(?:the\s+)?(?:issues|points|questions|text|document|documents|framework|plan|"
    r"deal|agreement|draft|work|matters|provisions|way))"
)
# "close to 90 percent on the framework", "about 95 per cent of the issues"
APPROX_SHARE = re.compile(rf"\b{_APPROX}\s+{PERCENT.pattern}\s+{_COVERS}\b", re.IGNORECASE)
# "90% there", "ninety per cent agreed", "95 percent of the way there"
COMPLETION = re.compile(rf"{PERCENT.pattern}\s+{_COMPLETE}\b", re.IGNORECASE)


def number_value(text: str) -> int | None:
    """Return the value of "95", "95.5", "ninety-five" or "a hundred" (whole numbers)."""
    words = text.lower().replace("-", " ").split()
    if not words:
        return None
    if words[-1] == "hundred":
        return 100
    try:
        return int(float(words[0]))
    except ValueError:
        pass
    if any(w not in _WORD_VALUES for w in words):
        return None
    return sum(_WORD_VALUES[w] for w in words)


def find_percent(text: str) -> int | None:
    """Return the first percentage in a text as a whole number 0-100, else None."""
    for match in PERCENT.finditer(text):
        value = number_value(match.group(1))
        if value is not None and 0 <= value <= 100:
            return value
    return None


def status_percent_spans(text: str) -> list[tuple[int, int, int]]:
    """Return (start, end, value) of each percentage that says how far the talks have got."""
    found = []
    for pattern in (COMPLETION, APPROX_SHARE):
        for match in pattern.finditer(text):
            value = number_value(match.group(1))
            if value is not None and 0 <= value <= 100:
                found.append((match.start(), match.end(), value))
    return sorted(found)
