"""A film's live progress as Server-Sent Events: its row each time it changes, until the film finishes."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio.to_thread

FINISHED = ("completed", "failed", "cancelled")


def sse(event: str, data: Any, event_id: str | None = None) -> str:
    """One event in text/event-stream framing."""
    lines = [f"event: {event}"]
    if event_id is not None:
        lines.append(f"id: {event_id}")
    lines += [f"data: {line}" for line in json.dumps(data, default=str).splitlines()]
    return "\n".join(lines) + "\n\n"


async def film_progress(
    read_film: Callable[[], dict[str, Any] | None],
    in_thread: bool,
    render: Callable[[dict[str, Any]], dict[str, Any]],
    *,
    poll_seconds: float,
    heartbeat_seconds: float,
    last_event_id: str | None = None,
) -> AsyncIterator[str]:
    """Polls the film's read-model row; sends `film` events on change and `end` once it has finished.

    A client reconnecting with Last-Event-ID (the film's log position) is not sent the row it already has.
    """
    seen = last_event_id
    quiet_since = time.monotonic()
    yield "retry: 2000\n\n"
    while True:
        row = await anyio.to_thread.run_sync(read_film) if in_thread else read_film()
        if row is None:
            yield sse("end", {"status": "gone", "detail": "The film is no longer visible to you."})
            return
        position = str(row.get("last_position"))
        if position != seen:
            seen = position
            quiet_since = time.monotonic()
            yield sse("film", render(row), position)
        if row["status"] in FINISHED:
            yield sse("end", {"status": row["status"]})
            return
        if time.monotonic() - quiet_since >= heartbeat_seconds:
            quiet_since = time.monotonic()
            yield ": still working\n\n"
        await anyio.sleep(poll_seconds)
