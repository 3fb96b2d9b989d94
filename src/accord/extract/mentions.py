"""Per-sentence view of a tagged document: actor mentions, issues, cues and marker words."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from accord.extract.dates import ResolvedDate
from accord.extract.lexicon import Cue, Lexicon
from accord.packs.schemas import PackData


@dataclass
class Mention:
    """An actor mention (or a collective one) with the holder actors it stands for."""

    start: int
    end: int
    actor: str
    holders: list[str]
    is_person: bool = False
    collective: bool = False


@dataclass
class CueHit:
    """A cue phrase found in a sentence."""

    start: int
    end: int
    cue: Cue
    text: str


@dataclass
class IssueHit:
    """An issue keyword found in a sentence (``issue`` already rolled up to the top level)."""

    start: int
    end: int
    issue: str
    sub_issue: str | None
    umbrella: bool


@dataclass
class Sentence:
    """Everything the claim rules need about one sentence."""

    span: Span
    actors: list[Mention] = field(default_factory=list)
    cues: list[CueHit] = field(default_factory=list)
    issues: list[IssueHit] = field(default_factory=list)
    speech: list[tuple[int, int, str]] = field(default_factory=list)
    negators: list[tuple[int, int]] = field(default_factory=list)
    hedges: list[tuple[int, int]] = field(default_factory=list)
    collectives: list[tuple[int, int]] = field(default_factory=list)
    plans: list[tuple[int, int]] = field(default_factory=list)
    pronouns: list[int] = field(default_factory=list)
    text: str = ""
    start_char: int = 0
    end_char: int = 0
    dates: list[ResolvedDate] | None = None


class PackIndex:
    """Fast look-ups into a pack: actor kinds, person affiliations, issue roll-up."""

    def __init__(self, pack: PackData) -> None:
        """Index the pack."""
        self.kinds = {a.id: a.kind for a in pack.actors}
        self.affiliations = {a.id: a.affiliations for a in pack.actors if a.affiliations}
        parents = {i.id: i.parent for i in pack.issues}
        self.top_issue: dict[str, str] = {}
        for issue_id in parents:
            top, seen = issue_id, set()
            while parents.get(top) and top not in seen:
                seen.add(top)
                top = parents[top] or top
            self.top_issue[issue_id] = top
        self.umbrella = pack.meta.umbrella_issue
        self.names = {i.id: i.name for i in pack.issues}

    def holders_of(self, actor: str, on: dt.date | None) -> list[str]:
        """Return who a mention stands for: a person's affiliation on the date, else itself."""
        affiliations = self.affiliations.get(actor)
        if not affiliations or self.kinds.get(actor) == "state":
            return [actor]
        current = [
            aff.actor
            for aff in affiliations
            if on is None
            or ((aff.from_ is None or aff.from_ <= on) and (aff.to is None or on <= aff.to))
        ] or [affiliations[-1].actor]
        states = [a for a in current if self.kinds.get(a) == "state"]
        return [(states or current)[0]]


GROUP_NOUN_REACH = 2
AGENT_SUFFIXES = frozenset(
    {
        "brokered",
        "led",
        "backed",
        "mediated",
        "sponsored",
        "drafted",
        "proposed",
        "drawn",
        "written",
    }
)


def _shares_group_noun(doc: Doc, end: int, demonyms: dict[int, int], lexicon: Lexicon) -> bool:
    """Tell whether "<demonym> and <demonym or name> <group noun>" follows, sharing the noun."""
    index = end
    while index < len(doc) and doc[index].lower_ in {"and", ",", "or"}:
        index += 1
    if index == end or index not in demonyms:
        return False
    following = demonyms[index]
    if _group_noun_follows(doc, following, lexicon):
        return True
    return _shares_group_noun(doc, following, demonyms, lexicon)


def _group_noun_follows(doc: Doc, index: int, lexicon: Lexicon) -> bool:
    """Tell whether a group noun comes at index, or after up to two lower-case words."""
    for step in range(GROUP_NOUN_REACH + 1):
        at = index + step
        if at >= len(doc):
            return False
        token = doc[at]
        if token.lower_ in lexicon.group_nouns:
            return True
        if not token.is_lower or token.is_punct:
            return False
    return False


