"""The server under many concurrent clients: no request waits forever for a database connection."""

import asyncio
import time

import httpx

from accord.config import get_settings
from accord.web.app import create_app
from conftest import serving

CLIENTS = 40


async def _burst(base: str, token: str, path: str) -> list[int]:
    headers = {"Authorization": f"Bearer {token}"}

    async def one() -> int:
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=20) as client:
            statuses = [(await client.get(path)).status_code for _ in range(3)]
        return max(statuses)

    return list(await asyncio.gather(*(one() for _ in range(CLIENTS))))


def test_more_clients_than_threads_and_pooled_connections(web, fresh_db) -> None:  # type: ignore[no-untyped-def]
    """40 clients against 2 handler threads: every request is answered, none times out.

    A request keeps its database connection across several handler threads; with a capped
    connection pool, requests holding connections waited for a thread while every thread waited
    for a connection, until the pool's 30 s time-out turned them into errors.
    """
    _client, tokens, _source_id = web
    app = create_app(get_settings(secret_key="k", serve_threads=2), fresh_db)
    with serving(app) as base:
        began = time.monotonic()
        statuses = asyncio.run(_burst(base, tokens["viewer"], "/api/v1/incidents?limit=20"))
        assert statuses == [200] * CLIENTS
        assert time.monotonic() - began < 20
