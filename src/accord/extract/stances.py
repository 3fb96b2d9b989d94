"""Stance filters: cues that look like a position or proposal but carry none.

Reporting is full of stance words that state no stance on an issue: a question put to a
speaker, an offer of talks (a format, not a term), a plan's requirement read as a demand of the
party it binds, a reply that declines to say anything. Each test here is general; it names no
actor, outlet or article.
"""

from __future__ import annotations

import re

from accord.extract.mentions import CueHit, IssueHit, Mention, Sentence
from accord.extract.rule_base import PLAN_VERB_REACH, RuleBase

# Words that make the object of an offer or a welcome the talks themselves, not a term.
TALK_WORDS = frozenset(
    {
        "talks",
        "negotiations",
        "negotiate",
        "negotiating",
        "dialogue",
        "meet",
        "meeting",
        "meetings",
        "summit",
        "discuss",
        "discussing",
        "discussions",
        "consultations",
        "visit",
    }
)
# Support cues that only declare readiness: "open to negotiations" offers talks.
READINESS = frozenset({"open", "ready", "willing", "prepared", "committed"})
VAGUE_GAP = 2  # "wants to end the war", "want him to end the war"
DEMAND_NOUNS = frozenset({"demand", "demands"})
# Words after "demand(s)" that make it a noun: "demands and", "demands in the talks".
NOUN_FOLLOWERS = frozenset(
    "and or but in of on for from over at with by made remain remained are were is was have had "
    "faster".split()
)
# Words that open a noun phrase: a stance cue followed by one has an object of its own.
OBJECT_OPENERS = frozenset(
    "the a an his her their its our my your one some several another new".split()
)
OBJECT_REACH = 8
TALK_REACH = 4  # "ready to continue the negotiations", "proposed direct talks"
_QUESTION = re.compile(r"\?[\"'”’)\]]*\s*$")
# Words between a plan noun and its verb that keep the plan the verb's subject.
PLAN_SUBJECT_GAP = frozenset({"would", "will", "could", "reportedly", "also", "further", "then"})


