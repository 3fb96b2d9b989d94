"""Shared pieces of the claim rules: constants, the carried context, token-level helpers."""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass

import numpy
from spacy.tokens import Doc

from accord.extract.dates import find_dates
from accord.extract.lexicon import Lexicon
from accord.extract.mentions import CueHit, IssueHit, Mention, PackIndex, Sentence

NEGATION_WINDOW = 3
UMBRELLA_PENALTY = 8
UMBRELLA_REACH = 5
APPOSITIVE_WORDS = 12
CLAUSE_PENALTY = 10
SUBJECT_GAP = 4
TIME_WORDS = (*calendar.day_name, *calendar.month_name[1:], "today")
CONDITION_WINDOW = 5
NEARLY = ("nearly", "almost", "largely", "mostly", "broadly", "virtually", "practically")
PLAN_VERB_REACH = 10
TERMS_REACH = 6
PLAN_CONTENT_VERBS = (
    "would",
    "will",
    "could",
    "should",
    "includes",
    "include",
    "included",
    "provides",
    "envisages",
    "envisions",
    "proposes",
    "calls",
    "foresees",
    "offers",
    "caps",
    "requires",
    "sets",
    "bars",
    "gives",
    "allows",
    "lets",
    "grants",
    "says",
    "stipulates",
    "demands",
    "contains",
    "covers",
    "foresaw",
    "proposed",
    "envisaged",
    "called",
)
NOUN_MARKERS = frozenset(
    {
        "a",
        "an",
        "the",
        "any",
        "such",
        "every",
        "full",
        "strong",
        "broad",
        "more",
        "some",
        "this",
        "that",
        "its",
        "their",
        "his",
        "her",
        "our",
        "your",
        "logistical",
        "military",
        "of",
    }
)
# Words whose "'s" is "is" or "has", not a possessive: "there's no deal", "it's agreed".
CONTRACTION_HOSTS = frozenset(
    "there it that what here who he she where how this everything nothing something".split()
)
DETERMINERS = frozenset({"a", "an", "the", "this", "that", "its", "their", "his", "her"})
PERCENT = re.compile(r"\b(\d{1,3}(?:\.\d+)?)\s*(?:%|per ?cent\b)")
PCT_STATUSES = frozenset({"agreed", "near_agreement", "progress"})
HARD_PUNCT = frozenset({";", "—", "–", "(", ")"})
AFTER_SPEECH = frozenset({"said", "says", "told", "added", "wrote", "noted", "warned", "stated"})
EVENT_RANK = {"call": 3, "meeting": 2, "talks": 1}
_PLACE = re.compile(r"\b(?:in|at)\s+(?:the\s+)?((?:[A-Z][\w'’.-]*)(?:\s+[A-Z][\w'’-]*)*)")
_NON_PLACES = re.compile(
    r"^(January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|The|A|An|Both|This|That)\b"
)


@dataclass
class Context:
    """What carries over between sentences: the current issue and the last event's parties."""

    issue: IssueHit | None = None
    event_parties: list[str] | None = None
    headline: IssueHit | None = None
    last_person: Mention | None = None
    plan_owner: list[str] | None = None
    proposal_issue: IssueHit | None = None
    plan_active: bool = False
    stale: bool = False


