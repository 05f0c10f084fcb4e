"""Projects list and detail, with the state of each project's latest film."""

from __future__ import annotations

import json
from typing import Any

from projections.base import Projection
from schemas.envelope import Envelope


class ProjectsView(Projection):
    name = "projects"
    tables = ("projects",)
    ddl = (
        "CREATE TABLE IF NOT EXISTS projects (id TEXT PRIMARY KEY, owner_id TEXT NOT NULL, title TEXT NOT NULL, "
        "spec TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, "
        "updated_at TEXT NOT NULL, film_count INTEGER NOT NULL DEFAULT 0, last_film_id TEXT, "
        "last_film_status TEXT, version INTEGER NOT NULL DEFAULT 0)",
        "CREATE INDEX IF NOT EXISTS projects_owner ON projects (owner_id, updated_at)",
        "CREATE INDEX IF NOT EXISTS projects_owner_created ON projects (owner_id, created_at)",
        # A film's end updates its project by last_film_id: without this, a table scan per finished film.
        "CREATE INDEX IF NOT EXISTS projects_last_film ON projects (last_film_id)",
    )
    types = (
        "ProjectCreated",
        "ProjectUpdated",
        "ProjectDeleted",
        "FilmRequested",
        "FilmCompleted",
        "FilmFailed",
        "FilmCancelled",
        "FilmHeldForReview",
        "FilmApproved",
        "FilmRejected",
    )

    def apply(self, cursor: Any, event: Envelope) -> None:
        p, at = event.payload, event.occurred_at.isoformat()
        if event.type == "ProjectCreated":
            cursor.execute(
                "INSERT INTO projects (id, owner_id, title, spec, created_at, updated_at, version) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
                (
                    str(event.aggregate_id),
                    p["owner_id"],
                    p["spec"]["title"],
                    json.dumps(p["spec"]),
                    at,
                    at,
                    event.aggregate_version,
                ),
            )
        elif event.type == "ProjectUpdated":
            cursor.execute("SELECT spec FROM projects WHERE id = %s", (str(event.aggregate_id),))
            row = cursor.fetchone()
            if row is None:
                return
            spec = {**json.loads(row[0]), **p["changes"]}
            cursor.execute(
                "UPDATE projects SET spec = %s, title = %s, updated_at = %s, version = %s WHERE id = %s",
                (json.dumps(spec), spec["title"], at, event.aggregate_version, str(event.aggregate_id)),
            )
        elif event.type == "ProjectDeleted":
            cursor.execute(
                "UPDATE projects SET deleted = 1, updated_at = %s WHERE id = %s",
                (at, str(event.aggregate_id)),
            )
        elif event.type == "FilmRequested":
            cursor.execute(
                "UPDATE projects SET film_count = film_count + 1, last_film_id = %s, last_film_status = %s, "
                "updated_at = %s WHERE id = %s",
                (str(event.aggregate_id), "running", at, p["project_id"]),
            )
        else:
            status = {
                "FilmCompleted": "completed",
                "FilmFailed": "failed",
                "FilmCancelled": "cancelled",
                "FilmHeldForReview": "held",
                "FilmApproved": "running",
                "FilmRejected": "rejected",
            }[event.type]
            cursor.execute(
                "UPDATE projects SET last_film_status = %s, updated_at = %s WHERE last_film_id = %s",
                (status, at, str(event.aggregate_id)),
            )
