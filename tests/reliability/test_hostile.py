"""Hostile text in every field that reaches the daily report, the weekly brief, their PDFs and
the pages.

Each string of ``tests/badinput/hostile.yaml`` goes into a field a monitor or an import controls
(the alleged perpetrator, from the API or ACLED's ``actor1``; a source's title and publisher). The
report's HTML, the stored PDF and the web pages must show it as text: no raw markup, no local
file read into the PDF, and a Content-Security-Policy in the written HTML. The weekly brief
gets them in what sources and packs control: an upcoming event's place, participants and summary,
and the title of a provision whose deadline is missed.
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from html import unescape
from pathlib import Path

import pytest
import yaml
from sqlalchemy.orm import Session

from accord.agreements import service as agreements
from accord.council import service as council
from accord.incidents import service as incidents
from accord.incidents import workflow
from accord.incidents.rows import from_accord
from accord.packs import service as packs
from accord.reports import service as reports
from accord.sources.blobs import BlobStore
from factories import claim, source

HOSTILE_FILE = Path(__file__).resolve().parents[1] / "badinput" / "hostile.yaml"
SECRET = "accord-secret-7f3a9c"
# what must never appear in rendered output: the opening of each hostile tag
RAW_MARKERS = (
    "<script",
    '<meta http-equiv="refresh"',
    '<a rel="attachment"',
    '<img src="file',
    "<link rel=",
    "<svg onload",
    "</title><style>",
    "<iframe",
)


def hostile_strings(secret_path: Path) -> list[str]:
    """The corpus's strings with the secret file's path filled in."""
    raw: list[str] = yaml.safe_load(HOSTILE_FILE.read_text(encoding="utf-8"))
    return [s.replace("{secret}", str(secret_path)) for s in raw]


def pdf_text(data: bytes) -> bytes:
    """The PDF's bytes with every Flate stream inflated (embedded files are such streams)."""
    out = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(out)


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    """A local file whose content must never reach a report."""
    path = tmp_path / "secret.txt"
    path.write_text(SECRET * 4, encoding="utf-8")
    return path


@pytest.fixture
def hostile_day(session: Session, secret_file: Path) -> list[str]:
    """Incidents on 2026-02-04 whose alleged perpetrator is each hostile string, and a ruling."""
    packs.load_by_name(session, "ukraine-2025", by="t")
    values = hostile_strings(secret_file)
    ids = []
    for n, value in enumerate(values):
        data = {
            "occurred_at": f"2026-02-04T{8 + n % 12:02d}:00",
            "latitude": 48.0 + n / 100,
            "longitude": 37.0,
            "type": "explosion",
            "alleged_perpetrator": value,
        }
        ids.append(incidents.create(session, from_accord(data), by="t").id)
    for target in ("under_review", "verified"):
        workflow.transition(session, ids[0], target, by="t")
    member = council.members(session)[0].id
    council.rule(
        session, ids[0], "violation", {member: "yes"}, dt.date(2026, 2, 4), by="t", party="ru"
    )
    return values


def assert_inert(html: str) -> None:
    """No hostile tag survives as markup, and the text is there escaped."""
    for marker in RAW_MARKERS:
        assert marker not in html, marker
    assert "&lt;script&gt;" in html


def test_every_template_escapes_by_default() -> None:
    env = reports.TEMPLATES
    for name in env.list_templates():
        assert env.autoescape is True or env.autoescape(name), name
    from accord.web.pages import templates

    for name in templates.env.list_templates():
        auto = templates.env.autoescape
        assert auto is True or auto(name), name


def test_daily_report_html_and_pdf_are_inert(
    session: Session, hostile_day: list[str], tmp_path: Path
) -> None:
    blobs = BlobStore(tmp_path / "blobs")
    reports.write_daily(
        session, dt.date(2026, 2, 4), tmp_path / "daily.html", by="t", blobs=blobs, pdf=True
    )
    html = (tmp_path / "daily.html").read_text(encoding="utf-8")
    assert_inert(html)
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert policy is not None
    assert unescape(policy.group(1)).startswith("default-src 'none'; ")
    assert "script-src" not in policy.group(1)
    pdf = (tmp_path / "daily.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert SECRET.encode() not in pdf_text(pdf)
    assert b"/EmbeddedFile" not in pdf_text(pdf)


def test_weekly_brief_html_and_pdf_are_inert(
    session: Session, hostile_day: list[str], tmp_path: Path
) -> None:
    note = source(session, "2026-02-03", title=hostile_day[0])
    for value in hostile_day:  # an upcoming meeting each: place, participants, summary
        claim(
            session,
            note,
            "event",
            None,
            value="meeting",
            date="2026-02-10",
            place=value[:200],
            participants=[value],
            summary=value,
        )
    agreements.sign(session, "twenty-point-framework", dt.date(2026, 2, 1), by="t")
    agreements.resolve_provision(session, "twenty-point-framework:20").title = hostile_day[1]
    blobs = BlobStore(tmp_path / "blobs")
    artifacts = reports.write_weekly(
        session, dt.date(2026, 2, 4), tmp_path / "weekly.html", by="t", blobs=blobs, pdf=True
    )
    assert [a.kind for a in artifacts] == ["weekly", "weekly"]
    html = (tmp_path / "weekly.html").read_text(encoding="utf-8")
    assert_inert(html)
    assert "missed" in html and "2026-02-10" in html  # the hostile rows are really there
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert policy is not None and "script-src" not in policy.group(1)
    assert unescape(policy.group(1)).startswith("default-src 'none'; ")
    pdf = (tmp_path / "weekly.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert SECRET.encode() not in pdf_text(pdf)
    assert b"/EmbeddedFile" not in pdf_text(pdf)


def test_pdf_fetches_no_url_even_from_markup(secret_file: Path) -> None:
    """Whatever reaches the PDF renderer, it reads no local file and no URL."""
    html = (
        f'<html><head><link rel="stylesheet" href="file://{secret_file}"></head><body>'
        f'<a rel="attachment" href="file://{secret_file}">a</a>'
        f'<img src="file://{secret_file}"><img src="http://127.0.0.1:9/x.png"></body></html>'
    )
    pdf = reports.pdf_bytes(html)
    assert pdf.startswith(b"%PDF")
    assert SECRET.encode() not in pdf_text(pdf)
    assert b"/EmbeddedFile" not in pdf_text(pdf)
