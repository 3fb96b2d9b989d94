"""Status rules in reporters' forms: percentages, quotation blocks, and what is not a status.

- "close to 90 percent on the framework", "ninety per cent agreed": a status with its number;
- a sentence inside a quotation that runs over several sentences is the quoted speaker's;
- not statuses: what must or could be agreed, progress someone urges, "no deal without X"
  (a condition), a call described as "productive", an agreement to keep talking, and the
  narrator's own verdict on two parties ("Moscow and Kyiv remain far apart").
"""

from __future__ import annotations

from accord.extract.lexicon import Cue
from accord.extract.mentions import CueHit, Mention, Sentence
from accord.extract.percent import status_percent_spans
from accord.extract.rule_base import RuleBase

MODALS = frozenset({"must", "should", "will", "would", "could", "might", "may", "to", "can"})
HEDGES_BEFORE = frozenset({"potentially", "could", "might", "may", "possibly"})
WISH_VERBS = frozenset(
    {"urged", "urges", "urging", "wants", "wanted", "seeks", "sought", "demanded", "demands"}
)
CONDITION_AFTER = frozenset({"without", "unless", "if"})
TONE_WORDS = frozenset({"productive", "constructive", "useful", "fruitful", "good", "positive"})
CALL_WORDS = frozenset({"call", "conversation", "phone", "telephone", "chat"})
FORMAT_OBJECTS = frozenset(
    "contacts contact dialogue talks negotiations consultations meetings meeting meet channel "
    "channels mechanism communication".split()
)
FORMAT_REACH = 4
SUBORDINATE_REACH = 5
SUBORDINATORS = frozenset({"after", "once", "until", "when", "before", "unless"})
QUOTE_REACH = 8
NARRATED = frozenset({"unresolved", "stalled"})


