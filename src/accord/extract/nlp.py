"""Build the blank English spaCy pipeline with rule components generated from a pack."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy
import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import filter_spans

from accord.extract.lexicon import Lexicon
from accord.packs.schemas import PackData

# Sentence ends: terminal punctuation (plus closing quotes) before whitespace and a capital, quote
# or digit; and every line break. Abbreviations are checked separately.
# A stop glued to the next sentence ("the battle line.”Trump plans", "Tomahawks.Trump") ends one
# too when a quote closes it or a lower-case word of three or more letters comes before it.
_SENTENCE_END = re.compile(
    r"[.!?][\"'”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])|(?<=[a-z]{3})[.!?](?=[A-Z][a-z])"
    r"|[.!?][\"”’](?=[A-Z][a-z])|\n+"
)
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st gen lt col sen rep gov prof jr sr vs no u.s u.k u.n e.g i.e jan feb mar apr "
    "jun jul aug sep sept oct nov dec inc corp co".split()
)
MAX_SENTENCE_CHARS = 3000

# Pipelines are built once per pack content and kept here; spaCy factories look them up by key.
_MATCHERS: dict[str, PackMatchers] = {}


@dataclass
class ActorInfo:
    """What the extractor needs of one actor: kind and dated affiliations."""

    id: str
    kind: str
    affiliations: list[tuple[str, object, object]] = field(default_factory=list)


@dataclass
class PackMatchers:
    """Phrase matchers for actor aliases, demonyms, issue keywords and lexicon cues."""

    actors: PhraseMatcher
    actors_exact: PhraseMatcher
    demonyms: PhraseMatcher
    issues: PhraseMatcher
    cues: PhraseMatcher
    words: PhraseMatcher


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Split text into sentence character ranges (line breaks always end a sentence)."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        is_break = match.group(0)[0] == "\n"
        end = match.start() if is_break else match.end()
        if (
            not is_break
            and match.group(0)[0] == "."
            and _word_before(text, match.start()) in _ABBREVIATIONS
        ):
            continue
        _append_capped(bounds, text, start, end)
        start = match.end()
    _append_capped(bounds, text, start, len(text))
    return bounds


def _word_before(text: str, index: int) -> str:
    words = text[max(0, index - 12) : index].split()
    return words[-1].lower() if words else ""


def _append_capped(bounds: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start, start + MAX_SENTENCE_CHARS)
        cut = cut if cut > start else start + MAX_SENTENCE_CHARS
        bounds.append((start, cut))
        start = cut + 1 if text[cut : cut + 1] == " " else cut
    if end > start:
        bounds.append((start, end))


@Language.component("accord_sentences")
def accord_sentences(doc: Doc) -> Doc:
    """Mark sentence starts from punctuation and line breaks.

    The caller may put the document's text in ``doc.user_data["accord_text"]`` to save
    rebuilding it from the tokens.
    """
    if not len(doc):
        return doc
    flags = numpy.full((len(doc), 1), -1, dtype="int64").astype("uint64")
    flags[0, 0] = 1
    text = doc.user_data.get("accord_text") or doc.text
    for start, _end in sentence_bounds(text):
        span = doc.char_span(start, start + 1, alignment_mode="expand")
        if span is not None and len(span):
            flags[span.start, 0] = 1
    doc.from_array(["SENT_START"], flags)  # type: ignore[arg-type]
    return doc


@Language.factory("accord_mentions", default_config={"key": ""})
def accord_mentions(nlp: Language, name: str, key: str) -> MentionTagger:
    """Create the component that tags actors, demonyms, issues and cues from a pack."""
    return MentionTagger(_MATCHERS[key])


class MentionTagger:
    """Writes ``doc.spans`` groups: actors, demonyms, issues, cues, words."""

    def __init__(self, matchers: PackMatchers) -> None:
        """Keep the pack's matchers."""
        self.m = matchers

    def __call__(self, doc: Doc) -> Doc:
        """Tag one document."""
        actor_spans = self.m.actors(doc, as_spans=True) + self.m.actors_exact(doc, as_spans=True)
        doc.spans["actors"] = filter_spans(actor_spans)
        doc.spans["demonyms"] = self.m.demonyms(doc, as_spans=True)
        doc.spans["issues"] = filter_spans(self.m.issues(doc, as_spans=True))
        doc.spans["cues"] = filter_spans(self.m.cues(doc, as_spans=True))
        doc.spans["words"] = self.m.words(doc, as_spans=True)
        return doc


def _is_exact(alias: str) -> bool:
    """Short all-capital aliases (US, EU, UN) match case-sensitively."""
    return len(alias) <= 4 and alias.isupper()


def build_pipeline(pack: PackData, lexicon: Lexicon) -> Language:
    """Return a blank English pipeline whose rule components come from the pack and lexicon."""
    nlp = spacy.blank("en")
    tokenizer: Tokenizer = nlp.tokenizer  # type: ignore[assignment]
    # A closing quote glued to the next sentence ('line.”Trump plans') and a hyphen after an
    # abbreviation ('U.S.-Ukraine talks') separate their words.
    infixes = [*(nlp.Defaults.infixes or []), r"(?<=[.!?])”(?=[A-Z])", r"(?<=\.)-(?=[A-Z])"]
    tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    nlp.max_length = 2_000_000
    vocab = nlp.vocab
    actors = PhraseMatcher(vocab, attr="LOWER")
    exact = PhraseMatcher(vocab, attr="ORTH")
    demonyms = PhraseMatcher(vocab, attr="ORTH")
    for actor in pack.actors:
        lower: list[str] = []
        orth: list[str] = []
        for alias in {actor.name, *actor.aliases}:
            (orth if _is_exact(alias) else lower).append(alias)
        orth.extend(d for d in actor.demonyms if _is_exact(d))
        if lower:
            actors.add(actor.id, list(tokenizer.pipe(lower)))
        if orth:
            exact.add(actor.id, list(tokenizer.pipe(orth)))
        if actor.demonyms:
            demonyms.add(actor.id, list(tokenizer.pipe(actor.demonyms)))
    issues = PhraseMatcher(vocab, attr="LOWER")
    for issue in pack.issues:
        if issue.keywords:
            issues.add(issue.id, list(tokenizer.pipe(issue.keywords)))
    cues = PhraseMatcher(vocab, attr="LOWER")
    for phrase in lexicon.cues:
        cues.add(f"cue:{phrase}", [tokenizer(phrase)])
    words = PhraseMatcher(vocab, attr="LOWER")
    for label, phrases in (
        ("speech", lexicon.speech_verbs),
        ("neg", lexicon.negators),
        ("hedge", lexicon.hedges),
        ("collective", lexicon.collective),
        ("plan", lexicon.proposal_nouns),
        ("pronoun", frozenset({"he", "she"})),
    ):
        words.add(label, list(tokenizer.pipe(sorted(phrases))))
    key = pack.content_sha256
    _MATCHERS[key] = PackMatchers(actors, exact, demonyms, issues, cues, words)
    nlp.add_pipe("accord_sentences")
    nlp.add_pipe("accord_mentions", config={"key": key})
    return nlp
