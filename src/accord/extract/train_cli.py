"""``accord extract``: claims from a file, and ``accord extract train`` to retrain the scorer."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from typer.core import TyperGroup

from accord.cli.common import DbOption, JsonOption, console, print_json, settings
from accord.db.session import session_scope
from accord.errors import InvalidInput
from accord.extract import corpus, scorer, training
from accord.extract.cli import extract
from accord.extract.pipeline import extractor_for


class ExtractGroup(TyperGroup):
    """``accord extract FILE`` extracts; ``accord extract train`` is the one sub-command."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """Treat a first argument that names no sub-command as the file to extract."""
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "file", self.commands["file"], args
        return super().resolve_command(ctx, args)


app = typer.Typer(
    cls=ExtractGroup,
    no_args_is_help=True,
    help="Print the claims of a document (`accord extract FILE`), or retrain the scorer.",
)
app.command("file", help="Print the claims of a document (the same as `accord extract FILE`).")(
    extract
)


@app.command()
def train(
    devset: Annotated[
        list[Path] | None,
        typer.Option(help="Folder of *.expected.json gold files (repeatable)."),
    ] = None,
    corpus_dir: Annotated[
        Path | None,
        typer.Option("--corpus", help="Real-text corpus folder; only its dev part is used."),
    ] = None,
    reviews: Annotated[bool, typer.Option(help="Use the database's reviewed claims.")] = True,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Model file (default: ACCORD_HOME/models/scorer.json)."
        ),
    ] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Retrain the claim scorer from reviews and annotated documents; write a versioned model."""
    cfg = settings()
    folders = devset if devset is not None else [Path("tests/data/devset")]
    documents: list[training.Document] = []
    for folder in folders:
        if folder.is_dir():
            documents += list(training.gold_folder_documents(folder))
    corpus_path = corpus_dir or Path("corpus")
    if corpus.is_corpus(corpus_path):
        documents += list(training.corpus_documents(corpus_path, corpus.cache_dir()))
    review_examples = None
    extractor = extractor_for(cfg.pack, "rules")
    if reviews:
        with session_scope(cfg.database_url(db)) as session:
            review_examples = training.review_examples(session)
    try:
        weights, bias, result = training.train(
            documents,
            extractor.extract,
            review_examples,
            progress=lambda docs: _progress(list(docs)),
        )
    except ValueError as exc:
        raise InvalidInput(f"train: {exc}") from exc
    target = output or cfg.home_dir / "models" / "scorer.json"
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    info = {"version": f"scorer-{stamp}", **dataclasses.asdict(result)}
    for derived in ("path", "sha256", "calibration"):
        info.pop(derived, None)
    calibration = np.array(result.calibration)
    scorer.save(target, weights, bias, result.threshold, info, calibration)
    result.path = target
    result.sha256 = scorer.load(target).sha256
    if json_out:
        print_json({**dataclasses.asdict(result), "path": str(target)})
        return
    console.print(
        f"trained on {result.examples} candidates ({result.positives} correct) from "
        f"{result.documents} documents and {result.reviews} reviewed claims; threshold "
        f"{result.threshold}; out-of-fold F1 {result.out_of_fold_f1} (rules alone "
        f"{result.rules_f1}); calibrated on {result.calibration_examples} real-text examples, "
        f"Brier {result.brier_raw} -> {result.brier_calibrated} out of fold; model {target} "
        f"sha256 {result.sha256[:12]}",
        highlight=False,
        soft_wrap=True,
    )


def _progress(documents: list[training.Document]) -> Iterable[training.Document]:
    """Yield the documents behind a progress bar while the rules run over them."""
    from rich.progress import track

    return track(documents, description="extracting candidates", transient=True)
