"""Per-project audit trail: every event that touched a project or one of its films."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from projections.base import Projection
from schemas import events as _registers_event_types  # noqa: F401 - fills EVENT_TYPES
from schemas.envelope import EVENT_TYPES, Envelope

SKIPPED = ("CommandAccepted", "StageProgressed")
"""Progress ticks and idempotency records would drown the trail."""

TRAIL_TYPES = tuple(
    name for name, cls in EVENT_TYPES.items() if cls.aggregate in ("project", "film") and name not in SKIPPED
)
"""Read only these: the log's other half (records, progress ticks, accounts) never reaches the trail."""


def summarise(event: Envelope) -> str:
    p = event.payload
    match event.type:
        case "StageRequested":
            return f"{p['stage']} requested (attempt {p['attempt']})"
        case "StageStarted":
            return f"{p['stage']} started on {p['worker']}"
        case "StageCompleted":
            return f"{p['stage']} completed in {p['seconds']:.1f} s"
        case "StageFailed":
            return f"{p['stage']} failed: {p['reason']}"
        case "FilmFailed":
            return f"film failed: {p['reason']}"
        case "ProjectUpdated":
            return "changed " + ", ".join(sorted(p["changes"]))
    return event.type


class AuditView(Projection):
    name = "audit"
    tables = ("audit", "audit_films")
    ddl = (
        "CREATE TABLE IF NOT EXISTS audit (position BIGINT PRIMARY KEY, project_id TEXT NOT NULL, "
        "film_id TEXT, type TEXT NOT NULL, actor TEXT NOT NULL, occurred_at TEXT NOT NULL, summary TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS audit_project ON audit (project_id, position)",
        "CREATE TABLE IF NOT EXISTS audit_films (film_id TEXT PRIMARY KEY, project_id TEXT NOT NULL)",
    )
    types = TRAIL_TYPES

    def apply(self, cursor: Any, event: Envelope) -> None:
        self.apply_batch(cursor, [event])

    def apply_batch(self, cursor: Any, events: Sequence[Envelope]) -> None:
        # Rows go in with two executemany calls per batch and each film's project is looked up once:
        # on PostgreSQL a statement per event is a network round trip per event.
        films: dict[str, str | None] = {}
        new_films: list[tuple[str, str]] = []
        rows: list[tuple[Any, ...]] = []
        for event in events:
            if event.type in SKIPPED or event.aggregate_type not in ("project", "film"):
                continue
            film_id = None
            if event.aggregate_type == "project":
                project_id: str | None = str(event.aggregate_id)
            else:
                film_id = str(event.aggregate_id)
                if event.type == "FilmRequested":
                    project_id = films[film_id] = event.payload["project_id"]
                    new_films.append((film_id, event.payload["project_id"]))
                else:
                    if film_id not in films:
                        cursor.execute("SELECT project_id FROM audit_films WHERE film_id = %s", (film_id,))
                        found = cursor.fetchone()
                        films[film_id] = None if found is None else found[0]
                    project_id = films[film_id]
                    if project_id is None:
                        continue
            rows.append(
                (event.position, project_id, film_id, event.type, event.actor, event.occurred_at.isoformat(),
                 summarise(event))
            )
        if new_films:
            cursor.executemany(
                "INSERT INTO audit_films (film_id, project_id) VALUES (%s, %s) ON CONFLICT DO NOTHING", new_films
            )
        if rows:
            cursor.executemany(
                "INSERT INTO audit (position, project_id, film_id, type, actor, occurred_at, summary) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (position) DO NOTHING",
                rows,
            )
