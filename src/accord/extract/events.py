"""Events: meetings, calls and talks with their parties, place and date."""

from __future__ import annotations

import re

from accord.extract.contract import ClaimOut
from accord.extract.mentions import CueHit, Mention, Sentence
from accord.extract.rule_base import _NON_PLACES, _PLACE, EVENT_RANK, Context, RuleBase


class EventRules(RuleBase):
    """Event claims of a sentence."""

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
            if self._negated(sent, cue) or self._hypothetical(sent, cue):
                continue
            for stop in range(cue.end + 1, right):
                if self.lower[stop] in self.h_event_stops:
                    right = stop  # "meet in Brussels to decide whether to fund Ukraine"
                    break
            inside = self._between(mentions, cue) or [
                m for m in mentions if left <= m.start and m.end <= right and not self._is_venue(m)
            ]
            inside.extend(m for m in self._relative_antecedent(mentions, left) if m not in inside)
            for m in list(inside):
                inside.extend(x for x in self._coordinated(mentions, m) if x not in inside)
            parties = self._holders(inside)
            kinds = {self.index.kinds.get(p) for p in parties}
            single_ok = cue.text.lower() != "talks" and bool(kinds & {"coalition", "organisation"})
            if len(parties) < 2 and not (parties and single_ok):
                continue
            clause_text = self.span_text(left, right)
            date, precision = self._date(
                sent, self.idx[right - 1], "approx", self.idx[left], ahead_ok=True
            )
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

    def _relative_antecedent(self, mentions: list[Mention], left: int) -> list[Mention]:
        """Return X of "X, who attended the summit": the actor a relative clause is about."""
        if left < 2 or self.lower[left] != self.h_who or self.lower[left - 1] != self.comma:
            return []
        return [m for m in mentions if m.end == left - 1]

    def _hypothetical(self, sent: Sentence, cue: CueHit) -> bool:
        """Tell whether an event is only imagined, only possible, or named as a point in time.

        "any trilateral meeting" is imagined; in "before the meeting Putin said ..." the meeting
        only dates what Putin said.
        """
        start = max(sent.span.start, cue.start - 2)
        if any(self.lower[i] in self.h_any for i in range(start, cue.start)):
            return True
        # "talks may take place soon", "they could meet", "a possible summit": only possible
        near = range(max(sent.span.start, cue.start - 3), min(sent.span.end, cue.end + 3))
        if any(self.lower[i] in self.h_maybe for i in near):
            return True
        at = cue.start - 2  # "after the talks", but "after meeting Zelenskiy" is the meeting
        return (
            at >= sent.span.start
            and self.lower[at + 1] in self.h_determiners
            and self.lower[at] in self.h_time_links
        )

    def _is_venue(self, mention: Mention) -> bool:
        """Tell whether a mention names where an event happens ("meet in Switzerland")."""
        return mention.start > 0 and self.lower[mention.start - 1] in self.h_venue

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
