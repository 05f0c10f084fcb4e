"""Fixed-rate load: work is issued on a steady schedule and timed from its scheduled start.

Timing from the schedule, not from the moment a request was actually sent, keeps a slow server
from hiding its own queueing (no coordinated omission). Used by bench_events.py; also runs alone:

    .venv/bin/python bench/loadgen.py --url http://127.0.0.1:8000 --path /api/projects --rate 200 --seconds 10 \
        --header "Authorization: Bearer ..."
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any


def summary_ms(seconds: Sequence[float]) -> dict[str, float | int]:
    """Nearest-rank percentiles of durations given in seconds, reported in milliseconds."""
    if not seconds:
        return {"n": 0}
    ordered = sorted(seconds)

    def rank(q: float) -> float:
        return round(1000 * ordered[max(0, math.ceil(q * len(ordered)) - 1)], 2)

    return {
        "n": len(ordered),
        "p50": rank(0.50),
        "p95": rank(0.95),
        "p99": rank(0.99),
        "max": round(1000 * ordered[-1], 2),
        "mean": round(1000 * sum(ordered) / len(ordered), 2),
    }


def paced_threads(
    rate: float, seconds: float, work: Callable[[int, float], Any], clients: int = 4
) -> tuple[list[Any], float]:
    """Call `work(i, scheduled_at)` at `rate` per second on `clients` threads; return results and the
    rate at which calls were actually dispatched."""
    count = int(rate * seconds)
    futures: list[Future[Any]] = []
    with ThreadPoolExecutor(clients, thread_name_prefix="client") as pool:
        start = time.perf_counter() + 0.02
        for i in range(count):
            at = start + i / rate
            delay = at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            futures.append(pool.submit(work, i, at))
        dispatched = count / max(1e-9, time.perf_counter() - start)
        results = [f.result() for f in futures]
    return results, dispatched


class _Connection:
    """One keep-alive HTTP/1.1 connection: write a prepared request, read one Content-Length response."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def get(self, request: bytes) -> int:
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.lower().split(b"\r\n"):
            if line.startswith(b"content-length:"):
                length = int(line[15:])
        await self.reader.readexactly(length)
        return status


async def http_fixed_rate(
    base_url: str, paths: Sequence[str], rate: float, seconds: float, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    """GET `paths` in turn at a fixed rate over keep-alive connections; time each from its schedule.

    A bare asyncio HTTP/1.1 client (~0.2 ms of CPU per request) rather than httpx (~6 ms here): on a
    shared 2-core machine the client must not be what runs out of CPU. A request due while every
    connection is busy opens another one, so a slow server never slows the schedule down.
    """
    from urllib.parse import urlparse

    url = urlparse(base_url)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    requests = [f"GET {p} HTTP/1.1\r\nHost: {host}:{port}\r\n{extra}\r\n".encode() for p in paths]
    count = int(rate * seconds)
    from_schedule: list[float] = []
    from_send: list[float] = []
    late: list[float] = []
    statuses: dict[str, int] = {}
    idle: list[_Connection] = []
    opened = retried = 0

    async def connection(reuse: bool = True) -> _Connection:
        nonlocal opened
        if idle and reuse:
            return idle.pop()
        opened += 1
        return _Connection(*await asyncio.open_connection(host, port))

    async def get(request: bytes) -> str:
        nonlocal retried
        reused = bool(idle)
        conn = await connection()
        try:
            status = await conn.get(request)
        except (ConnectionError, asyncio.IncompleteReadError):
            if not reused:
                raise
            # The server closed a connection that sat idle past its keep-alive timeout: as any
            # client does, send the request again on a new connection.
            conn.writer.close()
            retried += 1
            conn = await connection(reuse=False)
            status = await conn.get(request)
        idle.append(conn)
        return str(status)

    async def one(request: bytes, at: float) -> None:
        sent = time.perf_counter()
        late.append(sent - at)
        try:
            key = await get(request)
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            key = type(error).__name__
        done = time.perf_counter()
        statuses[key] = statuses.get(key, 0) + 1
        from_schedule.append(done - at)
        from_send.append(done - sent)

    # Open a few connections first so the scheduled requests do not pay for TCP set-up.
    warm = [await connection() for _ in range(8)]
    for conn in warm:
        await conn.get(requests[0])
    idle.extend(warm)
    tasks = []
    start = time.perf_counter() + 0.05
    for i in range(count):
        at = start + i / rate
        delay = at - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(requests[i % len(requests)], at)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    for conn in idle:
        conn.writer.close()
    return {
        "requests": count,
        "achieved_rps": round(count / elapsed, 1),
        "statuses": statuses,
        "connections_opened": opened,
        "resent_on_closed_keepalive": retried,
        "latency_ms_from_schedule": summary_ms(from_schedule),
        "latency_ms_from_send": summary_ms(from_send),
        "client_send_delay_ms": summary_ms(late),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--path", action="append", required=True, help="repeat for a mix of GETs")
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--header", action="append", default=[], help="'Name: value'")
    args = parser.parse_args()
    headers = dict(h.split(": ", 1) for h in args.header)
    print(json.dumps(asyncio.run(http_fixed_rate(args.url, args.path, args.rate, args.seconds, headers))))


if __name__ == "__main__":
    main()
