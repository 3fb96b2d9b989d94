"""Claim rules for one sentence: who holds which stance or status on which issue, and events."""

from __future__ import annotations

from accord.extract.attribution import Attribution
from accord.extract.contract import ClaimOut
from accord.extract.events import EventRules
from accord.extract.mentions import CueHit, IssueHit, Mention, Sentence
from accord.extract.percent import find_percent
from accord.extract.plans import PlanRules
from accord.extract.rule_base import (
    CLAUSE_PENALTY,
    CONDITION_WINDOW,
    PCT_STATUSES,
    UMBRELLA_PENALTY,
    UMBRELLA_REACH,
    Context,
)
from accord.extract.stances import StanceFilters
from accord.extract.status import StatusRules


class SentenceRules(Attribution, PlanRules, EventRules, StatusRules, StanceFilters):
    """Apply the claim rules to the sentences of one document."""

    def _conditional(self, sent: Sentence, cue: CueHit) -> bool:
        """Tell whether a cue sits in an if/whether clause (up to five words before it).

        A status followed in its clause by a condition ("real progress depended on ...") is
        conditional too.
        """
        if cue.cue.kind == "status":
            _left, right = self._clause(sent, cue.start, cue.end)
            if any(
                c.start >= cue.end and c.start < right and c.text.lower() in self.lex.conditions
                for c in sent.cues
            ):
                return True
        for i in range(max(sent.span.start, cue.start - CONDITION_WINDOW), cue.start):
            if self.lower[i] in self.h_conditions and not self._has_break(i, cue.start):
                return True
        return False

    def _alternative(self, sent: Sentence, cue: CueHit, hit: IssueHit) -> bool:
        """Tell whether an issue is the alternative turned down ("peace rather than a truce")."""
        if hit.start < cue.end or hit.end > sent.span.end:
            return False  # before the cue, or carried from elsewhere
        window = " ".join(self.doc[i].lower_ for i in range(max(cue.end, hit.start - 4), hit.start))
        return any(marker in window for marker in self.lex.alternatives)

    def _actor_object(self, sent: Sentence, mentions: list[Mention], cue: CueHit) -> bool:
        """Tell whether an actor is what a stance cue is about ("backing Kyiv").

        Not "backed Kyiv's bid" (the bid is) nor "urged Europe to stop buying oil" (the act is).
        """
        _left, right = self._clause(sent, cue.start, cue.end)
        return any(
            cue.end <= m.start <= cue.end + 4
            and m.start < right
            and not self._is_possessor(m)
            and not (m.end < len(self.lower) and self.lower[m.end] == self.h_to)
            for m in mentions
        )

    def _wanted_of_other(self, mentions: list[Mention], cue: CueHit) -> bool:
        """Tell whether a cue is what someone wants another actor to do ("pushes Kyiv to accept")."""
        at = cue.start - 1
        if at < 1 or self.lower[at] != self.h_to:
            return False
        return any(
            m.end == at and m.start > 0 and self.doc[m.start - 1].is_lower for m in mentions
        )  # "Ukraine to accept plan" opening a headline is Ukraine's own stance

    def _dated_agreement(self, cue: CueHit) -> bool:
        """Tell whether "<agreed> on <day or date> to ..." follows, an agreement to act."""
        at = cue.end
        if at >= len(self.lower) or self.lower[at] not in self.h_time_words:
            return False
        return any(self.lower[i] == self.h_to for i in range(at + 1, min(at + 4, len(self.lower))))

    def _issue(self, sent: Sentence, cue: CueHit, ctx: Context) -> tuple[IssueHit | None, bool]:
        """Pick the issue for a cue.

        In order: the nearest keyword in the sentence (specific ones first, the umbrella issue
        when it is right beside the cue), the topic carried from the previous sentence of the
        paragraph, the umbrella issue named anywhere in the sentence, and the topic carried across
        a paragraph break (stances only). A stance with none of these has no issue; a status
        without one is about the talks as a whole (the umbrella issue).
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
        antecedent = [h for h in sent.issues if h.end == left - 1 and left > sent.span.start]
        if (
            antecedent
            and self.lower[left] in self.h_relative
            and self.lower[left - 1] == self.comma
        ):
            return antecedent[-1], False  # "the talks, which he called productive"
        following = [
            h for h in specific if h.start >= cue.end and not self._has_break(cue.end, h.start)
        ]
        if following and cue.text.lower() in self.lex.conditions:
            return following[0], False  # "depended on ... steps toward de-escalation"
        if specific:
            return min(sent.issues, key=distance), False
        if close_umbrella and self._anaphor(close_umbrella[0]) and ctx.proposal_issue:
            return ctx.proposal_issue, True
        if close_umbrella:
            return close_umbrella[0], False
        carried = ctx.issue if ctx.issue is not None and not ctx.issue.umbrella else None
        if carried is not None and not ctx.stale:
            return carried, True
        if sent.issues:
            return min(sent.issues, key=distance), False
        if cue.cue.kind != "status":
            # A stance needs a matter: one named nowhere near it is no claim ("X wants to save
            # lives"), not the headline's issue. Putting forward a plan is a proposal on the
            # agreement as a whole.
            if carried is not None:
                return carried, True
            if not (cue.cue.kind == "proposal" and self._offers_plan(sent, cue)):
                return None, False
        if self.index.umbrella:
            return IssueHit(cue.start, cue.end, self.index.umbrella, None, True), True
        return None, False

    def _anaphor(self, hit: IssueHit) -> bool:
        """Tell whether an umbrella keyword points back to what was proposed ("the plan")."""
        return self.span_text(hit.start, hit.end).lower() in self.lex.anaphors

    def _object_issues(self, sent: Sentence, cue: CueHit) -> list[IssueHit]:
        """Distinct specific issues named after a stance cue, up to the next cue or clause break."""
        stop = min([c.start for c in sent.cues if c.start >= cue.end] + [sent.span.end])
        listed = self._colon_list(sent, cue)  # "sticking points include: A; B; and C"
        for i in range(cue.end, stop):
            if self._is_break(i) and not (listed and self.lower[i] in self.h_semicolon):
                stop = i
                break
        found: dict[str, IssueHit] = {}
        previous: IssueHit | None = None
        for hit in sent.issues:
            if hit.umbrella or not cue.end <= hit.start < stop:
                continue
            if previous is not None and previous.issue == hit.issue:
                previous = hit  # "the territory of Donetsk region": one object
                continue
            if (
                previous is not None
                and not self._coordinating(previous.end, hit.start)
                and not (listed and self._semicolon_between(previous.end, hit.start))
            ):
                break  # "to the board from Russian assets": a modifier, not a second object
            found.setdefault(hit.issue, hit)
            previous = hit
        return list(found.values()) if len(found) > 1 else []

    def _coordinating(self, start: int, end: int) -> bool:
        """Tell whether tokens [start, end) join two objects ("X and Y", "X, Y")."""
        return any(self.lower[i] in self.h_joins for i in range(start, end))

    def _progress_pct(self, sent: Sentence, cue: CueHit) -> int | None:
        """Return a percentage given with a status ("95% there", "ninety per cent agreed")."""
        left, right = self._clause(sent, cue.start, cue.end)
        return find_percent(self.span_text(left, max(right, cue.end)))

    def apply(self, sent: Sentence, ctx: Context, heading: bool = False) -> list[ClaimOut]:
        """Return the claims of one sentence (none for a heading), updating the carried context."""
        claims: list[ClaimOut] = []
        if heading:
            ctx.plan_owner = self._plan_owner(sent, self._mentions(sent, ctx))[0] or ctx.plan_owner
            return claims
        sent.cues = sorted([*sent.cues, *self._percent_cues(sent)], key=lambda c: c.start)
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
        proposed = [c.issue for c in claims if c.kind == "proposal"]
        if proposed:
            hits = [h for h in sent.issues if h.issue in proposed]
            ctx.proposal_issue = hits[-1] if hits and not hits[-1].umbrella else None
        claims.extend(self._plan_proposals(sent, mentions, ctx))
        specific = [h for h in sent.issues if not h.umbrella]
        ctx.stale = False
        # The topic carried on: the last issue the sentence's claims were about, else the first
        # issue it names (usually its subject: "the first guarantee would be an army ...").
        claimed = [h for h in specific if h.issue in {c.issue for c in claims}]
        if claimed or specific:
            ctx.issue = claimed[-1] if claimed else specific[0]
        elif sent.issues and ctx.issue is None:
            ctx.issue = sent.issues[-1]
        return claims

    def _reduced_relative(self, sent: Sentence, cue: CueHit) -> bool:
        """Tell whether a one-word participle cue just describes the issue noun before it.

        A participle after an issue noun and before a preposition ("the framework agreed with
        Kyiv", "a zone recognised as Russian") is a description, not a stance or assessment; so
        is one opening an aside ("military dialogue, suspended since 2021, ...").
        """
        word = cue.text.lower()
        if cue.end - cue.start != 1 or not word.endswith(("ed", "ised", "ized")):
            return False
        after = self.lower[cue.end] if cue.end < sent.span.end else None
        if after not in self.h_objects and after not in self.h_participle_links:
            return False  # "the plan proposed putting ...": the noun is the verb's subject
        if cue.start > sent.span.start and self.lower[cue.start - 1] == self.comma:
            return True  # ", suspended since 2021,"; but ", joined by NATO, proposed a force"
        return any(hit.end == cue.start for hit in sent.issues)

    def _mutual(self, sent: Sentence, cue: CueHit, holders: list[Mention]) -> bool:
        """Tell whether a cue reports an agreement between its subjects ("both sides agreed to")."""
        if cue.text.lower() not in self.lex.mutual:
            return False
        if any(0 <= cue.start - end <= 2 for _start, end in sent.collectives):
            return True  # "the sides had agreed to", whoever they are
        return any(m.collective for m in holders) or len(set(self._holders(holders))) >= 2

    def _reporter(self, speakers: list[tuple[int, list[Mention]]], cue: CueHit) -> list[Mention]:
        """Return who reports a cue: the last speaker before it, else a closing "..., X said"."""
        before = [s for s in speakers if s[0] < cue.start]
        after = [s for s in speakers if s[0] > cue.start and self._reporting_clause(s[0], s[1])]
        return before[-1][1] if before else (after[0][1] if after else [])

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
        nearly = prev in self.h_nearly or any(
            self.lower[i] in self.h_nearly for i in range(cue.start, cue.end)
        )
        if kind == "status" and value == "agreed" and nearly:
            value = "near_agreement"  # "nearly ready to be signed", "almost finalised"
        at_end = cue.end >= sent.span.end or self.lower[cue.end] in self.h_stop
        if kind == "ignore" or (kind == "proposal" and at_end):
            return []
        is_noun = cue.text.lower() in self.lex.assessments
        owned = prev in self.h_owners and cue.text.lower() in self.lex.stance_nouns
        if (
            kind in ("proposal", "position")
            and prev in self.h_noun_markers
            and not is_noun
            and not owned  # "his refusal to cede land" is his stance
        ):
            return []  # "a proposed truce", "any demand", "every support": a noun, not a stance
        if kind in ("position", "proposal") and self._wanted_of_other(mentions, cue):
            return []  # "Washington pushes Kyiv to accept a plan": Kyiv has not accepted
        if self._conditional(sent, cue):
            return []  # "if Russia agreed to ...", "whether Moscow would accept ...": not asserted
        if kind in ("position", "proposal") and self._not_a_stance(sent, mentions, cue):
            return []  # a question, an offer of talks, a plan's requirement
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
        if kind == "status" and self._not_a_status(sent, cue, value):
            return []  # "must be agreed", "urged progress", "no deal without guarantees"
        issue, carried = self._issue(sent, cue, ctx)
        objects = self._object_issues(sent, cue)
        if issue is None:
            return []
        if kind == "position" and value == "demand" and self._vague_goal(cue, issue):
            return []  # "Trump wants to end the war": no term of the deal
        if carried and kind == "position" and self._other_object(sent, cue):
            return []  # "welcomed the news": the stance is about something else
        if carried and kind == "position" and self._actor_object(sent, mentions, cue):
            return []  # "pledged to keep backing Kyiv": support for an actor, not an issue
        holder_mentions: list[Mention] = []
        confidence = 0.85
        possessive_cue = self._possessive_at(cue.start - 1)
        passive_by = cue.end < len(self.lower) and self.lower[cue.end] == self.h_by
        if not passive_by and self._reduced_relative(sent, cue):
            return []  # "the framework agreed with Kyiv", "a zone recognised as Russian"
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
                holder_mentions = self._reporter(speakers, cue)
                confidence -= 0.1
        else:
            holder_mentions = self._status_holders(sent, mentions, speakers, cue)
            holder_mentions = holder_mentions or self._quote_speaker(sent)
        if not holder_mentions:
            return []
        if kind == "status" and self._narrated(
            sent, speakers, cue, self._holders(holder_mentions), value
        ):
            return []  # "Moscow and Kyiv remain far apart": the outlet's own verdict
        if kind == "position" and not negated and self._mutual(sent, cue, holder_mentions):
            if carried and ctx.stale:
                return []  # an agreement on something the pack does not track
            _left, right = self._clause(sent, cue.start, cue.end)
            if any(c.cue.kind == "event" and cue.end <= c.start < right for c in sent.cues):
                return []  # "agreed to hold another round of talks": the event says it
            if self._format_agreement(sent, cue) or self._not_a_status(sent, cue, "agreed"):
                return []  # "agreed to continue contacts", "could potentially agree to"
            kind, value = "status", "agreed"  # "Russia and Ukraine agreed to ...": a deal
            holder_mentions = self._reporter(speakers, cue) or holder_mentions
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
                rejected = value in ("support", "demand") and self._alternative(sent, cue, issue)
                claim.stance = "oppose" if rejected else value  # type: ignore[assignment]
            claims.append(claim)
        return claims