def _is_dateline(doc: Doc, sentence: Sentence, mention: Mention) -> bool:
    """Tell whether a mention is a dateline such as ``BRUSSELS —`` opening the sentence."""
    if mention.start != sentence.span.start or mention.end >= len(doc):
        return False
    text = doc[mention.start : mention.end].text
    return text.isupper() and len(text) > 3 and doc[mention.end].text in {"—", "–", "-", "--"}


def _merge_adjacent(mentions: list[Mention]) -> list[Mention]:
    merged: list[Mention] = []
    for m in mentions:
        if merged and merged[-1].actor == m.actor and m.start - merged[-1].end <= 0:
            merged[-1].end = m.end
        else:
            merged.append(m)
    return merged


def split_sentences(
    doc: Doc, text: str, index: PackIndex, lexicon: Lexicon, published: dt.date | None
) -> list[Sentence]:
    """Group the document's tagged spans by sentence, in order."""
    sentences = []
    for span in doc.sents:
        start, end = span.start_char, span.end_char
        piece = text[start:end].rstrip()
        sentences.append(
            Sentence(span=span, text=piece, start_char=start, end_char=start + len(piece))
        )
    starts = [s.span.start for s in sentences]

    def owner(token_index: int) -> Sentence:
        return sentences[bisect.bisect_right(starts, token_index) - 1]

    actor_spans = list(doc.spans["actors"])  # each pass over a span group builds new Span objects
    demonym_spans = list(doc.spans["demonyms"])
    for span in actor_spans:
        is_person = index.kinds.get(span.label_) == "person"
        owner(span.start).actors.append(
            Mention(
                span.start,
                span.end,
                span.label_,
                index.holders_of(span.label_, published),
                is_person,
            )
        )
    covered = {i for span in actor_spans for i in range(span.start, span.end)}
    demonym_starts = {span.start: span.end for span in demonym_spans}
    # "the Russian and US presidents": an actor's short name may share the group noun too.
    demonym_starts.update(
        {span.start: span.end for span in actor_spans if span.start not in demonym_starts}
    )
    for span in demonym_spans:
        if span.start in covered:
            continue
        nxt = doc[span.end].lower_ if span.end < len(doc) else ""
        after = doc[span.end + 1].lower_ if span.end + 1 < len(doc) else ""
        if _group_noun_follows(doc, span.end, lexicon) or _shares_group_noun(
            doc, span.end, demonym_starts, lexicon
        ):
            owner(span.start).actors.append(
                Mention(span.start, span.end + 1, span.label_, [span.label_])
            )
        elif nxt == "-" and after in AGENT_SUFFIXES:
            owner(span.start).actors.append(
                Mention(span.start, span.end, span.label_, [span.label_])
            )
    for span in doc.spans["issues"]:
        top = index.top_issue.get(span.label_, span.label_)
        sub = span.label_ if top != span.label_ else None
        owner(span.start).issues.append(
            IssueHit(span.start, span.end, top, sub, top == index.umbrella)
        )
    for span in doc.spans["cues"]:
        cue = lexicon.cues[span.label_[4:]]
        owner(span.start).cues.append(CueHit(span.start, span.end, cue, span.text))
    for span in doc.spans["words"]:
        target = owner(span.start)
        label = span.label_
        if label == "speech":
            if span.start not in covered:  # "the United States", not "states"
                target.speech.append((span.start, span.end, span.text.lower()))
        elif label == "neg":
            target.negators.append((span.start, span.end))
        elif label == "hedge":
            target.hedges.append((span.start, span.end))
        elif label == "pronoun":
            target.pronouns.append(span.start)
        elif label == "plan":
            target.plans.append((span.start, span.end))
        else:
            target.collectives.append((span.start, span.end))
    for sentence in sentences:
        sentence.actors = [m for m in sentence.actors if not _is_dateline(doc, sentence, m)]
        sentence.actors.sort(key=lambda m: m.start)
        sentence.actors = _merge_adjacent(sentence.actors)
    return sentences
