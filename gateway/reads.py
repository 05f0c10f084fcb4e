"""Read-model queries of the API: each is one indexed query on the projections' tables (no N+1)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

import anyio.to_thread

from projections.database import ViewDatabase

ARTIFACT_KEY = re.compile(r"^[0-9a-f]{64}(\.[A-Za-z0-9]{1,10})?$")

SESSION_ACCOUNT = (
    "SELECT a.id, a.email, a.display_name, a.role, a.language, s.active FROM sessions s "
    "JOIN accounts a ON a.id = s.account_id WHERE s.session_id = %s"
)
PROJECT_COLUMNS = "id, title, created_at, updated_at, film_count, last_film_id, last_film_status"
PROJECTS_OF_OWNER = (
    f"SELECT {PROJECT_COLUMNS} FROM projects WHERE owner_id = %s AND deleted = 0 "
    "ORDER BY created_at DESC, id DESC LIMIT %s OFFSET %s"
)
COUNT_PROJECTS_OF_OWNER = "SELECT COUNT(*) AS n FROM projects WHERE owner_id = %s AND deleted = 0"
PROJECT_OF_OWNER = (
    f"SELECT {PROJECT_COLUMNS}, version, spec FROM projects WHERE id = %s AND owner_id = %s AND deleted = 0"
)
FILM_COLUMNS = (
    "id, project_id, owner_id, status, current_stage, percent, eta_seconds, dag, stages, error, outputs, "
    "requested_at, updated_at, finished_at, last_position"
)
FILMS_OF_PROJECT = (
    f"SELECT {FILM_COLUMNS} FROM films WHERE project_id = %s AND owner_id = %s "
    "ORDER BY requested_at DESC LIMIT %s"
)
FILM_OF_OWNER = f"SELECT {FILM_COLUMNS} FROM films WHERE id = %s AND owner_id = %s"
FILM_BY_ID = f"SELECT {FILM_COLUMNS} FROM films WHERE id = %s"
ALL_FILMS = f"SELECT {FILM_COLUMNS} FROM films ORDER BY requested_at DESC LIMIT %s OFFSET %s"
ALL_FILMS_WITH_STATUS = (
    f"SELECT {FILM_COLUMNS} FROM films WHERE status = %s ORDER BY requested_at DESC LIMIT %s OFFSET %s"
)
AUDIT_OF_PROJECT = (
    "SELECT position, film_id, type, actor, occurred_at, summary FROM audit "
    "WHERE project_id = %s AND position > %s ORDER BY position LIMIT %s"
)
# Outputs are JSON text; the key is quoted in it. Scans only the owner's films, through films_owner.
OWNED_ARTIFACT = "SELECT 1 AS owned FROM films WHERE owner_id = %s AND outputs LIKE %s LIMIT 1"


R = TypeVar("R")


async def run(views: ViewDatabase, query: Callable[..., R], *args: Any) -> R:
    """Runs a read: inline on SQLite, where an indexed lookup costs less than a hop to a worker thread,
    in a worker thread on a networked database, where waiting would block the event loop."""
    if views.dialect == "sqlite":
        return query(*args)
    return await anyio.to_thread.run_sync(query, *args)


def one(views: ViewDatabase, sql: str, params: tuple[Any, ...]) -> dict[str, Any] | None:
    rows = views.query(sql, params)
    return rows[0] if rows else None


def session_account(views: ViewDatabase, session_id: str) -> dict[str, Any] | None:
    return one(views, SESSION_ACCOUNT, (session_id,))


def projects_of(
    views: ViewDatabase, owner_id: str, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    rows = views.query(PROJECTS_OF_OWNER, (owner_id, limit, offset))
    total = int(views.query(COUNT_PROJECTS_OF_OWNER, (owner_id,))[0]["n"])
    return rows, total


def project_of(views: ViewDatabase, project_id: str, owner_id: str) -> dict[str, Any] | None:
    row = one(views, PROJECT_OF_OWNER, (project_id, owner_id))
    if row is not None:
        row["spec"] = json.loads(row["spec"])
    return row


def film_row(row: dict[str, Any]) -> dict[str, Any]:
    """Decode a films row's JSON columns."""
    row = dict(row)
    for column in ("dag", "stages", "outputs"):
        row[column] = json.loads(row[column]) if row[column] else None
    return row


def films_of_project(views: ViewDatabase, project_id: str, owner_id: str, limit: int) -> list[dict[str, Any]]:
    return [film_row(r) for r in views.query(FILMS_OF_PROJECT, (project_id, owner_id, limit))]


def film_of(views: ViewDatabase, film_id: str, owner_id: str | None) -> dict[str, Any] | None:
    """A film by id, if `owner_id` owns it (None: any owner, for administrators)."""
    row = (
        one(views, FILM_BY_ID, (film_id,))
        if owner_id is None
        else one(views, FILM_OF_OWNER, (film_id, owner_id))
    )
    return film_row(row) if row else None


def all_films(views: ViewDatabase, status: str | None, limit: int, offset: int) -> list[dict[str, Any]]:
    if status is None:
        rows = views.query(ALL_FILMS, (limit, offset))
    else:
        rows = views.query(ALL_FILMS_WITH_STATUS, (status, limit, offset))
    return [film_row(r) for r in rows]


def audit_of(views: ViewDatabase, project_id: str, after: int, limit: int) -> list[dict[str, Any]]:
    return views.query(AUDIT_OF_PROJECT, (project_id, after, limit))


def owns_artifact(views: ViewDatabase, owner_id: str, key: str) -> bool:
    if not ARTIFACT_KEY.match(key):
        return False
    return one(views, OWNED_ARTIFACT, (owner_id, f'%"{key}"%')) is not None


def artifact_keys(outputs: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    """(stage, output name, key) of every artifact a film's outputs reference."""
    found: list[tuple[str, str, str]] = []

    def walk(stage: str, name: str, value: Any) -> None:
        if isinstance(value, str) and ARTIFACT_KEY.match(value):
            found.append((stage, name, value))
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(stage, f"{name}.{k}" if name else str(k), v)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(stage, f"{name}[{i}]", v)

    for stage, output in (outputs or {}).items():
        walk(stage, "", output)
    return found
