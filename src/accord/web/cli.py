"""``accord serve``: run the web app with Uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from accord.cli.common import DbOption, db_url, err_console, settings


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    db: DbOption = None,
) -> None:
    """Serve the web UI and the REST API (docs at /docs)."""
    import uvicorn

    from accord.web.app import create_app

    cfg = settings()
    if not cfg.secret_key:
        err_console.print("note: ACCORD_SECRET_KEY is not set; sessions end when the server stops")
    uvicorn.run(create_app(cfg, db_url(db)), host=host, port=port, log_level="info")
