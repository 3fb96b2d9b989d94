"""``accord serve``: run the web app with Uvicorn."""

from __future__ import annotations

import os
import secrets
from typing import Annotated

import typer

from accord.cli.common import DbOption, db_url, err_console, settings

WORKER_HEALTHCHECK_SECONDS = 60


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            "--forwarded-allow-ips",
            help=(
                "Proxy addresses (comma-separated, or *) whose X-Forwarded-For and "
                "X-Forwarded-Proto are believed; default: $FORWARDED_ALLOW_IPS, else 127.0.0.1."
            ),
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Serve the web UI and the REST API (schema at /openapi.json).

    Without ACCORD_SECRET_KEY, a random key signs session cookies for this run only; with
    several workers that one key is made here and handed to every worker, so a session signed
    by one worker is valid on all of them.
    """
    import uvicorn

    from accord.web.app import create_app
    from accord.web.memory import limit_malloc_arenas

    limit_malloc_arenas()
    cfg = settings()
    if not cfg.secret_key:
        err_console.print("note: ACCORD_SECRET_KEY is not set; sessions end when the server stops")
    url = db_url(db)
    if workers == 1:
        app = create_app(cfg, url)
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_level="info",
            forwarded_allow_ips=forwarded_allow_ips,  # None: Uvicorn's default
        )
        return
    os.environ["ACCORD_SERVE_DB"] = url  # each worker process builds the app from the environment
    if not cfg.secret_key:
        # one key for all workers (they inherit this process's environment), for this run only
        os.environ["ACCORD_SECRET_KEY"] = secrets.token_urlsafe(32)
    uvicorn.run(
        "accord.web.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        # a worker imports accord (about 4 s of CPU) before it answers the supervisor's first
        # health check; Uvicorn's 5 s default killed and restarted workers on a busy machine
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
        forwarded_allow_ips=forwarded_allow_ips,
    )
