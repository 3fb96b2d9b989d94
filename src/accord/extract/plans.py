"""Plans with owners: each issue a plan names or a following sentence describes is a proposal."""

from __future__ import annotations

from accord.extract.contract import ClaimOut
from accord.extract.mentions import IssueHit, Mention, Sentence
from accord.extract.rule_base import PLAN_VERB_REACH, TERMS_REACH, Context, RuleBase


class PlanRules(RuleBase):
    """Proposals read from the contents of owned plans and drafts."""

    def _plan_owner(self, sent: Sentence, mentions: list[Mention]) -> tuple[list[str], bool]:
        """Return who owns a plan named in the sentence, and whether a "by"/"from" link says so.

        An owner named before the plan noun wins over a bare "by" right after it: in "the
        amendments made to the US plan by Ukraine" the plan is the US's and Ukraine only amends
        it; "a European counter-proposal drafted by Britain" is Britain's.
        """
        for start, end in sent.plans:
            named = self._owner_before(sent, mentions, start)
            for link in range(end, min(end + 4, sent.span.end)):
                if self.lower[link] in self.h_owner_links:
                    after = [m for m in mentions if link < m.start <= link + 2]
                    if after and not (named and link == end):
                        return self._holders(self._coordinated(mentions, after[0])), True
                    break  # "drafted by X" names the author; a bare "by X" yields to "the US plan"
            if named:
                return named, False
        return [], False

    def _owner_before(self, sent: Sentence, mentions: list[Mention], start: int) -> list[str]:
        """Return the owner named just before a plan noun ("Kyiv's plan", "the US draft")."""
        before = start - 1
        while before >= sent.span.start and self.lower[before] in self.h_plan_words:
            before -= 1
        if before < sent.span.start:
            return []
        if self.lower[before] in self.h_possessive:
            owners = [m for m in mentions if m.end == before]
            if owners:
                return self._holders(self._coordinated(mentions, owners[0]))
        if before + 1 in self.demonym_at_end:
            return [self.demonym_at_end[before + 1]]
        owners = [m for m in mentions if m.end == before + 1]
        return self._holders(owners) if owners else []

    def _plan_proposals(
        self, sent: Sentence, mentions: list[Mention], ctx: Context
    ) -> list[ClaimOut]:
        """Proposals for each issue of a sentence that names or continues an owned plan."""
        owner, by_link = self._plan_owner(sent, mentions)
        names_plan = bool(owner)
        if owner:
            ctx.plan_owner = owner
        elif ctx.plan_owner and (
            self._continues_plan(sent) or (ctx.plan_active and self._states_terms(sent))
        ):
            owner = ctx.plan_owner
        ctx.plan_active = bool(owner)
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
        speech = {i for start, end, _p in sent.speech for i in range(start, end)}
        for _start, end in sent.plans:
            if end < sent.span.end and self.lower[end] in self.h_plan_links:
                return True  # "a US idea for a free economic zone", "a plan to freeze the line"
            for at in range(end, min(end + PLAN_VERB_REACH, sent.span.end)):
                if at in self.break_set or at in speech:
                    break  # "... the US initiative and said Russia would ...": another clause
                if self.lower[at] in self.h_plan_content:
                    return True
        return any(c.cue.kind == "proposal" for c in sent.cues)

    def _states_terms(self, sent: Sentence) -> bool:
        """Tell whether a sentence reads as one more term ("Elections would follow ...").

        Right after a sentence about a plan, a "would" or "will" near the start with no speech
        verb before it goes on listing what the plan says.
        """
        end = min(sent.span.start + TERMS_REACH, sent.span.end)
        for i in range(sent.span.start, end):
            if any(start == i for start, _e, _p in sent.speech):
                return False
            if self.lower[i] in self.h_terms:
                return True
        return False

    def _continues_plan(self, sent: Sentence) -> bool:
        """Tell whether a sentence goes on about the last plan ("It would ...", "Under the plan")."""
        start = sent.span.start
        opening = tuple(self.lower[start : min(start + 4, sent.span.end)])
        if any(opening[:n] in self.h_continuations for n in range(1, 5)):
            return True
        speech_starts = {s for s, _e, _p in sent.speech}
        return any(end in speech_starts or end + 1 in speech_starts for _s, end in sent.plans)
