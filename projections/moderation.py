"""The moderation queue: films the content check held, with what it found and what reviewers decided."""

from __future__ import annotations

import json
from typing import Any

from projections.base import Projection
from schemas.envelope import Envelope

DECIDED = {"FilmApproved": "approved", "FilmRejected": "rejected", "FilmCancelled": "cancelled"}


class ModerationView(Projection):
    name = "moderation"
    tables = ("moderation",)
    ddl = (
        "CREATE TABLE IF NOT EXISTS moderation (film_id TEXT PRIMARY KEY, status TEXT NOT NULL, "
        "matches TEXT NOT NULL, excerpt TEXT NOT NULL, held_at TEXT NOT NULL, decided_at TEXT, "
        "decided_by TEXT, note TEXT, last_position BIGINT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS moderation_status ON moderation (status, held_at)",
    )
    types = ("FilmHeldForReview", *DECIDED)

    def apply(self, cursor: Any, event: Envelope) -> None:
        p, film_id, at = event.payload, str(event.aggregate_id), event.occurred_at.isoformat()
        if event.type == "FilmHeldForReview":
            cursor.execute(
                "INSERT INTO moderation (film_id, status, matches, excerpt, held_at, last_position) "
                "VALUES (%s, 'held', %s, %s, %s, %s) ON CONFLICT (film_id) DO NOTHING",
                (film_id, json.dumps(p["matches"]), p["excerpt"], at, event.position),
            )
            return
        # Only a held film's row changes: most cancelled films were never held and have none.
        note = p.get("note", p.get("reason"))
        cursor.execute(
            "UPDATE moderation SET status = %s, decided_at = %s, decided_by = %s, note = %s, last_position = %s "
            "WHERE film_id = %s AND status = 'held'",
            (DECIDED[event.type], at, event.actor, note, event.position, film_id),
        )
