"""Ranked full-text search over sources and claims, with filters and highlighted snippets.

SQLite answers from the FTS5 tables (BM25 rank, ``snippet()``); PostgreSQL from the generated
``search_vector`` columns (``ts_rank``, ``ts_headline``). Both take the same query language: words
(all must occur), ``"a phrase"``, ``-word`` to exclude and ``or`` between alternatives.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from accord.errors import InvalidInput

# Marks around matched words in snippets: characters no source text uses.
HIT_OPEN, HIT_CLOSE = "\ue000", "\ue001"
SCOPES = ("all", "sources", "claims")
REVIEW_STATES = ("machine", "accepted", "corrected", "rejected")
CLAIM_KINDS = ("position", "status", "proposal", "event")
_TOKEN = re.compile(r'-?"[^"]*"|\S+')
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchFilter:
    """What to search and which results to keep."""

    query: str
    scope: str = "all"
    issue: str | None = None
    holder: str | None = None
    kind: str | None = None
    publisher: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    state: str | None = None
    limit: int = 20
    offset: int = 0
    # only claims with a larger id (saved-search alerts look at claims added since their last run)
    after_claim: int | None = None

    def check(self) -> None:
        """Refuse a query or filter that cannot be answered, naming the field."""
        if not _WORD.search(self.query or ""):
            raise InvalidInput("q: give at least one word to search for")
        if self.scope not in SCOPES:
            raise InvalidInput(f"in: unknown scope {self.scope!r} (use {', '.join(SCOPES)})")
        if self.kind is not None and self.kind not in CLAIM_KINDS:
            raise InvalidInput(
                f"kind: unknown claim kind {self.kind!r} (use {', '.join(CLAIM_KINDS)})"
            )
        if self.state is not None and self.state not in REVIEW_STATES:
            raise InvalidInput(
                f"state: unknown review state {self.state!r} (use {', '.join(REVIEW_STATES)})"
            )
        if self.scope == "sources" and self.claim_only:
            raise InvalidInput("in: issue, holder, kind and state filter claims (use in=claims)")
        if self.start and self.end and self.end < self.start:
            raise InvalidInput(f"to: {self.end} is before from: {self.start}")
        if not 1 <= self.limit <= 200 or self.offset < 0:
            raise InvalidInput("limit: 1 to 200; offset: 0 or more")

    @property
    def claim_only(self) -> bool:
        """Tell whether a filter applies only to claims (so sources cannot match)."""
        filters = (self.issue, self.holder, self.kind, self.state, self.after_claim)
        return any(v is not None for v in filters)


@dataclass
class Hit:
    """One result: a source or a claim, its rank and a snippet with marked matches."""

    type: str
    id: int
    source_id: int
    title: str | None
    publisher: str | None
    published_at: dt.date | None
    snippet: str
    rank: float
    claim: dict[str, Any] | None = None


@dataclass
class SearchResult:
    """A page of results, best first, with the total number of matches."""

    query: str
    total: int
    hits: list[Hit] = field(default_factory=list)


def fts5_query(query: str) -> str:
    """Turn a user's query into an FTS5 expression: every term quoted, ``-`` as NOT, ``or`` kept."""
    include: list[str] = []
    exclude: list[str] = []
    for token in _TOKEN.findall(query):
        negative = token.startswith("-")
        body = token[1:] if negative else token
        if body.lower() == "or" and include and not negative:
            include.append("OR")
            continue
        words = _WORD.findall(body)
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        (exclude if negative else include).append(term)
    while include and include[-1] == "OR":
        include.pop()
    if not include:
        raise InvalidInput("q: give at least one word to search for (not only excluded ones)")
    expression = " ".join(include)
    for term in exclude:
        expression = f"({expression}) NOT {term}"
    return expression


def _filters(f: SearchFilter, claims: bool) -> tuple[list[str], dict[str, Any]]:
    where: list[str] = []
    params: dict[str, Any] = {}
    if f.publisher is not None:
        where.append("s.publisher = :publisher")
        params["publisher"] = f.publisher
    date = "coalesce(c.date, s.published_at)" if claims else "s.published_at"
    if f.start is not None:
        where.append(f"{date} >= :start")
        params["start"] = f.start
    if f.end is not None:
        where.append(f"{date} <= :end")
        params["end"] = f.end
    if claims:
        for name in ("issue", "holder", "kind"):
            value = getattr(f, name)
            if value is not None:
                where.append(f"c.{name}{'_id' if name != 'kind' else ''} = :{name}")
                params[name] = value
        if f.state is not None:
            where.append("c.review_state = :state")
            params["state"] = f.state
        if f.after_claim is not None:
            where.append("c.id > :after_claim")
            params["after_claim"] = f.after_claim
    return where, params


