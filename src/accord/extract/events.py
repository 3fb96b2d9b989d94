"""Events: meetings, calls and talks with their parties, place and date.

Only events that took place or are scheduled count: an offer of talks ("proposed direct
talks", "ready to meet"), a question ("Has X committed to a meeting?"), talks put on hold or
postponed, and an event named only as a point in time ("after the summit") are not events.
"""

from __future__ import annotations

import re

from accord.extract.contract import ClaimOut
from accord.extract.lexicon import Cue
from accord.extract.mentions import CueHit, Mention, Sentence
from accord.extract.rule_base import _NON_PLACES, _PLACE, EVENT_RANK, Context, RuleBase

OFFER_WINDOW = 4
BETWEEN_REACH = 10
# Words before an event cue that make it an offer or a wish, not an event ("ready to meet").
OFFER_WORDS = frozenset(
    "proposed proposes propose proposing offered offers offer offering ready willing prepared "
    "open invited invites inviting invitation suggested suggests suggesting urged urges urging "
    "seeks sought seeking wants wanted want hopes hoped hoping push pushed pushing possibility "
    "revive reviving resume resuming resumption".split()
)
# Words in an event's clause that say it is not going ahead (as planned).
OFF_WORDS = frozenset(
    "postpone postponed postponing postponement cancel cancelled canceled cancelling "
    "pause paused suspended suspend shelved delayed".split()
)
OFF_PHRASES = (("on", "hold"), ("called", "off"), ("put", "off"))
PASSIVE_AUX = frozenset({"been", "was", "were", "is", "are", "be", "being"})
# Words after which an actor is what an event is about, not a party to it ("support for Kyiv").
TOPIC_PREPOSITIONS = frozenset(
    {"for", "on", "about", "over", "against", "toward", "towards", "regarding", "concerning"}
)
# Verbs of travel: "travelled to France" names a destination, not a party.
TRAVEL_WORDS = frozenset(
    "travelled traveled travelling traveling travel flew fly flying headed heading head route "
    "returned returning trip visit journey arrived came went going arrives".split()
)
# Words that go on listing an event's parties past the clause ("..., as well as X").
EXTENDERS = (("as", "well", "as"), ("along", "with"), ("alongside",), ("together", "with"))
# Extra stops after an event cue: the event's clause ends before them.
EXTRA_STOPS = ("as", ":", "ahead", "amid", "following", "since", "despite", "while", "that")
CALL_VERBS = frozenset({"called", "phoned", "rang"})
# What may follow "X called <person>" when it is a phone call ("called Putin to discuss").
CALL_FOLLOWERS = frozenset(
    {
        "to",
        "on",
        "and",
        ",",
        ".",
        "after",
        "before",
        "last",
        "yesterday",
        "today",
        "earlier",
        "late",
    }
)
POSSESSIVE_PRONOUNS = frozenset({"his", "her", "their"})
SEPARATE_WORDS = frozenset({"separately", "separate"})
CALL = Cue("event", "call")


