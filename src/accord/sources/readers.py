"""Turn raw document bytes (.txt, .md, .html, .json) into normalised text plus metadata."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes
from pydantic import BaseModel, ConfigDict, ValidationError

from accord.errors import InvalidInput

TEXT_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}
HTML_SUFFIXES = {".html": "html", ".htm": "html"}
JSON_SUFFIXES = {".json": "json"}
SUPPORTED_SUFFIXES = {**TEXT_SUFFIXES, **HTML_SUFFIXES, **JSON_SUFFIXES}

FRONT_MATTER_KEYS = {
    "title": "title",
    "date": "published_at",
    "published": "published_at",
    "source": "publisher",
    "publisher": "publisher",
    "url": "url",
    "language": "language",
}
_FRONT_LINE = re.compile(r"^(?P<key>[A-Za-z]+)\s*:\s*(?P<value>.*\S)\s*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_FILENAME_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")


@dataclass
class Metadata:
    """Descriptive fields of a source; any may be unknown."""

    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published_at: dt.date | None = None
    language: str | None = None

    def merged_over(self, base: Metadata) -> Metadata:
        """Return these fields where set, else the base's."""
        return Metadata(
            title=self.title or base.title,
            publisher=self.publisher or base.publisher,
            url=self.url or base.url,
            published_at=self.published_at or base.published_at,
            language=self.language or base.language,
        )


@dataclass
class ReadDocument:
    """A decoded document: normalised text, its encoding, media type and metadata."""

    text: str
    media_type: str
    encoding: str
    metadata: Metadata = field(default_factory=Metadata)


class JsonDocument(BaseModel):
    """The documented JSON source shape: ``text`` plus optional metadata fields."""

    model_config = ConfigDict(extra="ignore")

    text: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published_at: str | None = None
    language: str | None = None


def parse_date(value: str, *, where: str) -> dt.date:
    """Parse a metadata date (ISO first, then free forms via dateparser) or fail naming where."""
    value = value.strip()
    if _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    import dateparser  # slow to import; only needed for free-form dates

    parsed = dateparser.parse(value, settings={"RETURN_AS_TIMEZONE_AWARE": False})
    if parsed is None:
        raise InvalidInput(f"{where}: cannot read date {value!r} (use YYYY-MM-DD)")
    return parsed.date()


def normalise_text(text: str) -> str:
    """Normalise text: NFC, Unix newlines, no BOM, no NUL characters."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return unicodedata.normalize("NFC", text)


def decode_bytes(raw: bytes, *, where: str) -> tuple[str, str]:
    """Decode bytes to text, detecting the encoding; fail clearly on binary or unknown data."""
    if not raw.strip():
        raise InvalidInput(f"{where}: file is empty")
    if b"\x00" in raw[:8192] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InvalidInput(f"{where}: looks like a binary file, not text")
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(raw).best()
    if best is None or best.encoding is None:
        raise InvalidInput(f"{where}: cannot detect the text encoding")
    return str(best), best.encoding


def split_front_matter(text: str, *, where: str) -> tuple[Metadata, str]:
    """Read ``Key: value`` lines (optionally between ``---`` lines) at the top of a text."""
    lines = text.split("\n")
    index = 0
    fenced = lines and lines[0].strip() == "---"
    if fenced:
        index = 1
    values: dict[str, str] = {}
    while index < len(lines):
        line = lines[index]
        if fenced and line.strip() == "---":
            index += 1
            break
        match = _FRONT_LINE.match(line)
        if not match or match.group("key").lower() not in FRONT_MATTER_KEYS:
            break
        values[FRONT_MATTER_KEYS[match.group("key").lower()]] = match.group("value")
        index += 1
    if not values:
        return Metadata(), text
    if not fenced and index < len(lines) and lines[index].strip():
        return Metadata(), text  # a key-like first line inside prose, not a front-matter block
    body = "\n".join(lines[index:]).lstrip("\n")
    published = values.get("published_at")
    meta = Metadata(
        title=values.get("title"),
        publisher=values.get("publisher"),
        url=values.get("url"),
        published_at=parse_date(published, where=f"{where}: front matter Date")
        if published
        else None,
        language=values.get("language"),
    )
    return meta, body


def _read_html(text: str, *, where: str) -> tuple[str, Metadata]:
    import trafilatura

    body = trafilatura.extract(
        text, include_comments=False, include_tables=False, favor_precision=True
    )
    if not body or not body.strip():
        raise InvalidInput(f"{where}: no main text found in the HTML")
    meta = Metadata()
    found = trafilatura.extract_metadata(text)
    if found is not None:
        meta.title = found.title or None
        meta.publisher = found.sitename or None
        meta.url = found.url or None
        meta.language = found.language or None
        if found.date:
            try:
                meta.published_at = dt.date.fromisoformat(found.date[:10])
            except ValueError:
                meta.published_at = None
    return body, meta


def _read_json(text: str, *, where: str) -> tuple[str, Metadata]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{where}: invalid JSON at line {exc.lineno}: {exc.msg}") from exc
    try:
        doc = JsonDocument.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field_name = ".".join(str(p) for p in first["loc"]) or "(document)"
        raise InvalidInput(f"{where}: field {field_name!r}: {first['msg']}") from exc
    if not doc.text.strip():
        raise InvalidInput(f"{where}: field 'text' is empty")
    published = (
        parse_date(doc.published_at, where=f"{where}: field 'published_at'")
        if doc.published_at
        else None
    )
    meta = Metadata(doc.title, doc.publisher, doc.url, published, doc.language)
    return doc.text, meta


def date_from_filename(path: Path) -> dt.date | None:
    """Return a leading ``YYYY-MM-DD`` in a file name as a date, if there is a valid one."""
    match = _FILENAME_DATE.match(path.name)
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None


def guess_language(text: str) -> str:
    """Guess the script-level language: ``en`` for mostly Latin text, ``und`` otherwise."""
    sample = text[:5000]
    latin = sum(1 for ch in sample if "a" <= ch.lower() <= "z")
    letters = sum(1 for ch in sample if ch.isalpha())
    return "en" if letters and latin / letters > 0.8 else "und"


def read_document(raw: bytes, path: Path) -> ReadDocument:
    """Decode and parse a document of a supported type; raise InvalidInput naming the file."""
    where = str(path)
    suffix = path.suffix.lower()
    media_type = SUPPORTED_SUFFIXES.get(suffix)
    if media_type is None:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise InvalidInput(
            f"{where}: unsupported file type {suffix or '(none)'!r} (use {supported})"
        )
    text, encoding = decode_bytes(raw, where=where)
    text = normalise_text(text)
    if media_type == "html":
        body, meta = _read_html(text, where=where)
    elif media_type == "json":
        body, meta = _read_json(text, where=where)
    else:
        meta, body = split_front_matter(text, where=where)
    body = normalise_text(body)
    if not body.strip():
        raise InvalidInput(f"{where}: no text after the front matter")
    meta.published_at = meta.published_at or date_from_filename(path)
    meta.language = meta.language or guess_language(body)
    return ReadDocument(text=body, media_type=media_type, encoding=encoding, metadata=meta)
