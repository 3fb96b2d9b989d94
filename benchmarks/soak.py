"""Soak: the server under steady load from the benchmark client; memory must stay flat.

Uvicorn (one process) serves a database of generated incidents; clients call the board, the
incident list and one incident in turn for the whole run. The server's resident memory is read
from /proc every few seconds after a warm-up; the script prints requests, errors and the memory
series as JSON. `tests/reliability/test_soak.py` runs a short form in CI.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))

from api_latency import prepare, running_server

PATHS = ("/api/v1/board", "/api/v1/incidents?limit=50&offset=100", "/api/v1/incidents/7")


def rss_mb(pid: int) -> float:
    """Return a process's resident set size in MB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


async def soak(
    base: str, token: str, pid: int, clients: int, seconds: float, warmup: float
) -> dict:
    """Drive the server for warm-up + seconds; return counts and the memory series."""
    counts = {"requests": 0, "errors": 0}
    memory: list[float] = []
    began = time.perf_counter()
    until = began + warmup + seconds

    async def one_client(client: httpx.AsyncClient, offset: int) -> None:
        turn = offset
        while time.perf_counter() < until:
            try:
                response = await client.get(PATHS[turn % len(PATHS)])
                counts["errors"] += response.status_code != 200
            except httpx.HTTPError:
                counts["errors"] += 1
            counts["requests"] += 1
            turn += 1

    async def sampler() -> None:
        await asyncio.sleep(warmup)
        while time.perf_counter() < until:
            memory.append(round(rss_mb(pid), 1))
            await asyncio.sleep(max(seconds / 20, 0.5))
        memory.append(round(rss_mb(pid), 1))

    async with httpx.AsyncClient(
        base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30
    ) as client:
        await asyncio.gather(sampler(), *(one_client(client, n) for n in range(clients)))
    return {
        **counts,
        "seconds": seconds,
        "rss_mb": memory,
        "rss_growth_mb": round(memory[-1] - memory[0], 1),
        "rss_max_mb": max(memory),
    }


def main() -> None:
    """Run the soak and print its figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--warmup", type=float, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url, token = prepare(Path(tmp), args.incidents)
        with running_server(url, Path(tmp)) as (base, pid):
            result = asyncio.run(soak(base, token, pid, args.clients, args.seconds, args.warmup))
    print(json.dumps({"incidents": args.incidents, "clients": args.clients, **result}, indent=2))


if __name__ == "__main__":
    main()