class StatusRules(RuleBase):
    """Status cues and checks shared by the sentence rules."""

    def _status_words(self) -> None:
        if hasattr(self, "h_modals"):
            return
        strings = self.doc.vocab.strings
        self.h_modals = {strings.add(w) for w in MODALS}
        self.h_hedges_before = {strings.add(w) for w in HEDGES_BEFORE}
        self.h_wish = {strings.add(w) for w in WISH_VERBS}
        self.h_condition_after = {strings.add(w) for w in CONDITION_AFTER}
        self.h_tone = {strings.add(w) for w in TONE_WORDS}
        self.h_call_words = {strings.add(w) for w in CALL_WORDS}
        self.h_format = {strings.add(w) for w in FORMAT_OBJECTS}
        self.h_be = strings.add("be")
        self.h_colon = strings.add(":")
        self.h_semicolon_only = strings.add(";")
        self.h_subordinators = {strings.add(w) for w in SUBORDINATORS}

    def _percent_cues(self, sent: Sentence) -> list[CueHit]:
        """Return a status cue for each percentage of completion not already inside a cue."""
        found = []
        taken = [(c.start, c.end) for c in sent.cues if c.cue.kind == "status"]
        for start, end, value in status_percent_spans(sent.text):
            span = self.doc.char_span(
                sent.start_char + start, sent.start_char + end, alignment_mode="expand"
            )
            if span is None or any(a < span.end and span.start < b for a, b in taken):
                continue
            status = "agreed" if value == 100 else "near_agreement" if value >= 50 else "progress"
            found.append(CueHit(span.start, span.end, Cue("status", status), span.text))
        return found

    def _not_a_status(self, sent: Sentence, cue: CueHit, value: str) -> bool:
        """Tell whether a status cue is only required, hoped for, conditional or a call's tone."""
        self._status_words()
        before = self.lower[max(sent.span.start, cue.start - 2) : cue.start]
        if (
            value in ("agreed", "near_agreement")
            and len(before) == 2
            and before[1] == self.h_be
            and before[0] in self.h_modals
        ):
            return True  # "a process must be agreed", "could be finalised"
        if value == "agreed" and self._subordinate(sent, cue):
            return True  # "relief only after a deal was signed": not said to have happened
        if any(w in self.h_hedges_before or w in self.h_wish for w in before):
            return True  # "potentially marking a significant step", "urged diplomatic progress"
        after = self.lower[cue.end : min(sent.span.end, cue.end + 3)]
        if value == "unresolved" and any(w in self.h_condition_after for w in after):
            return True  # "no deal is possible without guarantees": a condition
        if cue.text.lower() in TONE_WORDS:
            left, right = self._clause(sent, cue.start, cue.end)
            start = max(sent.span.start, left - 12)
            if any(w in self.h_call_words for w in self.lower[start:right]):
                return True  # "called the conversation productive": a call's tone
        return False

    def _subordinate(self, sent: Sentence, cue: CueHit) -> bool:
        """Tell whether a cue sits in an "after/once/until/when ..." clause opened just before."""
        for i in range(cue.start - 1, max(sent.span.start, cue.start - SUBORDINATE_REACH) - 1, -1):
            if self.lower[i] in self.h_sentence_punct or self._is_break(i):
                return False
            if self.lower[i] in self.h_subordinators:
                return True
        return False

    def _colon_list(self, sent: Sentence, cue: CueHit) -> bool:
        """Tell whether a status cue opens a list with a colon ("remaining issues include:")."""
        self._status_words()
        if cue.cue.kind != "status":
            return False
        return any(
            self.lower[i] == self.h_colon for i in range(cue.end, min(sent.span.end, cue.end + 3))
        )

    def _semicolon_between(self, start: int, end: int) -> bool:
        """Tell whether a semicolon separates two items of a list."""
        return any(self.lower[i] == self.h_semicolon_only for i in range(start, end))

    def _format_agreement(self, sent: Sentence, cue: CueHit) -> bool:
        """Tell whether an agreement is only to keep in contact ("agreed to continue contacts")."""
        self._status_words()
        stop = min(sent.span.end, cue.end + FORMAT_REACH)
        return any(self.lower[i] in self.h_format for i in range(cue.end, stop))

    def _narrated(
        self,
        sent: Sentence,
        speakers: list[tuple[int, list[Mention]]],
        cue: CueHit,
        holders: list[str],
        value: str,
    ) -> bool:
        """Tell whether "A and B remain far apart" is the narrator's verdict (no one says it)."""
        if value not in NARRATED or len(set(holders)) < 2:
            return False
        return not speakers and not sent.speech

    def _quote_speaker(self, sent: Sentence) -> list[Mention]:
        """Return who speaks a sentence inside a quotation running over several sentences.

        The speaker is named after the closing quote ("…,” Umerov told reporters") or before
        the opening one ("Umerov said: “…").
        """
        text = self.text
        para_start = text.rfind("\n", 0, sent.start_char) + 1
        para_end = text.find("\n", sent.end_char)
        para_end = len(text) if para_end < 0 else para_end
        upto = text[para_start : sent.end_char]
        if upto.count("“") <= upto.count("”") and upto.count('"') % 2 == 0:
            return []  # no quotation runs on past this sentence
        close = min(
            (i for i in (text.find("”", sent.end_char), text.find('"', sent.end_char)) if i >= 0),
            default=-1,
        )
        if 0 <= close < para_end:
            found = self._speaker_near(close + 1, para_end, ahead=True)
            if found:
                return found
        opening = max(upto.rfind("“"), upto.rfind('"'))
        return self._speaker_near(para_start, para_start + opening, ahead=False)

    def _speaker_near(self, start: int, end: int, *, ahead: bool) -> list[Mention]:
        """Return the actor of a speech verb just after (or just before) a character offset."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            return []
        tokens = range(span.start, min(span.end, span.start + QUOTE_REACH))
        if not ahead:
            tokens = range(max(span.start, span.end - QUOTE_REACH), span.end)
        speech = {i for i in tokens if self.doc[i].lower_ in self.lex.speech_verbs}
        if not speech:
            return []
        actors = [a for a in self.doc.spans["actors"] if a.start in tokens]
        if not actors:
            return []
        actor = actors[0] if ahead else actors[-1]
        holders = self.index.holders_of(actor.label_, self.published)
        is_person = self.index.kinds.get(actor.label_) == "person"
        return [Mention(actor.start, actor.end, actor.label_, holders, is_person)]