class StanceFilters(RuleBase):
    """Tell when a position or proposal cue states no stance of its holder on an issue."""

    def _not_a_stance(self, sent: Sentence, mentions: list[Mention], cue: CueHit) -> bool:
        """Tell whether a position or proposal cue should give no claim at all."""
        return (
            self._is_question(sent)
            or self._offers_talks(sent, cue)
            or self._plan_requirement(sent, mentions, cue)
            or self._noun_demand(cue)
        )

    def _noun_demand(self, cue: CueHit) -> bool:
        """Tell whether a one-word "demand(s)" cue is a noun ("hardline demands, and ...").

        A verb is followed by its object ("demands that", "demands Kyiv withdraw"); a noun by
        a stop, a conjunction or a preposition ("Kremlin demands and ...", "maximalist demands
        in the talks"), or comes after "to" ("agree to demands").
        """
        if cue.end - cue.start != 1 or self.doc[cue.start].lower_ not in DEMAND_NOUNS:
            return False
        word = self.doc[cue.start].lower_
        before = self.doc[cue.start - 1].lower_ if cue.start > 0 else ""
        if before == "to":
            return word == "demands"  # "agree to demands"; but "continues to demand"
        if any(self._possessive_at(i) for i in range(max(0, cue.start - 3), cue.start)):
            return False  # "the Kremlin's unchanged demands": its stance, named as a noun
        after = self.doc[cue.end] if cue.end < len(self.doc) else None
        return after is None or after.is_punct or after.lower_ in NOUN_FOLLOWERS

    def _vague_goal(self, cue: CueHit, issue: IssueHit) -> bool:
        """Tell whether the matter of a stance is only the wish to end the war ("wants to end it").

        Wishing the war over states no stance on a term of the deal (the umbrella issue named
        only by such a phrase is no claim).
        """
        if not issue.umbrella or not 0 <= issue.start - cue.end <= VAGUE_GAP:
            return False  # "a plan to end the war that would require Kyiv to ...": a term
        return self.span_text(issue.start, issue.end).lower() in self.lex.vague_goals

    def _offers_plan(self, sent: Sentence, cue: CueHit) -> bool:
        """Tell whether a proposal cue puts forward a plan ("presented a memorandum")."""
        _left, right = self._clause(sent, cue.start, cue.end)
        return any(cue.end <= start < min(right, cue.end + TALK_REACH) for start, _e in sent.plans)

    def _is_question(self, sent: Sentence) -> bool:
        """Tell whether the sentence is a question ("Has X committed to ...?"): nobody answers."""
        return bool(_QUESTION.search(sent.text))

    def _offers_talks(self, sent: Sentence, cue: CueHit) -> bool:
        """Tell whether an offer, readiness or welcome is about talking, not about a term.

        "proposed direct talks", "ready to meet", "open to negotiations", "ready to discuss the
        initiative": the format of the negotiation is not a claim (an agreed or held meeting is
        an event, found elsewhere).
        """
        if cue.cue.kind == "position" and not (
            cue.cue.value == "support" and READINESS & set(cue.text.lower().split())
        ):
            return False  # "backed continuing direct talks" (over a truce) is a stance
        _left, right = self._clause(sent, cue.start, cue.end)
        stop = min(right, cue.end + TALK_REACH, sent.span.end)
        for i in range(cue.end, stop):
            if self._is_break(i):
                return False
            if self.doc[i].lower_ in TALK_WORDS:
                return True
        return False

    def _plan_requirement(self, sent: Sentence, mentions: list[Mention], cue: CueHit) -> bool:
        """Tell whether a demand or support cue has a plan as its subject.

        In "the plan requiring Kyiv to cede land" or "the roadmap reportedly called for ..." the
        plan's terms bind a party; they are no position of that party, nor of whoever is named
        around the plan. The plan rules read them as the plan owner's proposals.
        """
        if cue.cue.kind != "position" or cue.cue.value not in ("demand", "support"):
            return False
        if cue.text.lower() in self.lex.assessments:
            return False  # "the text could form the basis": the speaker judges the plan
        if cue.end < len(self.lower) and self.lower[cue.end] == self.h_by:
            return False  # "the plan backed by Europe": Europe's own stance
        speech = [start for start, _e, _p in sent.speech]
        for _start, end in sent.plans:
            if end > cue.start or cue.start - end > PLAN_VERB_REACH:
                continue
            if self._has_break(end, cue.start) or any(end <= s < cue.start for s in speech):
                continue
            if all(self._plan_modifier(i) for i in range(end, cue.start)):
                return True
        return False

    def _plan_modifier(self, i: int) -> bool:
        """Tell whether token i may sit between a plan noun and its verb.

        "would", "reportedly", and a "backed by US President X" or "drawn up by X" modifier.
        """
        word = self.doc[i]
        return (
            word.lower_ in PLAN_SUBJECT_GAP
            or self.lower[i] in self.h_owner_links
            or word.lower_ == "up"
            or (word.is_alpha and word.is_lower and word.lower_.endswith("ed"))
            or word.is_title
            or word.is_upper
        )

    def _other_object(self, sent: Sentence, cue: CueHit) -> bool:
        """Tell whether a stance cue has an object of its own that names no tracked issue.

        "welcomed the news", "refused X's request for missiles", "proposed a swap of drones",
        "ready to send the weapons": the stance is about that object, so the issue carried from
        the sentence before does not apply. An object that points back ("rejected the idea",
        "backed it") or no object at all ("Putin has refused") keeps the carried issue.
        """
        _left, right = self._clause(sent, cue.start, cue.end)
        end = min(right, cue.end + OBJECT_REACH)
        i = cue.end
        skipped = 0
        while (
            i < end and self.doc[i].lower_ not in OBJECT_OPENERS and not self._possessive_at(i + 1)
        ):
            word = self.doc[i].lower_
            if word in self.lex.object_anaphors or not self.doc[i].is_alpha or skipped >= 2:
                return False
            skipped += 1  # "ready to send the weapons": the infinitive's own object
            i += 1
        if i >= end:
            return False
        for j in range(i, end):
            word = self.doc[j].lower_
            if word in self.lex.object_anaphors:
                return False
            if j > i + 1 and (self.lower[j] in self.h_objects or not self.doc[j].is_alpha):
                break
        return True


def issue_named(sent: Sentence, issue: IssueHit) -> bool:
    """Tell whether an issue hit lies in the sentence itself (not carried from elsewhere)."""
    return sent.span.start <= issue.start < sent.span.end
