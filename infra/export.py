"""Export the event log for analysts: JSON lines or Parquet."""

from __future__ import annotations

import json
from pathlib import Path

from events.store import EventStore

PAGE = 5000


def export_events(store: EventStore, out: Path, since: int = 0, fmt: str = "jsonl") -> int:
    if fmt not in ("jsonl", "parquet"):
        raise ValueError(f"unknown format {fmt!r}: use jsonl or parquet")
    out.parent.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, object]] = []
    after = since
    while page := store.read(after=after, limit=PAGE):
        rows.extend(json.loads(event.model_dump_json()) for event in page)
        after = page[-1].position or after
    if fmt == "jsonl":
        with out.open("w") as fh:
            fh.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        for row in rows:
            row["payload"] = json.dumps(row["payload"], ensure_ascii=False)  # one column, any event type
        pq.write_table(pa.Table.from_pylist(rows), out)
    return len(rows)
