"""Read feed bodies: RSS 0.9x/1.0/2.0 and Atom with feedparser, JSON Feed 1.x by hand."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import time
from dataclasses import dataclass, field
from typing import Any

import feedparser


class FeedFormatError(Exception):
    """A body that is not a readable feed; the message is one line naming the problem."""


@dataclass
class Entry:
    """One feed entry as accord uses it."""

    key: str
    link: str | None
    title: str | None = None
    content_html: str | None = None
    summary_html: str | None = None
    published: dt.date | None = None


@dataclass
class ParsedFeed:
    """A parsed feed: its format, title, language and entries (in feed order)."""

    format: str
    title: str | None = None
    language: str | None = None
    entries: list[Entry] = field(default_factory=list)


def parse_feed(body: bytes, *, content_type: str | None = None, url: str = "") -> ParsedFeed:
    """Parse a feed body; raise FeedFormatError when it is no feed at all."""
    head = body.lstrip()[:1]
    if "json" in (content_type or "").lower() or head in (b"{", b"["):
        return parse_json_feed(body, url=url)
    headers = {"content-type": content_type} if content_type else {}
    headers["content-location"] = url
    result = feedparser.parse(
        io.BytesIO(body), response_headers=headers, resolve_relative_uris=True
    )
    version = result.get("version") or ""
    if not version and not result.entries:
        problem = result.get("bozo_exception")
        raise FeedFormatError(f"{url}: not an RSS, Atom or JSON feed ({problem or 'no entries'})")
    meta: Any = result.feed
    entries = [_from_feedparser(e) for e in result.entries]
    return ParsedFeed(
        format=version or "unknown",
        title=meta.get("title"),
        language=meta.get("language"),
        entries=[e for e in entries if e is not None],
    )


def _from_feedparser(e: Any) -> Entry | None:
    link = e.get("link") or None
    content = e.get("content") or []
    content_html = "\n".join(c.get("value", "") for c in content) or None
    summary = e.get("summary") or None
    title = e.get("title") or None
    key = e.get("id") or link or _digest(title, summary)
    if not key:
        return None
    parsed = e.get("published_parsed") or e.get("updated_parsed")
    published = dt.date(*parsed[:3]) if isinstance(parsed, time.struct_time) else None
    return Entry(str(key), link, title, content_html, summary, published)


def _digest(*parts: str | None) -> str | None:
    text = "\n".join(p for p in parts if p)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest() if text else None


def parse_json_feed(body: bytes, *, url: str = "") -> ParsedFeed:
    """Parse a JSON Feed (https://jsonfeed.org/version/1 or 1.1)."""
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FeedFormatError(f"{url}: invalid JSON feed ({exc})") from exc
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith(
        "https://jsonfeed.org/version/"
    ):
        raise FeedFormatError(f"{url}: JSON without a jsonfeed.org 'version' is no JSON Feed")
    items = data.get("items")
    if not isinstance(items, list):
        raise FeedFormatError(f"{url}: JSON Feed field 'items' is not a list")
    entries: list[Entry] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise FeedFormatError(f"{url}: JSON Feed item {index} is not an object")
        entries.append(_json_entry(item))
    return ParsedFeed(
        format="json" + str(data["version"]).rsplit("/", 1)[-1],
        title=_text(data.get("title")),
        language=_text(data.get("language")),
        entries=[e for e in entries if e.key],
    )


def _json_entry(item: dict[str, Any]) -> Entry:
    link = _text(item.get("url")) or _text(item.get("external_url"))
    title = _text(item.get("title"))
    content = _text(item.get("content_html"))
    text = _text(item.get("content_text"))
    if content is None and text:
        content = "".join(f"<p>{_escape(p)}</p>" for p in text.split("\n\n"))
    summary = _text(item.get("summary"))
    key = _text(item.get("id")) or link or _digest(title, content) or ""
    return Entry(key, link, title, content, summary, _json_date(item.get("date_published")))


def _text(value: object) -> str | None:
    if isinstance(value, str | int) and not isinstance(value, bool):
        return str(value).strip() or None
    return None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _json_date(value: object) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None
