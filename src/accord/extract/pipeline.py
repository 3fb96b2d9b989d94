"""Extract claims from text: chunk, tag with the pack's spaCy pipeline, apply the rules, tidy up."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from accord.config import get_settings
from accord.errors import InvalidInput
from accord.extract import scorer as scorer_mod
from accord.extract.contract import EXTRACTOR_NAME, EXTRACTOR_VERSION, ClaimOut, claim_key
from accord.extract.lexicon import Lexicon, load_lexicon
from accord.extract.mentions import PackIndex, split_sentences
from accord.extract.nlp import build_pipeline
from accord.extract.rule_base import Context
from accord.extract.rules import SentenceRules
from accord.extract.scorer import Scorer
from accord.packs.loader import load_pack
from accord.packs.schemas import PackData

MODES = ("rules", "accurate")
CHUNK_CHARS = 100_000
HEADING_WORDS = 10
HEADLINE_WORDS = 25
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s*$")
_HEADING_END = re.compile(r"[.!?:;,\"”’)]\s*$")


class Extractor:
    """A pack-specific claim extractor (build once, use for many documents)."""

    def __init__(
        self, pack: PackData, lexicon: Lexicon | None = None, scorer: Scorer | None = None
    ) -> None:
        """Build the spaCy pipeline from the pack and lexicon; a scorer makes it accurate mode."""
        self.pack = pack
        self.lexicon = lexicon or load_lexicon()
        self.nlp: Language = build_pipeline(pack, self.lexicon)
        self.index = PackIndex(pack)
        self.scorer = scorer

    @property
    def name(self) -> str:
        """The extractor's name as recorded on claims: rules only, or rules with the scorer."""
        return EXTRACTOR_NAME if self.scorer is None else f"{EXTRACTOR_NAME}+scorer"

    @property
    def version(self) -> str:
        """The rules' version, plus the first hex digits of the scorer model's hash."""
        if self.scorer is None:
            return EXTRACTOR_VERSION
        return f"{EXTRACTOR_VERSION}+{self.scorer.sha256[:8]}"

    def extract(self, text: str, published: dt.date | None = None) -> list[ClaimOut]:
        """Return the claims of a text, spans relative to the text given."""
        claims: list[ClaimOut] = []
        ctx = Context()
        chunks = _chunks(text)
        for offset, chunk in chunks:
            doc = self.run_pipeline(chunk)
            rules = SentenceRules(doc, chunk, self.index, self.lexicon, published)
            previous_end, after_heading = 0, False
            first_start = len(chunk) - len(chunk.lstrip())
            for sentence in split_sentences(doc, chunk, self.index, self.lexicon, published):
                start = sentence.start_char
                if "\n" in chunk[previous_end:start] and not after_heading:
                    ctx.stale = (
                        True  # a new paragraph: the topic carries only to an issue-less sentence
                    )
                previous_end = sentence.start_char + len(sentence.text.rstrip())
                heading = _is_heading(sentence.text, first=offset == 0 and start == first_start)
                for claim in rules.apply(sentence, ctx, heading=heading):
                    claim.span = (claim.span[0] + offset, claim.span[1] + offset)
                    claims.append(claim)
                after_heading = heading
                if after_heading:
                    ctx.issue = _heading_issue(sentence, ctx)
                    if ctx.headline is None:
                        ctx.headline = ctx.issue
        claims = tidy(claims)
        if self.scorer is not None:
            claims = self.scorer.rescore(claims, len(text), drop=True)
        return claims

    def run_pipeline(self, text: str) -> Doc:
        """Tokenise a text and run the pipeline's components on it."""
        doc = self.nlp.make_doc(text)
        doc.user_data["accord_text"] = text
        for _name, component in self.nlp.pipeline:
            doc = component(doc)
        return doc


def _is_heading(line: str, first: bool = False) -> bool:
    """Tell whether a sentence is a heading: a short line without closing punctuation.

    The document's first line (its headline) may be longer.
    """
    line = line.strip()
    if first:
        return bool(line) and len(line.split()) <= HEADLINE_WORDS and not _SENTENCE_END.search(line)
    return bool(line) and len(line.split()) <= HEADING_WORDS and not _HEADING_END.search(line)


def _heading_issue(sentence, ctx: Context):  # type: ignore[no-untyped-def]
    specific = [h for h in sentence.issues if not h.umbrella]
    return specific[-1] if specific else ctx.issue


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """Yield (offset, chunk) pieces of at most CHUNK_CHARS, cut at line breaks or spaces."""
    start = 0
    while start < len(text):
        end = min(len(text), start + CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            if cut <= start:
                cut = text.rfind(" ", start, end)
            end = cut + 1 if cut > start else end
        yield start, text[start:end]
        start = end


def tidy(claims: list[ClaimOut]) -> list[ClaimOut]:
    """Drop repeats, repeated events, and 'progress' where the holder said something firmer."""
    firmer = {(c.issue, c.holder) for c in claims if c.kind == "status" and c.status != "progress"}
    out: list[ClaimOut] = []
    seen: set[tuple[object, ...]] = set()
    for claim in claims:
        if (
            claim.kind == "status"
            and claim.status == "progress"
            and (claim.issue, claim.holder) in firmer
        ):
            continue
        key = claim_key(claim) if claim.kind == "event" else (*claim_key(claim), claim.span)
        if key in seen:
            continue
        seen.add(key)
        out.append(claim)
    return out


def extractor_for(pack_name: str, mode: str | None = None) -> Extractor:
    """Return the (cached) extractor of a pack; mode ``rules`` or ``accurate`` (default: settings)."""
    settings = get_settings()
    chosen = mode or settings.extract_mode
    if chosen not in MODES:
        raise InvalidInput(f"--mode: {chosen!r} is not one of {', '.join(MODES)}")
    model = settings.scorer_model if chosen == "accurate" else None
    return _extractor(pack_name, model)


@functools.cache
def _extractor(pack_name: str, model: Path | None) -> Extractor:
    return Extractor(load_pack(pack_name), scorer=scorer_mod.load(model) if model else None)
