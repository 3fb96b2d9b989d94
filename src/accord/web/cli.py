"""``accord serve``: run the web app with Uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from accord.cli.common import DbOption, db_url, err_console, settings


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
    db: DbOption = None,
) -> None:
    """Serve the web UI and the REST API (schema at /openapi.json)."""
    import uvicorn

    from accord.web.app import create_app
    from accord.web.memory import limit_malloc_arenas

    limit_malloc_arenas()
    cfg = settings()
    if not cfg.secret_key:
        err_console.print("note: ACCORD_SECRET_KEY is not set; sessions end when the server stops")
    url = db_url(db)
    if workers == 1:
        uvicorn.run(create_app(cfg, url), host=host, port=port, log_level="info")
        return
    import os

    os.environ["ACCORD_SERVE_DB"] = url  # each worker process builds the app from the environment
    uvicorn.run(
        "accord.web.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
    )
