"""Claim rules for one sentence: who holds which stance or status on which issue, and events."""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass

import numpy
from spacy.tokens import Doc

from accord.extract.contract import ClaimOut
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
PLAN_VERB_REACH = 10
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
    }
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
    stale: bool = False


class SentenceRules:
    """Apply the claim rules to sentences of one document."""

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
        self.h_determiners = {strings.add(w) for w in DETERMINERS}
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
        self.h_owner_links = {strings.add(w) for w in ("by", "from")}
        gap_words = (*lexicon.clause_breaks, ",", ";", ":", "—", "“", "”", '"', "(", ")")
        self.h_speech_gap = {strings.add(w) for w in gap_words if " " not in w}

    def span_text(self, start: int, end: int) -> str:
        """Return the text of tokens [start, end) without building token objects."""
        if end <= start:
            return ""
        return self.text[self.idx[start] : self.idx[end - 1] + self.length[end - 1]]

    def _has_break(self, start: int, end: int) -> bool:
        """Tell whether a clause break lies among tokens [start, end)."""
        i = bisect.bisect_left(self.break_at, start)
        return i < len(self.break_at) and self.break_at[i] < end

    # --- helpers ------------------------------------------------------------------------------
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

    def _collective_mentions(self, sent: Sentence, ctx: Context) -> list[Mention]:
        if not ctx.event_parties:
            return []
        return [
            Mention(s, e, "collective", list(ctx.event_parties), collective=True)
            for s, e in sent.collectives
        ]

    def _mentions(self, sent: Sentence, ctx: Context) -> list[Mention]:
        found = sent.actors + self._collective_mentions(sent, ctx)
        last = ctx.last_person
        for position in sent.pronouns:
            before = [m for m in sent.actors if m.is_person and m.end <= position]
            ref = before[-1] if before else last
            if ref is not None:
                found.append(Mention(position, position + 1, ref.actor, list(ref.holders), True))
        persons = [m for m in sent.actors if m.is_person]
        if persons:
            ctx.last_person = persons[-1]
        return sorted(found, key=lambda m: m.start)

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
                gap = self.lower[a:b]
                if not gap or not all(g in self.h_coordination for g in gap):
                    break
                group.append(other)
                edge = other
                j += step
        return group

    def _left_agent(self, sent: Sentence, mentions: list[Mention], cue: CueHit) -> list[Mention]:
        """Find who acts at a cue: the clause's subject after any speech verb, never an object.

        Without one in the clause, every actor named before the clause (back to a hard break)
        that is not an object: "the leaders of France and Germany, joined by NATO, proposed".
        """
        if cue.start > 0 and self.lower[cue.start - 1] in self.h_possessive:
            owner = [m for m in mentions if m.end == cue.start - 1]
            return self._coordinated(mentions, owner[0]) if owner else []
        left, _right = self._clause(sent, cue.start, cue.end)
        speech_ends = [e for s_, e, _p in sent.speech if left <= s_ and e <= cue.start]
        floor = max(speech_ends, default=left)
        for m in mentions:
            if floor <= m.start and m.end <= cue.start and not self._is_object(m):
                if self._is_possessor(m) and not self._owns_group(m):
                    continue  # "Ukraine's future", but "Ukraine's negotiators" acts
                return self._coordinated(mentions, m)
        group: list[Mention] = []
        for m in mentions:
            if m.end <= left and not self._has_break(m.end, cue.start) and not self._is_object(m):
                group.extend(x for x in self._coordinated(mentions, m) if x not in group)
        return group

    def _by_agents(self, mentions: list[Mention], cue: CueHit) -> list[Mention]:
        """Actors of a passive ``<cue> by X and Y``."""
        if cue.end < len(self.lower) and self.lower[cue.end] == self.h_by:
            for m in mentions:
                if cue.end < m.start <= cue.end + 3:
                    return self._coordinated(mentions, m)
        return []

    def _speakers(self, sent: Sentence, mentions: list[Mention]) -> list[tuple[int, list[Mention]]]:
        """Return (speech-verb position, speaker mentions) for each reported-speech marker."""
        found: list[tuple[int, list[Mention]]] = []
        for start, end, phrase in sent.speech:
            if phrase == "according to":
                after = [m for m in mentions if end <= m.start <= end + 2]
                if after:
                    found.append((start, self._coordinated(mentions, after[0])))
                continue
            appositive = self._appositive_subject(mentions, start)
            if appositive is not None:
                found.append((start, self._coordinated(mentions, appositive)))
                continue
            before = [
                m
                for m in mentions
                if m.end <= start
                and start - m.end <= 4
                and (not self._is_possessor(m) or self._owns_group(m))
            ]
            before = [
                m
                for m in before
                if not any(self.lower[i] in self.h_speech_gap for i in range(m.end, start))
            ]
            if before:
                found.append((start, self._coordinated(mentions, before[-1])))
                continue
            after = [
                m
                for m in mentions
                if m.start == end
                and (m.end >= sent.span.end or self.lower[m.end] in self.h_sentence_punct)
            ]
            if after and phrase in AFTER_SPEECH:
                found.append((start, self._coordinated(mentions, after[0])))
                continue
            subject = self._clause_subject(sent, mentions, start)
            if subject is not None:
                found.append((start, self._coordinated(mentions, subject)))
        return found

    def _owns_group(self, mention: Mention) -> bool:
        """Tell whether a possessor is followed by a group noun ("Kyiv's negotiators")."""
        at = mention.end + 1
        return at < len(self.lower) and self.lower[at] in self.h_group_nouns

    def _is_possessor(self, mention: Mention) -> bool:
        return mention.end < len(self.lower) and self.lower[mention.end] in self.h_possessive

    def _clause_subject(self, sent: Sentence, mentions: list[Mention], verb: int) -> Mention | None:
        """Return the first actor of the verb's clause ("Putin again questioned ... and said")."""
        left, _right = self._clause(sent, verb, verb + 1)
        for m in mentions:
            if left <= m.start and m.end <= verb:
                if self._is_object(m) or self._is_possessor(m):
                    continue
                return m
        return None

    def _appositive_subject(self, mentions: list[Mention], verb_start: int) -> Mention | None:
        """Return X in "X, <description>, said" (an appositive between commas before the verb)."""
        at = verb_start - 1
        if at < 1 or self.lower[at] != self.comma:
            return None
        for i in range(at - 1, max(at - APPOSITIVE_WORDS, 0), -1):
            if self.lower[i] == self.comma:
                owners = [m for m in mentions if m.end == i]
                return owners[0] if owners else None
            if i in self.break_set:
                return None
        return None

    def _conditional(self, sent: Sentence, cue: CueHit) -> bool:
        """Tell whether a cue sits in an if/whether clause (up to five words before it)."""
        for i in range(max(sent.span.start, cue.start - CONDITION_WINDOW), cue.start):
            if self.lower[i] in self.h_conditions and not self._has_break(i, cue.start):
                return True
        return False

    def _dated_agreement(self, cue: CueHit) -> bool:
        """Tell whether "<agreed> on <day or date> to ..." follows, an agreement to act."""
        at = cue.end
        if at >= len(self.lower) or self.lower[at] not in self.h_time_words:
            return False
        return any(self.lower[i] == self.h_to for i in range(at + 1, min(at + 4, len(self.lower))))

    def _reporting_clause(self, verb_start: int) -> bool:
        """Tell whether a speech verb closes the sentence's report (``..., Trump said``)."""
        return any(
            self.lower[i] in self.h_reporting
            for i in range(verb_start - 1, max(verb_start - 6, -1), -1)
        )

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

    def _issue(self, sent: Sentence, cue: CueHit, ctx: Context) -> tuple[IssueHit | None, bool]:
        """Pick the issue for a cue.

        In order: the nearest keyword in the sentence (specific ones first, the umbrella issue
        when it is right beside the cue), the topic carried from the previous sentence of the
        paragraph, the umbrella issue named anywhere in the sentence, the topic carried across a
        paragraph break (stances only: a status without an issue is about the talks as a whole),
        the headline's issue, and finally the umbrella issue itself.
        """
        specific = [h for h in sent.issues if not h.umbrella]
        left, right = self._clause(sent, cue.start, cue.end)

        def distance(hit: IssueHit) -> tuple[int, bool]:
            gap = max(hit.start - cue.end, cue.start - hit.end, 0)
            outside = 0 if left <= hit.start < right else CLAUSE_PENALTY
            return gap + outside + (UMBRELLA_PENALTY if hit.umbrella else 0), hit.umbrella

        close_umbrella = [
            h
            for h in sent.issues
            if h.umbrella
            and left <= h.start < right
            and max(h.start - cue.end, cue.start - h.end) <= UMBRELLA_REACH
        ]
        if specific:
            return min(sent.issues, key=distance), False
        if close_umbrella:
            return close_umbrella[0], False
        carried = ctx.issue if ctx.issue is not None and not ctx.issue.umbrella else None
        if carried is not None and not ctx.stale:
            return carried, True
        if sent.issues:
            return min(sent.issues, key=distance), False
        if carried is not None and cue.cue.kind != "status":
            return carried, True
        if cue.cue.kind != "status" and ctx.headline is not None:
            return ctx.headline, True
        if self.index.umbrella:
            return IssueHit(cue.start, cue.end, self.index.umbrella, None, True), True
        return None, False

    def _object_issues(self, sent: Sentence, cue: CueHit) -> list[IssueHit]:
        """Distinct specific issues named after a stance cue, up to the next cue or clause break."""
        stop = min([c.start for c in sent.cues if c.start >= cue.end] + [sent.span.end])
        for i in range(cue.end, stop):
            if self._is_break(i):
                stop = i
                break
        found: dict[str, IssueHit] = {}
        for hit in sent.issues:
            if not hit.umbrella and cue.end <= hit.start < stop:
                found.setdefault(hit.issue, hit)
        return list(found.values()) if len(found) > 1 else []

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

    def _summary(self, sent: Sentence, cue: CueHit) -> str:
        _left, right = self._clause(sent, cue.start, cue.end)
        words = self.span_text(cue.end, right).strip(" “”\"'")
        text = words if words else cue.text
        return " ".join(text.split()[:14])

    def _date(
        self, sent: Sentence, until: int, default_precision: str, since: int = 0
    ) -> tuple[str | None, str | None]:
        """Return the first date in the sentence between two character offsets, else the default."""
        if sent.dates is None:
            sent.dates = find_dates(sent.text, self.published)
        for found in sent.dates:
            if since <= sent.start_char + found.start <= until:
                return found.date.isoformat(), found.precision
        if self.published is None:
            return None, None
        return self.published.isoformat(), default_precision

    def _progress_pct(self, sent: Sentence, cue: CueHit) -> int | None:
        """Return a percentage given with a status ("95% there", "90% of the issues")."""
        left, right = self._clause(sent, cue.start, cue.end)
        text = self.span_text(left, max(right, cue.end))
        match = PERCENT.search(text)
        if match is None:
            return None
        value = int(float(match.group(1)))
        return value if 0 <= value <= 100 else None

    # --- the rules ----------------------------------------------------------------------------
    def apply(self, sent: Sentence, ctx: Context, heading: bool = False) -> list[ClaimOut]:
        """Return the claims of one sentence (none for a heading), updating the carried context."""
        claims: list[ClaimOut] = []
        if heading:
            ctx.plan_owner = self._plan_owner(sent, self._mentions(sent, ctx))[0] or ctx.plan_owner
            return claims
        mentions = self._mentions(sent, ctx)
        speakers = self._speakers(sent, mentions)
        hedged = bool(sent.hedges)
        events = [c for c in sent.cues if c.cue.kind == "event"]
        claims.extend(self._events(sent, mentions, events, ctx, hedged))
        for cue in sent.cues:
            if cue.cue.kind == "event":
                continue
            claims.extend(self._claims_for_cue(sent, mentions, speakers, cue, ctx, hedged))
        if sent.plans and any(c.kind == "proposal" for c in claims):
            ctx.plan_owner = sorted({c.holder for c in claims if c.kind == "proposal" and c.holder})
        claims.extend(self._plan_proposals(sent, mentions, ctx))
        specific = [h for h in sent.issues if not h.umbrella]
        ctx.stale = False
        if specific:
            ctx.issue = specific[-1]
        elif sent.issues and ctx.issue is None:
            ctx.issue = sent.issues[-1]
        return claims

    def _claims_for_cue(
        self,
        sent: Sentence,
        mentions: list[Mention],
        speakers: list[tuple[int, list[Mention]]],
        cue: CueHit,
        ctx: Context,
        hedged: bool,
    ) -> list[ClaimOut]:
        kind, value = cue.cue.kind, cue.cue.value
        if cue.text.lower().endswith(" on") and self._dated_agreement(cue):
            kind, value = "position", "support"  # "agreed on Wednesday to add ..."
        prev = self.lower[cue.start - 1] if cue.start > 0 else 0
        at_end = cue.end >= sent.span.end or self.lower[cue.end] in self.h_stop
        if kind == "ignore" or (kind == "proposal" and at_end):
            return []
        if kind in ("proposal", "position") and prev in self.h_noun_markers:
            return []  # "a proposed truce", "any demand", "every support": a noun, not a stance
        if self._conditional(sent, cue):
            return []  # "if Russia agreed to ...", "whether Moscow would accept ...": not asserted
        negated = self._negated(sent, cue)
        if negated:
            if kind == "proposal" or (kind == "position" and value != "support"):
                return []
            value = {
                "support": "oppose",
                "agreed": "unresolved",
                "near_agreement": "unresolved",
                "progress": "stalled",
            }.get(value, value)
            if (
                kind == "status"
                and value in ("unresolved", "stalled")
                and cue.cue.value in ("unresolved", "stalled")
            ):
                return []
        issue, carried = self._issue(sent, cue, ctx)
        objects = self._object_issues(sent, cue)
        if issue is None:
            return []
        holder_mentions: list[Mention] = []
        confidence = 0.85
        possessive_cue = cue.start > 0 and self.lower[cue.start - 1] in self.h_possessive
        passive_by = cue.end < len(self.lower) and self.lower[cue.end] == self.h_by
        if possessive_cue or passive_by:
            holder_mentions = (
                self._by_agents(mentions, cue)
                if passive_by
                else self._left_agent(sent, mentions, cue)
            )
            if not holder_mentions:
                return []  # "Budapest's veto", "backed by frozen assets": no actor acts here
        elif kind == "position" and cue.text.lower() in self.lex.assessments:
            holder_mentions = self._status_holders(sent, mentions, speakers, cue)
        elif kind in ("position", "proposal"):
            holder_mentions = self._by_agents(mentions, cue) or self._left_agent(
                sent, mentions, cue
            )
            if not holder_mentions:
                before = [s for s in speakers if s[0] < cue.start]
                after = [s for s in speakers if s[0] > cue.start and self._reporting_clause(s[0])]
                holder_mentions = before[-1][1] if before else (after[0][1] if after else [])
                confidence -= 0.1
        else:
            holder_mentions = self._status_holders(sent, mentions, speakers, cue)
        if not holder_mentions:
            return []
        if carried:
            confidence -= 0.1
        if hedged:
            confidence -= 0.25
        speaker_mentions = [m for _pos, group in speakers for m in group]
        speaker = self._speaker_id(
            [m for m in holder_mentions if m.is_person] or speaker_mentions or holder_mentions
        )
        date, precision = self._date(sent, self.idx[cue.end - 1], "day")
        claims = []
        targets = [(h, hd) for h in (objects or [issue]) for hd in self._holders(holder_mentions)]
        for issue, holder in targets:
            claim = ClaimOut(
                kind=kind,  # type: ignore[arg-type]
                issue=issue.issue,
                sub_issue=issue.sub_issue,
                holder=holder,
                speaker=speaker,
                summary=self._summary(sent, cue),
                quote=sent.text,
                span=(sent.start_char, sent.end_char),
                confidence=round(max(0.05, min(1.0, confidence)), 2),
                negated=negated,
                hedged=hedged,
                date=date,
                date_precision=precision,  # type: ignore[arg-type]
            )
            if kind == "status":
                pct = self._progress_pct(sent, cue) if value in PCT_STATUSES else None
                if pct is not None:
                    value = "agreed" if pct == 100 else ("near_agreement" if pct >= 50 else value)
                claim.status = value  # type: ignore[assignment]
                claim.progress_pct = pct
            elif kind == "proposal":
                claim.stance = "propose"
            else:
                claim.stance = value  # type: ignore[assignment]
            claims.append(claim)
        return claims

    def _plan_owner(self, sent: Sentence, mentions: list[Mention]) -> tuple[list[str], bool]:
        """Return who owns a plan named in the sentence, and whether a "by"/"from" link says so."""
        for start, end in sent.plans:
            for link in range(end, min(end + 4, sent.span.end)):
                if self.lower[link] in self.h_owner_links:
                    after = [m for m in mentions if link < m.start <= link + 2]
                    if after:
                        return self._holders(self._coordinated(mentions, after[0])), True
                    break
            before = start - 1
            while before >= sent.span.start and self.lower[before] in self.h_plan_words:
                before -= 1
            if before < sent.span.start:
                continue
            if self.lower[before] in self.h_possessive:
                owners = [m for m in mentions if m.end == before]
                if owners:
                    return self._holders(self._coordinated(mentions, owners[0])), False
            if before + 1 in self.demonym_at_end:
                return [self.demonym_at_end[before + 1]], False
            owners = [m for m in mentions if m.end == before + 1]
            if owners:
                return self._holders(owners), False
        return [], False

    def _plan_proposals(
        self, sent: Sentence, mentions: list[Mention], ctx: Context
    ) -> list[ClaimOut]:
        """Proposals for each issue of a sentence that names or continues an owned plan."""
        owner, by_link = self._plan_owner(sent, mentions)
        names_plan = bool(owner)
        if owner:
            ctx.plan_owner = owner
        elif ctx.plan_owner and self._continues_plan(sent):
            owner = ctx.plan_owner
        if not owner:
            return []
        # A sentence naming the plan proposes what it says after the plan noun ("the US plan
        # would cap the army"); one that continues it proposes every issue it names.
        after = sent.plans[0][1] if names_plan else sent.span.start
        issues: dict[str, IssueHit] = {}
        if not names_plan or self._describes_plan(sent):
            for hit in sent.issues:
                if not hit.umbrella and hit.start >= after:
                    issues.setdefault(hit.issue, hit)
        drafted = by_link or any(c.cue.kind == "proposal" for c in sent.cues)
        if not issues and names_plan and drafted and self.index.umbrella:
            start, _end = sent.plans[0]
            issues[self.index.umbrella] = IssueHit(
                start, start + 1, self.index.umbrella, None, True
            )
        date, precision = self._date(sent, sent.end_char, "day")
        return [
            ClaimOut(
                kind="proposal",
                issue=hit.issue,
                sub_issue=hit.sub_issue,
                holder=holder,
                stance="propose",
                summary=" ".join(self.span_text(hit.start, sent.span.end).split()[:14]),
                quote=sent.text,
                span=(sent.start_char, sent.end_char),
                confidence=0.6,
                hedged=bool(sent.hedges),
                date=date,
                date_precision=precision,
            )  # type: ignore[arg-type]
            for hit in issues.values()
            for holder in owner
        ]

    def _describes_plan(self, sent: Sentence) -> bool:
        """Tell whether a plan noun is followed by what it does ("the US plan would cap ...")."""
        for _start, end in sent.plans:
            for at in range(end, min(end + PLAN_VERB_REACH, sent.span.end)):
                if at in self.break_set:
                    break
                if self.lower[at] in self.h_plan_content:
                    return True
        return any(c.cue.kind == "proposal" for c in sent.cues)

    def _continues_plan(self, sent: Sentence) -> bool:
        words = [
            t.lower_ for t in self.doc[sent.span.start : min(sent.span.start + 4, sent.span.end)]
        ]
        if any(" ".join(words[:n]) in self.lex.continuations for n in range(1, 5)):
            return True
        speech_starts = {s for s, _e, _p in sent.speech}
        return any(end in speech_starts or end + 1 in speech_starts for _s, end in sent.plans)

    def _status_holders(
        self,
        sent: Sentence,
        mentions: list[Mention],
        speakers: list[tuple[int, list[Mention]]],
        cue: CueHit,
    ) -> list[Mention]:
        """Who makes a status assessment: the reporting speaker, else an assessing subject."""
        before = [s for s in speakers if s[0] < cue.start]
        if before:
            return before[-1][1]
        left = self._left_agent(sent, mentions, cue)
        last_end = max((m.end for m in left), default=cue.start)
        if left and any(last_end <= s < cue.start for s, _e, _p in sent.speech):
            return left
        if speakers:
            return speakers[0][1]
        if left and cue.start - last_end <= SUBJECT_GAP:
            return left
        return []

    def _events(
        self,
        sent: Sentence,
        mentions: list[Mention],
        cues: list[CueHit],
        ctx: Context,
        hedged: bool,
    ) -> list[ClaimOut]:
        claims: list[ClaimOut] = []
        by_clause: dict[tuple[int, int], CueHit] = {}
        for cue in cues:
            clause = self._clause(sent, cue.start, cue.end)
            best = by_clause.get(clause)
            if best is None or EVENT_RANK[cue.cue.value] > EVENT_RANK[best.cue.value]:
                by_clause[clause] = cue
        for (left, right), cue in by_clause.items():
            if self._negated(sent, cue):
                continue
            for stop in range(cue.end + 1, right):
                if self.lower[stop] in self.h_event_stops:
                    right = stop  # "meet in Brussels to decide whether to fund Ukraine"
                    break
            inside = self._between(mentions, cue) or [
                m for m in mentions if left <= m.start and m.end <= right
            ]
            for m in list(inside):
                inside.extend(x for x in self._coordinated(mentions, m) if x not in inside)
            parties = self._holders(inside)
            kinds = {self.index.kinds.get(p) for p in parties}
            single_ok = cue.text.lower() != "talks" and bool(kinds & {"coalition", "organisation"})
            if len(parties) < 2 and not (parties and single_ok):
                continue
            clause_text = self.span_text(left, right)
            date, precision = self._date(sent, self.idx[right - 1], "approx", self.idx[left])
            issue = next(
                (h for h in sent.issues if not h.umbrella and left <= h.start < right), None
            )
            claims.append(
                ClaimOut(
                    kind="event",
                    issue=issue.issue if issue else None,
                    event_type=cue.cue.value,  # type: ignore[arg-type]
                    participants=sorted(parties),
                    place=self._place(clause_text, inside),
                    date=date,
                    date_precision=precision,  # type: ignore[arg-type]
                    summary=" ".join(clause_text.split()[:16]),
                    quote=sent.text,
                    span=(sent.start_char, sent.end_char),
                    confidence=0.5 if hedged else 0.75,
                    hedged=hedged,
                )
            )
            if len(parties) >= 2:
                ctx.event_parties = sorted(parties)
        return claims

    def _between(self, mentions: list[Mention], cue: CueHit) -> list[Mention]:
        """Return the parties of "<event> between X and Y", when the cue is followed by it."""
        for at in range(cue.end - 1, min(cue.end + 3, len(self.lower))):
            if self.lower[at] == self.h_between:
                after = [m for m in mentions if at < m.start <= at + 3]
                return self._coordinated(mentions, after[0]) if after else []
        return []

    def _place(self, clause_text: str, inside: list[Mention]) -> str | None:
        actor_words = {self.span_text(m.start, m.end) for m in inside}
        for match in _PLACE.finditer(clause_text):
            name = re.sub(r"^[\w.-]+['’]s\s+", "", match.group(1)).strip(" .")
            name = re.sub(r"\s+(residence|estate|palace|resort)$", "", name, flags=re.IGNORECASE)
            if name and not _NON_PLACES.match(name) and name not in actor_words:
                return name
        return None