def _sqlite_parts(f: SearchFilter) -> tuple[list[str], dict[str, Any]]:
    match = fts5_query(f.query)
    parts: list[str] = []
    params: dict[str, Any] = {"match": match, "open": HIT_OPEN, "close": HIT_CLOSE}
    if f.scope in ("all", "sources") and not f.claim_only:
        where, p = _filters(f, claims=False)
        params.update(p)
        parts.append(
            "SELECT 'source' AS type, s.id AS id, s.id AS source_id, bm25(sources_fts, 4.0, 1.0) "
            "AS rank, snippet(sources_fts, 1, :open, :close, '…', 16) AS snippet "
            "FROM sources_fts JOIN sources s ON s.id = sources_fts.rowid "
            "WHERE sources_fts MATCH :match" + "".join(f" AND {w}" for w in where)
        )
    if f.scope in ("all", "claims"):
        where, p = _filters(f, claims=True)
        params.update(p)
        parts.append(
            "SELECT 'claim' AS type, c.id AS id, c.source_id AS source_id, "
            "bm25(claims_fts, 2.0, 1.0) AS rank, "
            "snippet(claims_fts, 0, :open, :close, '…', 24) AS snippet "
            "FROM claims_fts JOIN claims c ON c.id = claims_fts.rowid "
            "JOIN sources s ON s.id = c.source_id "
            "WHERE claims_fts MATCH :match" + "".join(f" AND {w}" for w in where)
        )
    return parts, params


PG_QUERY = "websearch_to_tsquery('english', :q)"


def _pg_parts(f: SearchFilter) -> tuple[list[str], dict[str, Any]]:
    parts: list[str] = []
    params: dict[str, Any] = {
        "q": f.query,
        "headline": f"StartSel={HIT_OPEN}, StopSel={HIT_CLOSE}, MaxWords=30, MinWords=10",
    }
    query = PG_QUERY
    if f.scope in ("all", "sources") and not f.claim_only:
        where, p = _filters(f, claims=False)
        params.update(p)
        parts.append(
            "SELECT 'source' AS type, s.id AS id, s.id AS source_id, "  # noqa: S608
            f"-ts_rank(s.search_vector, {query}) AS rank, s.text AS doc "
            f"FROM sources s WHERE s.search_vector @@ {query}" + "".join(f" AND {w}" for w in where)
        )
    if f.scope in ("all", "claims"):
        where, p = _filters(f, claims=True)
        params.update(p)
        parts.append(
            "SELECT 'claim' AS type, c.id AS id, c.source_id AS source_id, "  # noqa: S608
            f"-ts_rank(c.search_vector, {query}) AS rank, c.quote AS doc "
            "FROM claims c JOIN sources s ON s.id = c.source_id "
            f"WHERE c.search_vector @@ {query}" + "".join(f" AND {w}" for w in where)
        )
    return parts, params


def search(session: Session, f: SearchFilter) -> SearchResult:
    """Return the best matches first (lower rank is better), with highlighted snippets."""
    f.check()
    sqlite = session.get_bind().dialect.name == "sqlite"
    parts, params = _sqlite_parts(f) if sqlite else _pg_parts(f)
    # Built from this module's fixed fragments only; every value is a bound parameter.
    union = " UNION ALL ".join(parts)
    count_sql = f"SELECT count(*) FROM ({union}) AS m"  # noqa: S608
    page_sql = f"SELECT * FROM ({union}) AS m ORDER BY rank, type, id LIMIT :limit OFFSET :offset"  # noqa: S608
    if not sqlite:  # the snippet of the page's rows only: ts_headline re-parses the whole text
        page_sql = (
            "SELECT type, id, source_id, rank, "  # noqa: S608 (fixed fragments)
            f"ts_headline('english', doc, {PG_QUERY}, :headline) AS snippet "
            f"FROM ({page_sql}) AS p ORDER BY rank, type, id"
        )
    total = int(session.execute(text(count_sql), params).scalar_one())
    rows = session.execute(
        text(page_sql),
        {**params, "limit": f.limit, "offset": f.offset},
    ).all()
    result = SearchResult(query=f.query, total=total)
    if not rows:
        return result
    source_ids = {r.source_id for r in rows}
    claim_ids = [r.id for r in rows if r.type == "claim"]
    sources = {
        r.id: r
        for r in session.execute(
            text(
                "SELECT id, title, publisher, published_at FROM sources WHERE id IN :ids"
            ).bindparams(_expanding("ids")),
            {"ids": list(source_ids)},
        )
    }
    claims = {}
    if claim_ids:
        claims = {
            r.id: r._asdict()
            for r in session.execute(
                text(
                    "SELECT id, kind, issue_id, holder_id, stance, status, event_type, date, "
                    "review_state FROM claims WHERE id IN :ids"
                ).bindparams(_expanding("ids")),
                {"ids": claim_ids},
            )
        }
    for r in rows:
        s = sources[r.source_id]
        published = s.published_at
        if isinstance(published, str):  # SQLite hands dates back as text in raw SQL
            published = dt.date.fromisoformat(published)
        claim = claims.get(r.id) if r.type == "claim" else None
        if claim is not None and isinstance(claim.get("date"), str):
            claim["date"] = dt.date.fromisoformat(claim["date"])
        result.hits.append(
            Hit(
                type=r.type,
                id=r.id,
                source_id=r.source_id,
                title=s.title,
                publisher=s.publisher,
                published_at=published,
                snippet=" ".join(str(r.snippet or "").split()),
                rank=float(r.rank),
                claim=claim,
            )
        )
    return result


def _expanding(name: str) -> Any:
    from sqlalchemy import bindparam

    return bindparam(name, expanding=True)


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """Split a snippet into (text, is_match) runs for display."""
    runs: list[tuple[str, bool]] = []
    for i, piece in enumerate(re.split(f"[{HIT_OPEN}{HIT_CLOSE}]", snippet)):
        if piece:
            runs.append((piece, i % 2 == 1))
    return runs