class EventRules(RuleBase):
    """Event claims of a sentence."""

    def _event_words(self) -> None:
        if hasattr(self, "h_offer"):
            return
        strings = self.doc.vocab.strings
        self.h_offer = {strings.add(w) for w in OFFER_WORDS}
        self.h_off = {strings.add(w) for w in OFF_WORDS}
        self.h_off_phrases = {tuple(strings.add(w) for w in p) for p in OFF_PHRASES}
        self.h_passive = {strings.add(w) for w in PASSIVE_AUX}
        self.h_topic = {strings.add(w) for w in TOPIC_PREPOSITIONS}
        self.h_travel = {strings.add(w) for w in TRAVEL_WORDS}
        self.h_extenders = [tuple(strings.add(w) for w in p) for p in EXTENDERS]
        self.h_extra_stops = {strings.add(w) for w in EXTRA_STOPS}
        self.h_call_verbs = {strings.add(w) for w in CALL_VERBS}
        self.h_call_followers = {strings.add(w) for w in CALL_FOLLOWERS}
        self.h_poss_pronouns = {strings.add(w) for w in POSSESSIVE_PRONOUNS}
        self.h_separate = {strings.add(w) for w in SEPARATE_WORDS}
        self.h_with = strings.add("with")
        self.h_question = strings.add("?")
        self.h_met = strings.add("met")
        self.h_indefinite = {strings.add("a"), strings.add("an")}

    def _events(
        self,
        sent: Sentence,
        mentions: list[Mention],
        cues: list[CueHit],
        ctx: Context,
        hedged: bool,
    ) -> list[ClaimOut]:
        self._event_words()
        if sent.span.end > sent.span.start and self.lower[sent.span.end - 1] == self.h_question:
            return []  # "Has Putin committed to a meeting with Zelenskiy?": asked, not reported
        claims: list[ClaimOut] = []
        by_clause: dict[tuple[int, int], CueHit] = {}
        owned: dict[tuple[int, int], list[Mention]] = {}
        for cue in [*cues, *self._call_verbs(sent, mentions, cues)]:
            clause = self._clause(sent, cue.start, cue.end)
            parties = self._owned_event(sent, mentions, cue)
            if parties is not None:  # "his meeting with Y": an event of its own in any clause
                owned[(cue.start, cue.end)] = parties
                by_clause[(cue.start, cue.end)] = cue
                continue
            best = by_clause.get(clause)
            if best is None or EVENT_RANK[cue.cue.value] > EVENT_RANK[best.cue.value]:
                by_clause[clause] = cue
        for key, cue in by_clause.items():
            left, right = self._clause(sent, cue.start, cue.end)
            if self._negated(sent, cue) or self._not_held(sent, mentions, cue, left, right):
                continue
            own = owned.get(key)
            if own is None and self._hypothetical(sent, cue):
                own = self._named_before(mentions, cue)  # "after the Coalition summit"
                if not own:
                    continue
            between = self._between(mentions, cue, right)
            for stop in range(cue.end + 1, right):
                if self.lower[stop] in self.h_event_stops or self.lower[stop] in self.h_extra_stops:
                    right = stop  # "meet in Brussels to decide whether to fund Ukraine"
                    break
            if own is not None:
                inside = list(own)
            else:
                inside = between or self._parties_in(mentions, left, right)
                inside.extend(
                    m for m in self._relative_antecedent(mentions, left) if m not in inside
                )
                inside.extend(m for m in self._extended(sent, mentions, right) if m not in inside)
                for m in list(inside):
                    inside.extend(x for x in self._coordinated(mentions, m) if x not in inside)
                inside = [m for m in inside if not self._topic_of(m) and not self._possession(m)]
            groups = self._separately(sent, mentions, inside, cue, left, right)
            for group in groups or [inside]:
                claim = self._claim(sent, cue, group, left, right, hedged)
                if claim is not None:
                    claims.append(claim)
                    if len(claim.participants or []) >= 2:
                        ctx.event_parties = list(claim.participants or [])
        return claims

    def _claim(
        self,
        sent: Sentence,
        cue: CueHit,
        inside: list[Mention],
        left: int,
        right: int,
        hedged: bool,
    ) -> ClaimOut | None:
        parties = self._holders(inside)
        kinds = {self.index.kinds.get(p) for p in parties}
        single_ok = cue.text.lower() != "talks" and bool(kinds & {"coalition", "organisation"})
        if len(parties) < 2 and not (parties and single_ok):
            return None
        clause_text = self.span_text(left, right)
        date, precision = self._date(
            sent, self.idx[right - 1], "approx", self.idx[left], ahead_ok=True
        )
        issue = next((h for h in sent.issues if not h.umbrella and left <= h.start < right), None)
        return ClaimOut(
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

    def _parties_in(self, mentions: list[Mention], left: int, right: int) -> list[Mention]:
        """Return the actors named in an event's clause, leaving out venues."""
        return [m for m in mentions if left <= m.start and m.end <= right and not self._is_venue(m)]

    def _call_verbs(
        self, sent: Sentence, mentions: list[Mention], cues: list[CueHit]
    ) -> list[CueHit]:
        """Return "X called Y" and "X phoned Y" as call cues: a call verb right before an actor."""
        if not any(verb in sent.text for verb in CALL_VERBS):
            return []
        taken = {i for c in cues for i in range(c.start, c.end)}
        starts = {m.start: m for m in mentions if not m.collective}
        found = []
        for i in range(sent.span.start, sent.span.end - 1):
            if self.lower[i] not in self.h_call_verbs or i in taken:
                continue
            m = starts.get(i + 1)
            if m is None or not m.is_person or m.end >= len(self.lower):
                continue  # "called Europe to ...": not a call
            if self.lower[m.end] not in self.h_call_followers:
                continue  # "called Putin a liar", "called Putin's plan ...": not a call
            found.append(CueHit(i, i + 1, CALL, self.doc[i].text))
        return found

    def _not_held(
        self, sent: Sentence, mentions: list[Mention], cue: CueHit, left: int, right: int
    ) -> bool:
        """Tell whether an event is only offered, put off or passive ("has been met with")."""
        start = max(sent.span.start, cue.start - OFFER_WINDOW)
        names = {i for m in mentions for i in range(m.start, m.end)}  # "Coalition of the Willing"
        for i in range(start, cue.start):
            if i in names:
                continue
            if self.lower[i] in self.h_offer and not self._has_break(i, cue.start):
                return True
        if (
            cue.start > 0
            and self.lower[cue.start] == self.h_met
            and self.lower[cue.start - 1] in self.h_passive
        ):
            return True  # "the plan has been met with dismay"
        end = next((b for b in self.break_at if b >= cue.end), sent.span.end)
        words = self.lower[left : min(end, sent.span.end)]  # "talks between A, B and C are on hold"
        if any(w in self.h_off for w in words):
            return True
        return any(tuple(words[i : i + 2]) in self.h_off_phrases for i in range(len(words) - 1))

    def _owned_event(
        self, sent: Sentence, mentions: list[Mention], cue: CueHit
    ) -> list[Mention] | None:
        """Return the parties of "X's meeting with Y" or "his meeting with Y", else None.

        The owner is the actor before the possessive, or for "his/her/their" (and "after a
        call with Y") the sentence's subject; the other party is the actor after "with".
        """
        at = cue.start - 1
        if at < sent.span.start or cue.end >= sent.span.end or self.lower[cue.end] != self.h_with:
            return None
        for _step in range(2):  # "Trump's earlier phone call with Putin"
            word = self.doc[at]
            if at > sent.span.start and word.is_alpha and word.is_lower:
                if self.lower[at] in self.h_poss_pronouns or self.lower[at] in self.h_determiners:
                    break
                at -= 1
        others = [m for m in mentions if cue.end < m.start <= cue.end + 3]
        if not others:
            return None
        if self._possessive_at(at):
            owners = [m for m in mentions if m.end == at]
            owner = self._coordinated(mentions, owners[0]) if owners else []
        elif self.lower[at] in self.h_poss_pronouns or (
            self.lower[at] in self.h_indefinite
            and at > sent.span.start
            and self.lower[at - 1] in self.h_time_links
        ):  # "his meeting with Y"; "a day after a phone call with Y": the subject's
            subjects = [
                m
                for m in mentions
                if sent.span.start <= m.start
                and m.end <= at
                and not self._is_object(m)
                and not self._possessive_at(m.end)
            ]
            owner = self._coordinated(mentions, subjects[0]) if subjects else []
        else:
            return None
        if not owner:
            return None
        return [*owner, *self._coordinated(mentions, others[0])]

    def _separately(
        self,
        sent: Sentence,
        mentions: list[Mention],
        inside: list[Mention],
        cue: CueHit,
        left: int,
        right: int,
    ) -> list[list[Mention]]:
        """Split "A held talks with B and C separately" into A with B and A with C."""
        if not any(self.lower[i] in self.h_separate for i in range(left, right)):
            return []
        hosts = [m for m in inside if m.end <= cue.start and not self._is_object(m)]
        guests = [m for m in inside if m not in hosts]
        host_ids = set(self._holders(hosts))
        if not hosts or len(guests) < 2:
            return []
        return [[*hosts, g] for g in guests if not set(g.holders) <= host_ids]

    def _topic_of(self, mention: Mention) -> bool:
        """Tell whether an actor is what an event is about ("support for Ukraine").

        A possessor stays ("talks on Trump's call with Putin" names the call's party).
        """
        at = mention.start - 1
        if at >= 0 and self.lower[at] in self.h_determiners:
            at -= 1
        if self._possessive_at(mention.end):
            return False
        return at >= 0 and self.lower[at] in self.h_topic

    def _possession(self, mention: Mention) -> bool:
        """Tell whether an actor only owns a thing ("Ukraine's energy grid"), not a group."""
        if not self._possessive_at(mention.end):
            return False
        at = mention.end + 1
        return at < len(self.lower) and not (
            self.lower[at] in self.h_group_nouns or not self.doc[at].is_lower
        )

    def _named_before(self, mentions: list[Mention], cue: CueHit) -> list[Mention]:
        """Return X of "after the X summit": the actor naming an event used as a time."""
        named = [m for m in mentions if m.end == cue.start]
        if not named or not self._time_reference(named[0].start):
            return []
        return [named[0]]

    def _extended(self, sent: Sentence, mentions: list[Mention], right: int) -> list[Mention]:
        """Return the parties listed past the clause: "met X, as well as Y and Z"."""
        at = right
        while at < sent.span.end and self.lower[at] in self.h_reporting:
            at += 1
        for phrase in self.h_extenders:
            if tuple(self.lower[at : at + len(phrase)]) == phrase:
                after = [m for m in mentions if at + len(phrase) <= m.start < sent.span.end]
                return self._coordinated(mentions, after[0]) if after else []
        return []

    def _relative_antecedent(self, mentions: list[Mention], left: int) -> list[Mention]:
        """Return X of "X, who attended the summit": the actor a relative clause is about."""
        if left < 2 or self.lower[left] != self.h_who or self.lower[left - 1] != self.comma:
            return []
        return [m for m in mentions if m.end == left - 1]

    def _hypothetical(self, sent: Sentence, cue: CueHit) -> bool:
        """Tell whether an event is only imagined, only possible, or named as a point in time.

        "any trilateral meeting" is imagined; in "before the meeting Putin said ..." and "after
        the Coalition of the Willing summit" the meeting only dates what was said.
        """
        start = max(sent.span.start, cue.start - 2)
        if any(self.lower[i] in self.h_any for i in range(start, cue.start)):
            return True
        # "talks may take place soon", "they could meet", "a possible summit": only possible
        near = range(max(sent.span.start, cue.start - 3), min(sent.span.end, cue.end + 3))
        if any(self.lower[i] in self.h_maybe for i in near):
            return True
        if cue.start - 2 < sent.span.start or not self._time_reference(cue.start):
            return False
        with_party = cue.end < sent.span.end and self.lower[cue.end] == self.h_with
        return not (with_party and self.lower[cue.start - 1] in self.h_indefinite)

    def _time_reference(self, head: int) -> bool:
        """Tell whether "after/before/following the|a|his ..." opens at token ``head``.

        "after the talks" is a time; "after meeting Zelenskiy" is the meeting itself, and so
        is "a day after a phone call with Putin" (checked by the caller).
        """
        at = head - 2
        return (
            at >= 0
            and self.lower[at + 1] in self.h_determiners
            and self.lower[at] in self.h_time_links
        )

    def _is_venue(self, mention: Mention) -> bool:
        """Tell whether a mention names where an event happens ("meet in Switzerland").

        A destination after a verb of travel is a venue too ("travelled to France").
        """
        at = mention.start - 1
        if at < 0:
            return False
        if self.lower[at] in self.h_venue:
            return True
        return self.lower[at] == self.h_to and at > 0 and self.lower[at - 1] in self.h_travel

    def _between(self, mentions: list[Mention], cue: CueHit, right: int) -> list[Mention]:
        """Return the parties of "<event> (that are planned) between X and Y"."""
        for at in range(cue.end - 1, min(cue.end + BETWEEN_REACH, right, len(self.lower))):
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
