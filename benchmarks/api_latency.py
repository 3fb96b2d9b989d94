"""API latency: Uvicorn on 127.0.0.1 with 100,000 incidents and the seed's claims loaded.

50 concurrent httpx clients call the board and the paged incident list for a bounded time;
the script reports p50/p99 latency, requests per second and errors per endpoint. The server runs
in a subprocess on a free loopback port and is stopped at the end. The incident list is measured
as served (pages are kept until anything stored changes), with the page cache turned off
(``ACCORD_PAGE_CACHE_MB=0``, so every request reads its page from the database), and both
endpoints again while a monitor files an incident every second (every cached answer then goes
stale once a second).

``--varied`` adds the honest run: every request of every client asks for a different incident
list (a random page, and a random mix of type, status and date filters drawn from what was
imported), so the page cache rarely holds the answer; it is measured with the cache on and off.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AsyncExitStack, contextmanager
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))

from incident_import import write_csv
from sqlalchemy import text

from accord.db import migrate
from accord.db.session import session_scope
from accord.incidents import importing
from accord.packs import service as packs
from accord.sources import service as sources
from accord.sources.blobs import BlobStore
from accord.users import service as users

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "2025-12-28-mar-a-lago-talks.txt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(
    url: str, home: Path, workers: int = 1, environment: dict[str, str] | None = None
) -> Iterator[tuple[str, int]]:
    """Run `accord serve` on a free loopback port until the block ends; yield (base URL, pid)."""
    port = free_port()
    env = {
        **os.environ,
        "ACCORD_HOME": str(home),
        "ACCORD_SECRET_KEY": "bench",
        **(environment or {}),
    }
    command = [sys.executable, "-m", "accord.cli.main", "serve", "--port", str(port)]
    server = subprocess.Popen(  # noqa: S603 — our own CLI, run with this interpreter
        [*command, "--db", url, "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            sys.exit("the server did not start")
        yield base, server.pid
    finally:
        server.terminate()
        server.wait(timeout=20)


def monitor_token(url: str) -> str:
    """Create a monitor and return an API token for them."""
    with session_scope(url) as session:
        users.create(session, "bench-monitor", "monitor", "bench-password", by="bench")
        return users.issue_token(session, "bench-monitor", by="bench")


def prepare(folder: Path, incidents: int) -> tuple[str, str]:
    url = f"sqlite:///{folder / 'api.db'}"
    migrate.upgrade(url)
    with session_scope(url) as session:
        packs.load_by_name(session, "ukraine-2025", by="bench")
        if SEED.exists():
            sources.ingest_path(
                session, SEED, by="bench", blobs=BlobStore(folder / "blobs"), max_bytes=10**7
            )
        users.create(session, "bench", "viewer", "bench-password", by="bench")
        token = users.issue_token(session, "bench", by="bench")
    data = folder / "incidents.csv"
    write_csv(data, incidents)
    importing.run_import(
        data, "acled", area=None, by="bench", open_session=lambda: session_scope(url)
    )
    return url, token


def server_cpu_seconds(pid: int) -> float:
    """Return the CPU time used so far by the server process and its workers (Linux /proc)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def varied_paths(url: str, seed: int = 7) -> Callable[[], str]:
    """Return a function that draws a different incident-list URL on every call.

    Pages are drawn over the whole table; filters over the types and statuses actually stored
    and date windows over the imported month, each present or not at random.
    """
    with session_scope(url) as session:
        types = [row[0] for row in session.execute(text("SELECT DISTINCT type FROM incidents"))]
        statuses = [
            row[0] for row in session.execute(text("SELECT DISTINCT status FROM incidents"))
        ]
        total = int(session.execute(text("SELECT count(*) FROM incidents")).scalar_one())
    rng = random.Random(seed)  # noqa: S311 — a benchmark's request mix, not security

    def draw() -> str:
        if rng.random() < 0.5:  # any page of the whole list
            query = [f"limit=50&offset={rng.randrange(0, max(total - 50, 1))}"]
        else:  # one of the first 40 pages of a filtered list
            query = [f"limit=50&offset={50 * rng.randrange(0, 40)}"]
            if rng.random() < 0.6:
                query.append(f"type={rng.choice(types)}")
            if rng.random() < 0.4:
                query.append(f"status={rng.choice(statuses)}")
            if rng.random() < 0.5:
                first = rng.randrange(1, 28)
                last = min(28, first + rng.randrange(0, 10))
                query.append(f"from=2026-02-{first:02d}&to=2026-02-{last:02d}")
        return "/api/v1/incidents?" + "&".join(query)

    return draw


async def client_loop(
    client: httpx.AsyncClient,
    path: str | Callable[[], str],
    until: float,
    samples: list[float],
    errors: list[int],
) -> None:
    while time.perf_counter() < until:
        target = path if isinstance(path, str) else path()
        start = time.perf_counter()
        try:
            response = await client.get(target)
            if response.status_code != 200:
                errors.append(response.status_code)
        except httpx.HTTPError:
            errors.append(-1)
        samples.append((time.perf_counter() - start) * 1000)


