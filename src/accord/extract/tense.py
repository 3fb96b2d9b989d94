"""Tell whether a date expression names something already past or something still ahead.

News reports mostly tell what happened, so a weekday or a month-day without a year is read as
the most recent one on or before publication unless the words that govern it look ahead.
The governing words are found by distance: the tense cue nearest to the date expression wins
("Zelensky said on Tuesday that talks would resume": "said" is nearer than "would"), a cue
before the date beats one after it at the same distance, and a cue after the date is not looked
for across a conjunction that opens another clause ("on Friday that he will ...") nor across a
comma unless the date opens the sentence ("On Friday, Putin said").
"""

from __future__ import annotations

import functools
import re

PAST, FUTURE = "past", "future"

_FUTURE_CUES = re.compile(
    r"\b(?:will|won['’]t|shall|would|wouldn['’]t|to\s+be\s+held|due\s+(?:to|on|in|for)|"
    r"scheduled|planned|plans?\s+to|upcoming|forthcoming|expected\s+to|set\s+to|going\s+to|"
    r"intends?\s+to|aims?\s+to|hopes?\s+to|agreed\s+to|(?:is|are)\s+to|"
    r"(?:is|are|am)\s+(?:\w+ing)|later\s+this|next)\b|['’]ll\b",
    re.IGNORECASE,
)
# Past-tense and perfect forms that report an event; "-ed" words other than those that name a
# plan ("scheduled", "expected") or are mostly adjectives.
_PAST_CUES = re.compile(
    r"\b(?:said|told|met|held|spoke|signed|announced|took|gave|made|came|went|saw|began|begun|"
    r"sent|wrote|written|won|lost|left|flew|brought|sought|struck|hit|fell|rose|ran|led|broke|"
    r"shot|built|chose|drew|found|got|heard|kept|knew|paid|thought|threw|understood|"
    r"was|were|had|did|been|ago|previously|already|"
    r"(?!(?:scheduled|planned|expected|proposed|intended|needed|based|united|limited|"
    r"unprecedented|red|bed|shed)\b)\w{2,}ed)\b",
    re.IGNORECASE,
)
# A past form inside a future or modal verb group ("will be held", "would have met").
_MODAL_BEFORE = re.compile(
    r"\b(?:will|would|shall|to|could|might|may|must|should|can)\s+(?:not\s+)?"
    r"(?:be|have(?:\s+been)?|get)\s+$",
    re.IGNORECASE,
)
# Words that open another clause: a cue after one of them does not govern a date before it.
_CLAUSE_OPENERS = re.compile(
    r"\b(?:that|whether|because|although|though|but|while|if|unless|which|who)\b|;",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=2048)
def tense_cues(text: str) -> tuple[tuple[int, int, str], ...]:
    """Return (start, end, past|future) for every tense cue of a sentence, in text order."""
    futures = [(m.start(), m.end(), FUTURE) for m in _FUTURE_CUES.finditer(text)]
    taken = [(s, e) for s, e, _ in futures]
    cues = list(futures)
    for match in _PAST_CUES.finditer(text):
        start, end = match.start(), match.end()
        if any(s < end and start < e for s, e in taken):
            continue  # "agreed to", "set to": the future phrase wins
        before = text[max(0, start - 24) : start]
        cues.append((start, end, FUTURE if _MODAL_BEFORE.search(before) else PAST))
    return tuple(sorted(cues))


def direction(text: str, start: int, end: int) -> str | None:
    """Return whether the expression at [start, end) is past or future by its nearest cue.

    None when the sentence has no cue outside the expression itself.
    """
    best: tuple[int, int, str] | None = None
    for c_start, c_end, which in tense_cues(text):
        if c_end <= start:
            key = (start - c_end, 0, which)
        elif c_start >= end:
            if _CLAUSE_OPENERS.search(text, end, c_start):
                continue
            if "," in text[end:c_start] and text[:start].strip(" \"“‘'(—-"):
                continue  # "met ... on Monday, with talks expected to": only "On Monday, X said"
            key = (c_start - end, 1, which)
        else:
            continue  # a cue inside the expression ("last week") is the expression's own
        if best is None or key[:2] < best[:2]:
            best = key
    return best[2] if best else None
