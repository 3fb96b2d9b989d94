"""Status claims as reporters write them: percentages in words, quotation blocks, non-statuses."""

import datetime as dt

import pytest

from accord.extract.contract import ClaimOut
from accord.extract.percent import find_percent, number_value, status_percent_spans
from accord.extract.pipeline import extractor_for

PUB = dt.date(2025, 12, 3)


def statuses(text: str) -> list[ClaimOut]:
    claims = extractor_for("ukraine-2025", "rules").extract(text, PUB)
    return [c for c in claims if c.kind == "status"]


def keys(text: str) -> set[tuple[object, ...]]:
    return {(c.issue, c.holder, c.status, c.progress_pct) for c in statuses(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Witkoff said the two sides were close to 90 percent on the framework.",
            ("peace-deal", "us", "near_agreement", 90),
        ),
        (
            "Witkoff said the deal was ninety per cent agreed.",
            ("peace-deal", "us", "near_agreement", 90),
        ),
        (
            "Zelenskiy said the document was ninety-five per cent ready.",
            ("peace-deal", "ua", "near_agreement", 95),
        ),
        (
            "Rubio said the guarantees were about a hundred per cent done.",
            ("security-guarantees", "us", "agreed", 100),
        ),
    ],
)
def test_percentages_in_reporters_forms(text: str, expected: tuple[object, ...]) -> None:
    assert keys(text) == {expected}


def test_a_share_of_land_is_not_a_status() -> None:
    assert statuses("Russia demands that Ukraine cede the remaining 20 percent of Donetsk.") == []


def test_number_words() -> None:
    assert number_value("ninety-five") == 95
    assert number_value("forty two") == 42
    assert number_value("a hundred") == 100
    assert number_value("many") is None
    assert find_percent("about ninety per cent") == 90
    assert status_percent_spans("20 percent of the Donetsk region") == []


@pytest.mark.parametrize(
    "text",
    [
        "The outstanding issues include the nuclear plant, territory and the size of "
        "Ukraine's army, Umerov said.",
        "Umerov said the remaining sticking points include: the nuclear plant; territory; and "
        "the size of Ukraine's army.",
    ],
)
def test_each_remaining_sticking_point_is_unresolved(text: str) -> None:
    assert keys(text) == {
        ("znpp", "ua", "unresolved", None),
        ("territory", "ua", "unresolved", None),
        ("armed-forces", "ua", "unresolved", None),
    }


@pytest.mark.parametrize(
    "text",
    [
        "“We've agreed on most of the security guarantees. There is still work to do,” Umerov "
        "told reporters.",
        "Umerov told reporters on Monday: “The talks went on all night. We’ve agreed on the "
        "security guarantees. Now the hard part begins.”",
    ],
)
def test_we_have_agreed_inside_a_quotation_block_is_the_speakers(text: str) -> None:
    assert ("security-guarantees", "ua", "agreed", None) in keys(text)


def test_a_quotation_without_a_named_speaker_has_no_holder() -> None:
    assert statuses("“There is still work to do. We’ve agreed on the prisoner exchange.”") == []


def test_we_agreed_in_a_quoted_post_is_an_agreement() -> None:
    found = keys('Trump said, "We agreed to an immediate ceasefire on all energy infrastructure."')
    assert ("ceasefire", "us", "agreed", None) in found


@pytest.mark.parametrize(
    "text",
    [
        "Zelenskiy called the phone conversation with Trump productive.",
        "Putin and Trump agreed to continue personal contacts.",
        "Moscow and Kyiv remain far apart on territory.",
        "Lavrov said a preparatory process must be agreed.",
        "The US urged diplomatic progress on the ceasefire.",
        "Zelenskiy said no deal is possible without security guarantees.",
        "Zelenskiy said both sides could potentially agree to a free economic zone.",
        "Rubio said relief would come only after a deal was signed.",
        "Trump is on the verge of making a big mistake, Lavrov said.",
        "Moscow was still open to peace talks, Peskov said.",
    ],
)
def test_not_statuses(text: str) -> None:
    assert statuses(text) == []


def test_edging_closer_is_progress() -> None:
    found = keys("Trump said talks were edging closer to a ceasefire agreement.")
    assert found == {("ceasefire", "us", "progress", None)}