async def writer_loop(
    client: httpx.AsyncClient, until: float, every: float, written: list[int], errors: list[int]
) -> None:
    """File one incident every ``every`` seconds until ``until`` (a monitor at work)."""
    body = {"type": "explosion", "latitude": 48.0, "longitude": 37.5, "occurred_at": "2026-02-27"}
    while time.perf_counter() + every < until:
        await asyncio.sleep(every)
        response = await client.post("/api/v1/incidents", json=body)
        (written if response.status_code == 201 else errors).append(response.status_code)


async def load(
    base: str,
    token: str,
    path: str | Callable[[], str],
    clients: int,
    seconds: float,
    pid: int,
    writer_token: str | None = None,
) -> dict[str, float]:
    """Drive one endpoint with ``clients`` concurrent clients for ``seconds``; return figures.

    Each client is its own ``httpx.AsyncClient`` with one keep-alive connection, as 50 users or
    tools would be. (One client with a 50-connection pool spends more CPU per request than the
    server does: httpcore scans its pool on every request.) With ``writer_token`` a monitor also
    files one incident a second, so every cached answer goes stale once a second; its requests
    are not counted in the figures.
    """
    samples: list[float] = []
    errors: list[int] = []
    written: list[int] = []
    headers = {"Authorization": f"Bearer {token}"}
    async with AsyncExitStack() as stack:
        pool = [
            await stack.enter_async_context(
                httpx.AsyncClient(base_url=base, headers=headers, timeout=30)
            )
            for _ in range(clients)
        ]
        first = path if isinstance(path, str) else path()
        await asyncio.gather(*(client.get(first) for client in pool))  # connect every client
        # The load generator's own garbage collector would otherwise stop all 50 clients for
        # tens of milliseconds whenever it scans the objects imported and built so far (accord,
        # SQLAlchemy, httpx): latency the server never caused. Freezing them leaves the
        # collector only the objects the run itself creates.
        gc.collect()
        gc.freeze()
        cpu_before = server_cpu_seconds(pid)
        client_before = time.process_time()
        until = time.perf_counter() + seconds
        tasks = [client_loop(client, path, until, samples, errors) for client in pool]
        if writer_token is not None:
            writer = await stack.enter_async_context(
                httpx.AsyncClient(
                    base_url=base, headers={"Authorization": f"Bearer {writer_token}"}, timeout=30
                )
            )
            tasks.append(writer_loop(writer, until, 1.0, written, errors))
        try:
            await asyncio.gather(*tasks)
        finally:
            gc.unfreeze()
        cpu_used = server_cpu_seconds(pid) - cpu_before
        client_used = time.process_time() - client_before
    samples.sort()
    return {
        "requests": len(samples),
        "rps": round(len(samples) / seconds, 1),
        "p50_ms": round(statistics.median(samples), 1),
        "p99_ms": round(samples[int(len(samples) * 0.99) - 1], 1),
        "errors": len(errors),
        "writes": len(written),
        "server_cpu_ms_per_request": round(cpu_used * 1000 / max(len(samples), 1), 2),
        "client_cpu_ms_per_request": round(client_used * 1000 / max(len(samples), 1), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--varied", action="store_true", help="only the varied-request runs (cache on and off)"
    )
    args = parser.parse_args()
    page = "/api/v1/incidents?limit=50&offset=500"
    with tempfile.TemporaryDirectory() as tmp:
        url, token = prepare(Path(tmp), args.incidents)
        monitor = monitor_token(url)
        if args.varied:
            results = {}
            for label, environment in (
                ("cache on", {}),
                ("cache off", {"ACCORD_PAGE_CACHE_MB": "0"}),
            ):
                with running_server(url, Path(tmp), args.workers, environment) as (base, pid):
                    draw = varied_paths(url)
                    results[f"varied incident lists ({label})"] = asyncio.run(
                        load(base, token, draw, args.clients, args.seconds, pid)
                    )
            report(args, results)
            return
        with running_server(url, Path(tmp), args.workers) as (base, pid):
            results = {
                path: asyncio.run(load(base, token, path, args.clients, args.seconds, pid))
                for path in ("/api/v1/board", page)
            }
            for path in ("/api/v1/board", page):
                results[f"{path} (a write every second)"] = asyncio.run(
                    load(base, token, path, args.clients, args.seconds, pid, monitor)
                )
        cache_off = {"ACCORD_PAGE_CACHE_MB": "0"}
        with running_server(url, Path(tmp), args.workers, cache_off) as (base, pid):
            results[f"{page} (page cache off)"] = asyncio.run(
                load(base, token, page, args.clients, args.seconds, pid)
            )
    report(args, results)


def report(args: argparse.Namespace, results: dict[str, dict[str, float]]) -> None:
    """Print the run's settings and figures as JSON."""
    print(
        json.dumps(
            {
                "incidents": args.incidents,
                "clients": args.clients,
                "seconds": args.seconds,
                "workers": args.workers,
                "results": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