class RuleBase:
    """Token arrays and helpers of one document, shared by every rule family."""

    def __init__(
        self, doc: Doc, text: str, index: PackIndex, lexicon: Lexicon, published: dt.date | None
    ):
        """Prepare for one document (``text`` is ``doc.text``, passed to avoid rebuilding it)."""
        self.doc = doc
        self.text = text
        self.index = index
        self.lex = lexicon
        self.published = published
        self.demonym_at_end = {span.end: span.label_ for span in doc.spans["demonyms"]}
        strings = doc.vocab.strings
        lower = doc.to_array("LOWER")
        self.lower: list[int] = lower.tolist()
        self.idx: list[int] = doc.to_array("IDX").tolist()
        self.length: list[int] = doc.to_array("LENGTH").tolist()
        words = (*HARD_PUNCT, *lexicon.clause_breaks)
        breaks = [strings.add(w) for w in words if " " not in w]
        self.break_at: list[int] = numpy.flatnonzero(numpy.isin(lower, breaks)).tolist()
        self.break_set = set(self.break_at)
        bounds = [*breaks, strings.add(",")]
        self.bound_at: list[int] = numpy.flatnonzero(numpy.isin(lower, bounds)).tolist()
        self.comma = strings.add(",")
        self.h_by = strings.add("by")
        self.h_of = strings.add("of")
        self.h_between = strings.add("between")
        self.h_group_nouns = {strings.add(w) for w in lexicon.group_nouns} | {
            strings.add(w) for w in ("heads", "head", "chiefs", "representatives")
        }
        self.h_possessive = {strings.add("'s"), strings.add("’s")}
        self.h_contracted = {strings.add(w) for w in CONTRACTION_HOSTS}
        self.h_determiners = {strings.add(w) for w in DETERMINERS}
        self.h_owners = {strings.add(w) for w in ("his", "her", "their", "its", "our")}
        self.h_noun_markers = {strings.add(w) for w in NOUN_MARKERS}
        self.h_to = strings.add("to")
        self.h_conditions = {strings.add(w) for w in ("if", "whether", "unless")}
        self.h_sentence_punct = {strings.add(w) for w in (",", ".", ";", "!", "?")}
        self.h_plan_content = {strings.add(w) for w in PLAN_CONTENT_VERBS}
        self.h_time_words = {strings.add(w.lower()) for w in TIME_WORDS}
        self.h_event_stops = {strings.add(w) for w in ("to", "whether", "after", "before")}
        self.h_objects = {strings.add(w) for w in lexicon.object_prepositions if " " not in w}
        self.h_coordination = {strings.add(w) for w in (",", "and", "or", "the", "&")}
        self.h_reporting = {strings.add(w) for w in (",", "”", '"', "’")}
        self.h_stop = {strings.add(w) for w in (".", "!", "?")}
        self.h_semicolon = {strings.add(w) for w in (",", ";")}
        self.h_plan_words = {strings.add(w) for w in ("peace", "draft", "new", "revised")}
        self.h_joins = {strings.add(w) for w in (",", "and", "or", "plus", "nor")}
        self.h_as = strings.add("as")
        self.h_terms = {strings.add(w) for w in ("would", "will", "shall")}
        self.h_who = strings.add("who")
        self.h_participle_links = {strings.add(w) for w in ("as", "since", "until")}
        self.h_continuations = {
            tuple(strings.add(w) for w in phrase.split()) for phrase in lexicon.continuations
        }
        self.h_plan_links = {strings.add(w) for w in ("for", "to", "on")}
        self.h_nearly = {strings.add(w) for w in NEARLY}
        self.h_time_links = {strings.add(w) for w in ("before", "after", "since", "following")}
        self.h_relative = {strings.add(w) for w in ("who", "which", "whose", "whom")}
        self.h_any = {strings.add(w) for w in ("any", "every", "whichever")}
        self.h_maybe = {strings.add(w) for w in ("may", "might", "could", "possible", "potential")}
        self.h_according = strings.add("according")
        self.h_venue = {strings.add(w) for w in ("in", "at")}
        self.h_owner_links = {strings.add(w) for w in ("by", "from")}
        gap_words = (*lexicon.clause_breaks, ",", ";", ":", "—", "“", "”", '"', "(", ")")
        self.h_speech_gap = {strings.add(w) for w in gap_words if " " not in w}

    def span_text(self, start: int, end: int) -> str:
        """Return the text of tokens [start, end) without building token objects."""
        if end <= start:
            return ""
        return self.text[self.idx[start] : self.idx[end - 1] + self.length[end - 1]]

    def _possessive_at(self, i: int) -> bool:
        """Tell whether token i is a possessive "'s" (not "there's", "it's")."""
        return (
            0 < i < len(self.lower)
            and self.lower[i] in self.h_possessive
            and self.lower[i - 1] not in self.h_contracted
        )

    def _has_break(self, start: int, end: int) -> bool:
        """Tell whether a clause break lies among tokens [start, end)."""
        i = bisect.bisect_left(self.break_at, start)
        return i < len(self.break_at) and self.break_at[i] < end

    def _is_break(self, i: int) -> bool:
        return i in self.break_set

    def _clause(self, sent: Sentence, start: int, end: int) -> tuple[int, int]:
        """Return the comma/clause-bounded token range around [start, end)."""
        bounds = self.bound_at
        i = bisect.bisect_left(bounds, start)
        left = bounds[i - 1] + 1 if i > 0 else 0
        j = bisect.bisect_left(bounds, end)
        right = bounds[j] if j < len(bounds) else len(self.lower)
        return max(left, sent.span.start), min(right, sent.span.end)

    def _is_object(self, mention: Mention) -> bool:
        if mention.start == 0:
            return False
        at = mention.start - 1
        prev = self.lower[at]
        if prev in self.h_determiners and at > 0:
            at -= 1
            prev = self.lower[at]
        if prev == self.h_of and at > 0:
            head = self.lower[at - 1]
            return head not in self.h_group_nouns
        return prev in self.h_objects

    def _coordinated(self, mentions: list[Mention], head: Mention) -> list[Mention]:
        """Return the head mention plus actors listed with it ("France, Germany and Britain")."""
        group = [head]
        idx = mentions.index(head)
        for step in (-1, 1):
            j = idx + step
            edge = head
            while 0 <= j < len(mentions):
                other = mentions[j]
                a, b = (other.end, edge.start) if step < 0 else (edge.end, other.start)
                gap = self.lower[a:b] or self.lower[a - 1 : a]  # "Russian and| Ukrainian ..."
                if not gap or not all(
                    g in self.h_coordination or g in self.h_group_nouns for g in gap
                ):  # "US envoys and Zelenskiy": a group noun may follow the first actor
                    break
                group.append(other)
                edge = other
                j += step
        return group

    def _holders(self, mentions: list[Mention]) -> list[str]:
        out: list[str] = []
        for m in mentions:
            for h in m.holders:
                if h not in out:
                    out.append(h)
        return out

    def _speaker_id(self, mentions: list[Mention]) -> str | None:
        persons = [m.actor for m in mentions if m.is_person]
        return (
            persons[0]
            if persons
            else (mentions[0].actor if mentions and not mentions[0].collective else None)
        )

    def _date(
        self,
        sent: Sentence,
        until: int,
        default_precision: str,
        since: int = 0,
        *,
        ahead_ok: bool = False,
    ) -> tuple[str | None, str | None]:
        """Return the first date in the sentence between two character offsets, else the default.

        Only an event (``ahead_ok``) may be dated after publication: what someone said or
        assessed was said by the time it was published.
        """
        if sent.dates is None:
            sent.dates = find_dates(sent.text, self.published)
        for found in sent.dates:
            if not ahead_ok and self.published is not None and found.date > self.published:
                continue
            if since <= sent.start_char + found.start <= until:
                return found.date.isoformat(), found.precision
        if self.published is None:
            return None, None
        return self.published.isoformat(), default_precision

    def _summary(self, sent: Sentence, cue: CueHit) -> str:
        _left, right = self._clause(sent, cue.start, cue.end)
        words = self.span_text(cue.end, right).strip(" “”\"'")
        text = words if words else cue.text
        return " ".join(text.split()[:14])

    def _negated(self, sent: Sentence, cue: CueHit) -> bool:
        for start, end in sent.negators:
            if (
                end <= cue.start
                and cue.start - end < NEGATION_WINDOW
                and not any(self.lower[i] in self.h_semicolon for i in range(end, cue.start))
            ):
                return True
            if start >= cue.start and end <= cue.end:  # "not agreed" inside the cue itself
                return False
        return False
