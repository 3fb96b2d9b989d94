"""``accord extract`` and ``accord eval``: claims from a file, and scoring against gold files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from accord.cli.common import JsonOption, console, err_console, print_json, settings
from accord.extract import corpus
from accord.extract.corpus_eval import evaluate_corpus
from accord.extract.evaluate import Evaluation, evaluate
from accord.extract.pipeline import extractor_for
from accord.extract.service import extract_file
from accord.sources.readers import parse_date

ModeOption = Annotated[
    str | None,
    typer.Option(
        "--mode",
        help="rules (fast) or accurate (rules + learned scorer); default ACCORD_EXTRACT_MODE.",
    ),
]
PackOption = Annotated[
    str | None, typer.Option("--pack", help="Pack folder or bundled id (default: ACCORD_PACK).")
]


def extract(
    file: Annotated[Path, typer.Argument(help="A .txt, .md, .html or .json document.")],
    pack: PackOption = None,
    date: Annotated[
        str | None, typer.Option(help="Publication date (default: front matter or file name).")
    ] = None,
    mode: ModeOption = None,
    json_out: JsonOption = False,
) -> None:
    """Print the claims of a document (contract JSON with --json); stores nothing."""
    cfg = settings()
    published = parse_date(date, where="--date") if date else None
    result = extract_file(
        file, pack=pack or cfg.pack, published=published, max_bytes=cfg.max_file_bytes, mode=mode
    )
    if json_out:
        print_json(result.model_dump(mode="json", exclude_none=True))
        return
    if not result.claims:
        err_console.print(
            f"no claims found in {file}: it names no known actor taking a stance, assessing an "
            "issue or meeting another",
            highlight=False,
            soft_wrap=True,
        )
        return
    table = Table(title=f"{len(result.claims)} claims in {file.name}")
    for column in ("kind", "issue", "holder", "stance/status/event", "date", "conf", "quote"):
        table.add_column(column)
    for c in result.claims:
        value: str = c.stance or c.status or c.event_type or ""
        if c.progress_pct is not None:
            value += f" ({c.progress_pct}%)"
        who = c.holder or ", ".join(c.participants or [])
        table.add_row(
            c.kind, c.issue or "", who, value, c.date or "", f"{c.confidence:.2f}", c.quote[:80]
        )
    console.print(table)


def eval_(
    gold: Annotated[
        Path,
        typer.Argument(
            help="A gold file, a folder of *.expected.json files, or a corpus folder (gold/)."
        ),
    ],
    pack: PackOption = None,
    split: Annotated[
        str | None, typer.Option(help="Corpus only: score the dev or the test part.")
    ] = None,
    cache: Annotated[
        Path | None,
        typer.Option(help="Corpus only: folder of cached texts (default: ACCORD_CORPUS_CACHE)."),
    ] = None,
    mode: ModeOption = None,
    json_out: JsonOption = False,
) -> None:
    """Score extraction against gold files: P/R/F1 per kind, with misses and false alarms."""
    if corpus.is_corpus(gold):
        _eval_corpus(gold, split, cache or corpus.cache_dir(), pack, mode, json_out)
        return
    report = evaluate(gold, extractor_for(pack or settings().pack, mode))
    if json_out:
        print_json(report.as_dict())
        return
    _print_report(report)


def _eval_corpus(
    folder: Path, split: str | None, cache: Path, pack: str | None, mode: str | None, json_out: bool
) -> None:
    """Score the corpus's cached items; name those missing from the cache or not scoreable."""
    items = corpus.load_corpus(folder, split=split, pack=pack)
    result = evaluate_corpus(items, lambda name: extractor_for(name, mode), cache)
    if json_out:
        print_json(result.as_dict())
        return
    if result.missing:
        err_console.print(
            f"{len(result.missing)} items are not in the cache {cache} (see corpus/README.md to "
            f"rebuild it): {', '.join(result.missing)}",
            highlight=False,
            soft_wrap=True,
        )
    for item_id, reason in result.unscoreable.items():
        err_console.print(f"not scored: {item_id}: {reason}", highlight=False, soft_wrap=True)
    _print_report(result.evaluation)


def _print_report(report: Evaluation) -> None:
    """Print each document's misses and false alarms, then the score table."""
    for doc in report.documents:
        if doc.misses or doc.false_alarms:
            console.print(
                f"[bold]{escape(Path(doc.text_file).name)}[/bold] F1 {doc.score.f1:.2f}",
                markup=True,
            )
            for key in doc.misses:
                console.print(f"  miss        {' / '.join(key)}", highlight=False)
            for key in doc.false_alarms:
                console.print(f"  false alarm {' / '.join(key)}", highlight=False)
    table = Table(title=f"extraction scores over {len(report.documents)} documents")
    for column in ("kind", "tp", "fp", "fn", "precision", "recall", "F1"):
        table.add_column(column, justify="right")
    for name, score in [*report.by_kind.items(), ("overall", report.overall)]:
        table.add_row(
            name,
            str(score.tp),
            str(score.fp),
            str(score.fn),
            f"{score.precision:.3f}",
            f"{score.recall:.3f}",
            f"{score.f1:.3f}",
        )
    console.print(table)
