"""``accord corpus``: the real-text corpus's catalogue and which of its texts are cached."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from accord.cli.common import JsonOption, console, print_json
from accord.extract import corpus

app = typer.Typer(no_args_is_help=True, help="The real-text corpus: catalogue and cache.")
FolderArgument = Annotated[Path, typer.Argument(help="The corpus folder (holding gold/).")]


@app.command("list")
def list_(
    folder: FolderArgument = Path("corpus"),
    split: Annotated[str | None, typer.Option(help="Only the dev or the test part.")] = None,
    json_out: JsonOption = False,
) -> None:
    """List the corpus's items with their split and whether their text is cached."""
    cache = corpus.cache_dir()
    items = corpus.load_corpus(folder, split=split)
    rows: list[dict[str, Any]] = [
        {
            "id": i.id,
            "published_at": i.published_at.isoformat(),
            "outlet": i.outlet,
            "genre": i.genre,
            "pack": i.pack,
            "split": i.split,
            "claims": len(i.claims),
            "cached": (cache / f"{i.id}.txt").is_file(),
        }
        for i in items
    ]
    if json_out:
        print_json({"cache": str(cache), "items": rows})
        return
    table = Table(title=f"{len(rows)} items; cache {cache}")
    for column in ("id", "outlet", "genre", "split", "claims", "cached"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            r["id"],
            r["outlet"],
            r["genre"],
            r["split"],
            str(r["claims"]),
            "yes" if r["cached"] else "NO",
        )
    console.print(table)
    by_split = Counter(r["split"] for r in rows)
    console.print(
        f"dev {by_split['dev']}, test {by_split['test']}; "
        f"{sum(r['cached'] for r in rows)} cached; "
        f"{len({r['outlet'] for r in rows})} outlets",
        highlight=False,
    )


@app.command()
def catalogue(
    folder: FolderArgument = Path("corpus"),
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="CSV file (default: standard output).")
    ] = None,
) -> None:
    """Write the catalogue (url, outlet, date, genre, query, split; never article text) as CSV."""
    text = corpus.catalogue_csv(corpus.load_corpus(folder))
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
