"""Plain text from a feed entry's HTML (content or summary), one paragraph per block."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

_BLOCKS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "tr",
        "section",
        "article",
        "pre",
        "ul",
        "ol",
        "table",
        "figure",
        "figcaption",
        "hr",
    }
)
_DROP = ("script", "style", "noscript", "iframe", "object", "embed", "svg", "form")


def html_to_text(html: str) -> str:
    """Return the readable text of an HTML fragment (blocks become paragraphs)."""
    if not html or not html.strip():
        return ""
    if "<" not in html:
        return _tidy(html)
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return _tidy(re.sub(r"<[^>]*>", " ", html))
    for bad in root.iter(*_DROP):
        bad.drop_tree()
    parts: list[str] = []
    _walk(root, parts)
    return _tidy("".join(parts))


def _walk(node: lxml.html.HtmlElement, parts: list[str]) -> None:
    block = isinstance(node.tag, str) and node.tag in _BLOCKS
    if block:
        parts.append("\n\n")
    if isinstance(node.tag, str) and node.text:
        parts.append(node.text)
    for child in node:
        _walk(child, parts)
        if child.tail:
            parts.append(child.tail)
    if block:
        parts.append("\n\n")


def _tidy(text: str) -> str:
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paragraphs if p)
