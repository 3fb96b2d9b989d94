"""Load the cue lexicon (YAML) that drives stance, status, proposal and event detection."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from accord.errors import InvalidInput

DEFAULT_LEXICON = Path(__file__).with_name("lexicon_en.yaml")


@dataclass(frozen=True)
class Cue:
    """What a cue phrase signals: a claim kind and its value (stance, status or event type)."""

    kind: str
    value: str


@dataclass(frozen=True)
class Lexicon:
    """Every rule list of the extractor, read from a lexicon file."""

    cues: dict[str, Cue]
    negators: frozenset[str]
    hedges: frozenset[str]
    speech_verbs: frozenset[str]
    group_nouns: frozenset[str]
    collective: frozenset[str]
    object_prepositions: frozenset[str]
    clause_breaks: frozenset[str]
    assessments: frozenset[str]
    proposal_nouns: frozenset[str]
    owner_links: frozenset[str]
    continuations: frozenset[str]
    mutual: frozenset[str] = frozenset()
    anaphors: frozenset[str] = frozenset()
    conditions: frozenset[str] = frozenset()
    alternatives: frozenset[str] = frozenset()
    stance_nouns: frozenset[str] = frozenset()
    object_anaphors: frozenset[str] = frozenset()
    vague_goals: frozenset[str] = frozenset()


def _phrases(data: dict[str, Any], key: str, path: Path) -> frozenset[str]:
    values = data.get(key)
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise InvalidInput(f"{path}: field {key!r} must be a list of phrases")
    return frozenset(v.lower() for v in values)


def _optional(data: dict[str, Any], key: str, path: Path) -> frozenset[str]:
    return _phrases(data, key, path) if key in data else frozenset()


@functools.cache
def load_lexicon(path: Path = DEFAULT_LEXICON) -> Lexicon:
    """Read and check a lexicon file (cached)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cues: dict[str, Cue] = {}
    inflectable = _phrases(data, "inflect", path)
    sections = {"stance": "position", "proposal": "proposal", "status": "status", "events": "event"}
    for section, kind in sections.items():
        for value, phrases in (data.get(section) or {}).items():
            for phrase in phrases:
                cues.setdefault(str(phrase).lower(), Cue(kind, str(value)))
    for phrase in _phrases(data, "ignore", path):
        cues[phrase] = Cue("ignore", "none")
    for phrase, cue in list(cues.items()):
        if phrase in inflectable:
            for form in inflections(phrase):
                cues.setdefault(form, cue)
    adverbs = _phrases(data, "adverbs", path) if "adverbs" in data else frozenset()
    for phrase, cue in list(cues.items()):
        for form in with_adverbs(phrase, adverbs):
            cues.setdefault(form, cue)
    if not cues:
        raise InvalidInput(f"{path}: no cue phrases found")
    return Lexicon(
        cues=cues,
        negators=_phrases(data, "negators", path),
        hedges=_phrases(data, "hedges", path),
        speech_verbs=_phrases(data, "speech_verbs", path),
        group_nouns=_phrases(data, "group_nouns", path),
        collective=_phrases(data, "collective", path),
        object_prepositions=_phrases(data, "object_prepositions", path),
        clause_breaks=_phrases(data, "clause_breaks", path),
        assessments=_phrases(data, "assessments", path),
        proposal_nouns=_phrases(data, "proposal_nouns", path),
        owner_links=_phrases(data, "owner_links", path),
        continuations=_phrases(data, "continuations", path),
        mutual=_phrases(data, "mutual", path),
        anaphors=_phrases(data, "anaphors", path),
        conditions=_phrases(data, "conditions", path),
        alternatives=_phrases(data, "alternatives", path),
        object_anaphors=_optional(data, "object_anaphors", path),
        vague_goals=_optional(data, "vague_goals", path),
        stance_nouns=_phrases(data, "stance_nouns", path)
        if "stance_nouns" in data
        else frozenset(),
    )


def with_adverbs(phrase: str, adverbs: frozenset[str]) -> list[str]:
    """Return a phrase with each adverb after its first word ("could also consider")."""
    first, _, rest = phrase.partition(" ")
    if not rest or not first.isalpha():
        return []
    return [f"{first} {adverb} {rest}" for adverb in sorted(adverbs)]


def inflections(phrase: str) -> list[str]:
    """Return the regular -s, -ed and -ing forms of a phrase's first word (its verb)."""
    verb, _, rest = phrase.partition(" ")
    tail = f" {rest}" if rest else ""
    if verb.endswith("ee"):
        forms = [verb + "s", verb + "d", verb + "ing"]
    elif verb.endswith("e"):
        forms = [verb + "s", verb + "d", verb[:-1] + "ing"]
    elif verb.endswith(("s", "sh", "ch", "x", "z")):
        forms = [verb + "es", verb + "ed", verb + "ing"]
    elif verb.endswith("y") and verb[-2:-1] not in "aeiou":
        forms = [verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"]
    elif len(verb) <= 4 and verb[-1] in "tbpgl" and verb[-2] in "aeiou" and verb[-3] not in "aeiou":
        forms = [verb + "s", verb + verb[-1] + "ed", verb + verb[-1] + "ing"]
    else:
        forms = [verb + "s", verb + "ed", verb + "ing"]
    return [form + tail for form in forms]
