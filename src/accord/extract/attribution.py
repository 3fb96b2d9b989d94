"""Who holds a claim: clause subjects, passive agents, reported speakers, collective mentions."""

from __future__ import annotations

from accord.extract.mentions import CueHit, Mention, Sentence
from accord.extract.rule_base import AFTER_SPEECH, APPOSITIVE_WORDS, SUBJECT_GAP, Context, RuleBase

# Speech verbs whose object is the person addressed, not the speaker.
ADDRESS_VERBS = frozenset({"told", "tells", "telling", "tell", "briefed", "assured", "informed"})


class Attribution(RuleBase):
    """Find the actors behind cues."""

    def _collective_mentions(self, sent: Sentence, ctx: Context) -> list[Mention]:
        """Mentions for "both sides", "the two leaders": the parties of the last event.

        Before any event, the actors the sentence named earlier stand in ("Russia presented
        Ukraine with a memorandum as the two sides met").
        """
        found = []
        for s, e in sent.collectives:
            parties = ctx.event_parties or self._holders([m for m in sent.actors if m.end <= s])
            if len(parties) >= 2:
                found.append(Mention(s, e, "collective", list(parties), collective=True))
        return found

    def _mentions(self, sent: Sentence, ctx: Context) -> list[Mention]:
        found = sent.actors + self._collective_mentions(sent, ctx)
        last = ctx.last_person
        for position in sent.pronouns:
            before = self._subjects_first([m for m in sent.actors if m.end <= position])
            ref = before[-1] if before else last
            if ref is not None:
                found.append(Mention(position, position + 1, ref.actor, list(ref.holders), True))
        persons = [m for m in sent.actors if m.is_person]
        if persons:
            subjects = [m for m in persons if self._antecedent(m)]
            ctx.last_person = subjects[0] if subjects else persons[-1]
        return sorted(found, key=lambda m: m.start)

    def _subjects_first(self, mentions: list[Mention]) -> list[Mention]:
        """Return the person mentions that can be a pronoun's antecedent.

        Persons named as subjects win over possessors and objects: in "Putin questioned
        Zelenskiy's legitimacy. He said ..." the pronoun is Putin.
        """
        persons = [m for m in mentions if m.is_person]
        subjects = [m for m in persons if self._antecedent(m)]
        return subjects or persons

    def _antecedent(self, mention: Mention) -> bool:
        """Tell whether a person mention is the kind a later "he" or "she" refers back to."""
        if self._is_possessor(mention):
            return False
        before = mention.start - 1
        if (
            before > 0
            and self.lower[before] == self.h_to
            and self.lower[before - 1] == self.h_according
        ):
            return True  # "according to the Ukrainian leader": the speaker
        return not self._is_object(mention) and (before < 0 or self.lower[before] != self.h_by)

    def _left_agent(self, sent: Sentence, mentions: list[Mention], cue: CueHit) -> list[Mention]:
        """Find who acts at a cue: the clause's subject after any speech verb, never an object.

        Without one in the clause, every actor named before the clause (back to a hard break)
        that is not an object: "the leaders of France and Germany, joined by NATO, proposed".
        """
        if self._possessive_at(cue.start - 1):
            owner = [m for m in mentions if m.end == cue.start - 1]
            return self._coordinated(mentions, owner[0]) if owner else []
        left, _right = self._clause(sent, cue.start, cue.end)
        speech_ends = [e for s_, e, _p in sent.speech if left <= s_ and e <= cue.start]
        floor = max(speech_ends, default=left)
        addressed = self._addressees(sent, mentions)
        for m in mentions:
            if floor <= m.start and m.end <= cue.start and not self._is_object(m):
                if m in addressed:
                    continue  # "X told Y that ...": Y is spoken to, X holds what follows
                if self._is_possessor(m) and not self._owns_group(m):
                    continue  # "Ukraine's future", but "Ukraine's negotiators" acts
                if self._asked_to(m):
                    continue  # "require Kyiv to renounce ... and call for": Kyiv does not call
                return self._coordinated(mentions, m)
        if self._participle_clause(left):  # the sentence's subject: "Putin asked ..., offering"
            subjects = [
                m
                for m in mentions
                if m.end <= left and not self._is_object(m) and not self._is_possessor(m)
            ]
            return self._coordinated(mentions, subjects[0]) if subjects else []
        group: list[Mention] = []
        for m in mentions:
            if (
                m.end <= left
                and not self._has_break(m.end, cue.start)
                and not self._is_object(m)
                and not self._in_relative_clause(sent, m)
                and not self._direct_object(m)
            ):
                group.extend(x for x in self._coordinated(mentions, m) if x not in group)
        actors = [m for m in group if not self._is_possessor(m) or self._owns_group(m)]
        return actors or group  # "Orban, Putin's closest ally, has blocked": Orban alone

    def _addressees(self, sent: Sentence, mentions: list[Mention]) -> list[Mention]:
        """Return the actors spoken to ("told Macron", "assured Kyiv and Paris that")."""
        found: list[Mention] = []
        for _start, end, phrase in sent.speech:
            if phrase.split()[0] not in ADDRESS_VERBS:
                continue
            first = [m for m in mentions if m.start == end]
            if first:
                found.extend(self._coordinated(mentions, first[0]))
        return found

    def _asked_to(self, mention: Mention) -> bool:
        """Tell whether a mention is the object of "urge/require/ask X to ..."."""
        before, after = mention.start - 1, mention.end
        return (
            before >= 0
            and after < len(self.lower)
            and self.lower[after] == self.h_to
            and self.doc[before].is_lower
            and self.doc[before].is_alpha
        )

    def _direct_object(self, mention: Mention) -> bool:
        """Tell whether a mention is a verb's object ("would cap the Ukrainian army").

        A determiner must come between ("company Rosatom" is a name, not an object).
        """
        at = mention.start - 1
        if at < 1 or self.lower[at] not in self.h_determiners:
            return False
        at -= 1
        if self.lower[at] in self.h_coordination or self.lower[at] == self.h_of:
            return False
        word = self.doc[at]
        return word.is_alpha and word.is_lower

    def _in_relative_clause(self, sent: Sentence, mention: Mention) -> bool:
        """Tell whether a mention sits in a relative clause (", who attended the summit,").

        In "Zelenskiy, who attended the Brussels summit, welcomed ..." Brussels does not welcome.
        """
        left, _right = self._clause(sent, mention.start, mention.end)
        return left > sent.span.start and self.lower[left] in self.h_relative

    def _participle_clause(self, left: int) -> bool:
        """Tell whether a clause opens with a participle (", offering in return to ...")."""
        return (
            left > 0
            and self.lower[left - 1] == self.comma
            and self.doc[left].lower_.endswith("ing")
        )

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

    def _reporting_clause(self, verb_start: int, group: list[Mention] | None = None) -> bool:
        """Tell whether a speech verb closes the sentence's report (``..., Trump said``).

        The comma or quote may come just before the speaker's name, however long it is
        (``..., IAEA Director General Rafael Grossi said``).
        """
        first = min((m.start for m in group or [] if m.start < verb_start), default=verb_start)
        return any(
            self.lower[i] in self.h_reporting for i in range(first - 1, max(first - 6, -1), -1)
        )

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
