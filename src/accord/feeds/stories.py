"""Story groups: syndicated copies and near-duplicates of one story share a group.

Two documents belong to one story when their canonical URLs match, or when the Jaccard
similarity of their word 5-shingles, estimated by MinHash (datasketch) and found through
MinHash LSH, is at least ``THRESHOLD``. A document joins the group of the first earlier member
it matches; the group's id is the id of its first document.
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from collections.abc import Iterable, Sequence

import numpy as np
from datasketch import MinHash, MinHashLSH
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.db.base import utcnow
from accord.feeds.models import StoryMember

NUM_PERM = 64
THRESHOLD = 0.5
SHINGLE = 5
# A new document is compared with the stories grouped within this window.
WINDOW = dt.timedelta(days=30)
_WORD = re.compile(r"\w+", re.UNICODE)
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, scheme="affine32").permutations


def _identity(value: int) -> int:
    return value


def shingle_hashes(text: str) -> list[int]:
    """Return the CRC-32 of each distinct word 5-shingle of the text (lower-cased)."""
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE:
        grams = [" ".join(words)] if words else []
    else:
        grams = [" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)]
    return list({zlib.crc32(g.encode("utf-8")) for g in grams})


def minhash(text: str) -> MinHash:
    """Return the MinHash signature of a text."""
    m = MinHash(
        num_perm=NUM_PERM, scheme="affine32", hashfunc=_identity, permutations=_PERMUTATIONS
    )
    m.update_batch(shingle_hashes(text))
    return m


def from_bytes(raw: bytes) -> MinHash:
    """Rebuild a stored signature."""
    values = np.frombuffer(raw, dtype="<u4").copy()
    return MinHash(
        num_perm=NUM_PERM, scheme="affine32", hashvalues=values, permutations=_PERMUTATIONS
    )


def to_bytes(m: MinHash) -> bytes:
    """Return a signature as little-endian uint32 bytes."""
    return np.asarray(m.hashvalues, dtype="<u4").tobytes()


class StoryIndex:
    """An in-memory LSH index of documents and their story ids."""

    def __init__(self) -> None:
        """Start an empty index."""
        self.lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
        self.signatures: dict[int, MinHash] = {}
        self.story_of: dict[int, int] = {}
        self.by_url: dict[str, int] = {}

    def match(self, signature: MinHash, canonical_url: str | None = None) -> int | None:
        """Return the story id a document belongs to, or None for a new story."""
        if canonical_url and canonical_url in self.by_url:
            return self.by_url[canonical_url]
        best: tuple[float, int] | None = None
        for doc_id in self.lsh.query(signature):
            score = signature.jaccard(self.signatures[doc_id])
            if score >= THRESHOLD and (best is None or (score, -doc_id) > (best[0], -best[1])):
                best = (score, doc_id)
        return self.story_of[best[1]] if best else None

    def add(
        self, doc_id: int, signature: MinHash, story_id: int, canonical_url: str | None = None
    ) -> None:
        """Index a document as a member of a story."""
        if doc_id in self.signatures:
            return
        self.lsh.insert(doc_id, signature)
        self.signatures[doc_id] = signature
        self.story_of[doc_id] = story_id
        if canonical_url:
            self.by_url.setdefault(canonical_url, story_id)

    def assign(self, doc_id: int, text: str, canonical_url: str | None = None) -> int:
        """Group a document and index it; return its story id."""
        signature = minhash(text)
        story = self.match(signature, canonical_url)
        story_id = doc_id if story is None else story
        self.add(doc_id, signature, story_id, canonical_url)
        return story_id


def group_documents(docs: Iterable[tuple[int, str]]) -> dict[int, int]:
    """Group (id, text) documents in order; return each id's story id."""
    index = StoryIndex()
    return {doc_id: index.assign(doc_id, text) for doc_id, text in docs}


def load_index(session: Session, *, since: dt.datetime | None = None) -> StoryIndex:
    """Build the index of the stories grouped recently (within ``WINDOW``)."""
    index = StoryIndex()
    cutoff = since or (utcnow() - WINDOW)
    rows = session.execute(
        select(
            StoryMember.source_id,
            StoryMember.story_id,
            StoryMember.canonical_url,
            StoryMember.signature,
        ).where(StoryMember.grouped_at >= cutoff)
    )
    for source_id, story_id, url, raw in rows:
        if raw:
            index.add(source_id, from_bytes(raw), story_id, url)
    return index


def assign_source(
    session: Session, index: StoryIndex, source_id: int, text: str, canonical_url: str | None
) -> int:
    """Put a stored source into its story group (flushes a StoryMember); return the story id."""
    known = session.get(StoryMember, source_id)
    if known is not None:
        return known.story_id
    signature = minhash(text)
    story = index.match(signature, canonical_url)
    if story is None and canonical_url:
        story = session.scalar(
            select(StoryMember.story_id).where(StoryMember.canonical_url == canonical_url).limit(1)
        )
    story_id = source_id if story is None else story
    session.add(
        StoryMember(
            source_id=source_id,
            story_id=story_id,
            canonical_url=canonical_url,
            signature=to_bytes(signature),
        )
    )
    session.flush()
    index.add(source_id, signature, story_id, canonical_url)
    return story_id


def story_of(session: Session, source_id: int) -> int:
    """Return a source's story id (its own id when it was never grouped)."""
    story = session.scalar(select(StoryMember.story_id).where(StoryMember.source_id == source_id))
    return int(story) if story is not None else source_id


def story_members(session: Session, source_id: int) -> list[int]:
    """Return the ids of the other sources in a source's story group."""
    story = session.scalar(select(StoryMember.story_id).where(StoryMember.source_id == source_id))
    if story is None:
        return []
    rows = session.scalars(
        select(StoryMember.source_id)
        .where(StoryMember.story_id == story, StoryMember.source_id != source_id)
        .order_by(StoryMember.source_id)
    )
    return list(rows)


def stories_of(session: Session, source_ids: Sequence[int]) -> dict[int, int]:
    """Return each source's story id (its own id when never grouped)."""
    ids = list(set(source_ids))
    found: dict[int, int] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = session.execute(
            select(StoryMember.source_id, StoryMember.story_id).where(
                StoryMember.source_id.in_(chunk)
            )
        )
        found.update({int(s): int(g) for s, g in rows})
    return {i: found.get(i, i) for i in ids}
