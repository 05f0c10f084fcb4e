"""Export the event log for analysts: JSON lines or Parquet, written page by page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from events.store import EventStore
from schemas.envelope import Envelope

PAGE = 5000
FORMATS = ("jsonl", "parquet")
REDACTED = frozenset({"password_hash"})
"""Payload fields that never leave the event store: analysts get the event, not the credential."""


def parquet_schema() -> Any:
    """One fixed schema, so every export (even an empty one) has the same typed columns."""
    import pyarrow as pa

    return pa.schema(
        [
            ("position", pa.int64()),
            ("event_id", pa.string()),
            ("type", pa.string()),
            ("schema_version", pa.int32()),
            ("aggregate_type", pa.string()),
            ("aggregate_id", pa.string()),
            ("aggregate_version", pa.int64()),
            ("occurred_at", pa.timestamp("us", tz="UTC")),
            ("causation_id", pa.string()),
            ("correlation_id", pa.string()),
            ("actor", pa.string()),
            ("payload", pa.string()),  # JSON text: one column holds every event type
        ]
    )


def pages(store: EventStore, since: int = 0) -> Iterator[list[Envelope]]:
    """The log after `since`, a page at a time (never the whole log in memory)."""
    after = since
    while page := store.read(after=after, limit=PAGE):
        yield page
        after = page[-1].position or after


def _redacted(payload: dict[str, Any]) -> dict[str, Any]:
    return {k: ("[redacted]" if k in REDACTED else v) for k, v in payload.items()}


def _json_row(event: Envelope) -> dict[str, Any]:
    row = event.model_dump(mode="json")
    row["payload"] = _redacted(row["payload"])
    return row


def _parquet_row(event: Envelope) -> dict[str, Any]:
    row = event.model_dump(mode="python", exclude={"payload"})
    for name in ("event_id", "aggregate_id", "causation_id", "correlation_id"):
        row[name] = str(row[name]) if row[name] is not None else None
    row["payload"] = json.dumps(_json_row(event)["payload"], ensure_ascii=False)
    return row


def export_events(store: EventStore, out: Path, since: int = 0, fmt: str = "jsonl") -> int:
    """Write the events after position `since` to `out`; returns how many were written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use jsonl or parquet")
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    if fmt == "jsonl":
        with out.open("w", encoding="utf-8") as fh:
            for page in pages(store, since):
                fh.writelines(json.dumps(_json_row(e), ensure_ascii=False) + "\n" for e in page)
                count += len(page)
        return count
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    with pq.ParquetWriter(out, schema) as writer:
        for page in pages(store, since):
            writer.write_table(pa.Table.from_pylist([_parquet_row(e) for e in page], schema=schema))
            count += len(page)
    return count
