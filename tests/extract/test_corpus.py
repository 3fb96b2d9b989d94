"""The real-text corpus: catalogue, split by outlet, cache, and scoring on cached items.

The gold files are in the repo; the article texts are not. Tests that need the texts read the
local cache (``ACCORD_CORPUS_CACHE`` or ``~/.cache/accord/corpus``) and skip when it is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.errors import InvalidInput
from accord.extract import corpus
from accord.extract.contract import claim_key

ROOT = Path(__file__).resolve().parents[2] / "corpus"


def test_corpus_is_large_varied_and_split_by_outlet() -> None:
    items = corpus.load_corpus(ROOT)
    assert len(items) >= 150
    ukraine = [i for i in items if i.pack == "ukraine-2025"]
    assert len(ukraine) >= 110 and len(items) - len(ukraine) >= 40
    assert len({i.outlet for i in items}) >= 50
    assert {i.genre for i in items} == set(corpus.GENRES)
    test = [i for i in items if i.split == "test"]
    assert len(test) >= 50
    # no outlet is in both parts
    assert not {i.outlet for i in test} & {i.outlet for i in items if i.split == "dev"}
    assert min(i.published_at for i in items).year == 2025
    assert max(i.published_at for i in items).year == 2026


def test_split_is_decided_by_the_outlet_hash() -> None:
    # first byte of sha256("kyivindependent.com") is 0x03: 3 % 5 = 3 -> dev
    assert corpus.split_for("kyivindependent.com") == "dev"
    # first byte of sha256("aljazeera.com") is 0x6f (111): 111 % 5 = 1 -> test
    assert corpus.split_for("aljazeera.com") == "test"


def test_gold_files_keep_only_cues_and_follow_the_contract() -> None:
    for path in sorted((ROOT / "gold").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        keys = []
        for claim in data["claims"]:
            words = claim["cue"].split()
            assert 2 <= len(words) <= 6, (path.name, claim["cue"])
            assert "quote" not in claim and "span" not in claim, path.name
        item = corpus.load_item(path)
        keys = [claim_key(c) for c in item.claims]
        assert len(keys) == len(set(keys)), f"{path.name}: two claims share a scoring key"


def test_catalogue_is_up_to_date() -> None:
    expected = corpus.catalogue_csv(corpus.load_corpus(ROOT))
    assert (ROOT / "CATALOGUE.csv").read_text(encoding="utf-8") == expected, (
        "run: accord corpus catalogue corpus -o corpus/CATALOGUE.csv"
    )


def test_bad_gold_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "gold").mkdir()
    bad = tmp_path / "gold" / "x.json"
    bad.write_text(json.dumps({"article": "x", "published_at": "2025-13-01", "claims": []}))
    with pytest.raises(InvalidInput, match=r"x\.json: field published_at"):
        corpus.load_corpus(tmp_path)
    bad.write_text(
        json.dumps(
            {
                "article": "x",
                "published_at": "2025-03-01",
                "source": {"url": "u", "outlet": "o", "genre": "blog", "query": "q"},
                "claims": [],
            }
        )
    )
    with pytest.raises(InvalidInput, match=r"source\.genre"):
        corpus.load_corpus(tmp_path)


def test_eval_names_items_missing_from_the_cache(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "gold").mkdir()
    item = {
        "article": "2025-03-01-example-call",
        "published_at": "2025-03-01",
        "pack": "ukraine-2025",
        "source": {
            "url": "https://example.org/a",
            "outlet": "example.org",
            "genre": "wire",
            "query": "example",
        },
        "claims": [
            {
                "kind": "event",
                "issue": None,
                "event_type": "call",
                "participants": ["ru", "us"],
                "summary": "a call",
                "cue": "spoke by phone",
            }
        ],
    }
    (tmp_path / "gold" / "a.json").write_text(json.dumps(item))
    cache = tmp_path / "cache"
    cache.mkdir()
    result = runner.invoke(app, ["eval", str(tmp_path), "--cache", str(cache), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["missing"] == ["2025-03-01-example-call"] and report["scored"] == 0
    # our own sentence, cached: now it is scored, and the call is found
    (cache / "2025-03-01-example-call.txt").write_text(
        "2025-03-01\nTrump spoke by phone with Putin on Saturday, the Kremlin said.\n"
    )
    report = json.loads(
        runner.invoke(app, ["eval", str(tmp_path), "--cache", str(cache), "--json"]).stdout
    )
    assert report["scored"] == 1 and report["missing"] == []
    assert report["overall"]["tp"] == 1


@pytest.mark.parametrize("split", ["dev", "test"])
def test_real_text_scores_when_the_cache_is_present(runner: CliRunner, split: str) -> None:
    cache = corpus.cache_dir()
    items = corpus.load_corpus(ROOT, split=split, pack="ukraine-2025")
    if not any(i.text(cache) is not None for i in items):
        pytest.skip(f"no cached corpus texts in {cache}")
    result = runner.invoke(
        app, ["eval", str(ROOT), "--split", split, "--pack", "ukraine-2025", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    # a floor far under today's figure: it catches a broken pipeline or corpus, not small drifts
    assert report["scored"] >= 40 and report["overall"]["f1"] >= 0.3
