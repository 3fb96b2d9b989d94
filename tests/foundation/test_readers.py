import datetime as dt
import json
import random
from pathlib import Path

import pytest

from accord.errors import InvalidInput
from accord.sources.readers import read_document, split_front_matter


def test_text_with_front_matter() -> None:
    raw = b"Title: Talks resume\nDate: 2025-12-28\nSource: Example Wire\n\nBody line one.\nTwo."
    doc = read_document(raw, Path("note.txt"))
    assert doc.text == "Body line one.\nTwo."
    assert doc.metadata.title == "Talks resume"
    assert doc.metadata.publisher == "Example Wire"
    assert doc.metadata.published_at == dt.date(2025, 12, 28)
    assert doc.media_type == "text"


def test_fenced_front_matter_in_markdown() -> None:
    raw = b"---\nTitle: A\nDate: 3 January 2026\n---\n# Heading\n\nText."
    doc = read_document(raw, Path("a.md"))
    assert doc.metadata.published_at == dt.date(2026, 1, 3)
    assert doc.text.startswith("# Heading")


def test_prose_starting_with_a_key_word_is_not_front_matter() -> None:
    meta, body = split_front_matter("Source: officials said the talks\nwould go on.", where="x")
    assert meta.title is None and body.startswith("Source:")


def test_bad_front_matter_date_names_the_file() -> None:
    with pytest.raises(InvalidInput, match=r"n\.txt: front matter Date: cannot read date"):
        read_document(b"Date: sometime soonish maybe\n\nBody.", Path("n.txt"))


def test_date_from_file_name() -> None:
    doc = read_document(b"Body.", Path("2025-11-21-plan.txt"))
    assert doc.metadata.published_at == dt.date(2025, 11, 21)


def test_html_main_text_and_title() -> None:
    paragraphs = "".join(
        f"<p>Negotiators met again in Geneva on day {i} to discuss the framework and its "
        f"security guarantees, officials said in a statement to reporters.</p>"
        for i in range(6)
    )
    html = (
        "<html><head><title>Geneva round</title></head><body><nav>Home | About</nav>"
        f"<article><h1>Geneva round</h1>{paragraphs}</article>"
        "<footer>Copyright</footer></body></html>"
    )
    doc = read_document(html.encode(), Path("page.html"))
    assert "Negotiators met again in Geneva" in doc.text
    assert "Home | About" not in doc.text
    assert doc.metadata.title == "Geneva round"


def test_html_without_text_fails_clearly() -> None:
    with pytest.raises(InvalidInput, match="no main text"):
        read_document(b"<html><body><script>x()</script></body></html>", Path("e.html"))


def test_json_shape() -> None:
    raw = json.dumps(
        {
            "text": "Kyiv said talks went well.",
            "title": "T",
            "published_at": "2025-12-01",
            "publisher": "P",
            "url": "https://example.org/a",
        }
    ).encode()
    doc = read_document(raw, Path("d.json"))
    assert doc.text == "Kyiv said talks went well."
    assert doc.metadata.url == "https://example.org/a"
    assert doc.metadata.published_at == dt.date(2025, 12, 1)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"title": "no text"}', "field 'text'"),
        (b"{not json", "invalid JSON at line 1"),
        (b'{"text": "  "}', "field 'text' is empty"),
        (b'{"text": "x", "published_at": "the day after never"}', "field 'published_at'"),
    ],
)
def test_bad_json_names_the_field(raw: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        read_document(raw, Path("bad.json"))


def test_empty_file() -> None:
    with pytest.raises(InvalidInput, match=r"empty\.txt: file is empty"):
        read_document(b"  \n\n", Path("empty.txt"))


def test_binary_file() -> None:
    with pytest.raises(InvalidInput, match="binary"):
        read_document(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), Path("img.txt"))


def test_non_utf8_is_detected() -> None:
    text = "Переговори щодо гарантій безпеки тривають у Женеві, повідомили посадовці. " * 5
    doc = read_document(text.encode("cp1251"), Path("cyr.txt"))
    assert doc.encoding.lower().replace("_", "") in {"cp1251", "windows1251"}
    assert doc.text.startswith("Переговори")


def test_latin1_is_detected() -> None:
    raw = ("Le président français a salué les négociations à Genève. " * 4).encode("latin-1")
    doc = read_document(raw, Path("fr.txt"))
    assert "président" in doc.text


def test_undetectable_encoding_fails_clearly() -> None:
    rng = random.Random(1)
    raw = bytes(rng.randrange(128, 256) for _ in range(400))
    with pytest.raises(InvalidInput, match="cannot detect the text encoding"):
        read_document(raw, Path("junk.txt"))


def test_unsupported_suffix() -> None:
    with pytest.raises(InvalidInput, match=r"unsupported file type '\.pdf'"):
        read_document(b"%PDF", Path("x.pdf"))


def test_crlf_and_bom_are_normalised() -> None:
    doc = read_document("\ufeffLine one.\r\nLine two.".encode(), Path("w.txt"))
    assert doc.text == "Line one.\nLine two."
