"""Film status: each film's current stage, percent done and ETA, from measured stage durations."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from projections.base import Projection
from schemas.envelope import Envelope

DEFAULT_STAGE_SECONDS = 10.0
"""Expected duration of a stage never seen finishing before."""
REVIEW_STATUS = {"FilmHeldForReview": "held", "FilmApproved": "running", "FilmRejected": "rejected"}
"""The moderation queue's decisions, as film statuses."""


class StageStats:
    """stage_stats read once per batch; kept current from what each upsert returns (the database's own
    arithmetic, so live and rebuilt views agree to the last bit)."""

    def __init__(self, cursor: Any) -> None:
        cursor.execute("SELECT stage, runs, total_seconds FROM stage_stats")
        self.rows: dict[str, tuple[int, float]] = {s: (int(r), float(t)) for s, r, t in cursor.fetchall()}

    def expected(self, stages: list[str]) -> dict[str, float]:
        """Mean measured duration per stage (the default for a stage never seen finishing)."""
        expected = dict.fromkeys(stages, DEFAULT_STAGE_SECONDS)
        for stage in stages:
            runs, total = self.rows.get(stage, (0, 0.0))
            if runs:
                expected[stage] = max(0.1, total / runs)
        return expected

    def add(self, cursor: Any, stage: str, seconds: float) -> None:
        cursor.execute(
            "INSERT INTO stage_stats (stage, runs, total_seconds) VALUES (%s, 1, %s) ON CONFLICT (stage) "
            "DO UPDATE SET runs = stage_stats.runs + 1, total_seconds = stage_stats.total_seconds + %s "
            "RETURNING runs, total_seconds",
            (stage, seconds, seconds),
        )
        runs, total = cursor.fetchone()
        self.rows[stage] = (int(runs), float(total))


def progress(
    stages: dict[str, dict[str, Any]], dag: dict[str, list[str]], expected: dict[str, float]
) -> tuple[float, float]:
    """(percent, eta_seconds): work done weighted by expected durations; ETA along the critical path."""
    done = {
        name: 1.0 if s["status"] == "completed" else float(s.get("fraction", 0.0))
        for name, s in stages.items()
    }
    total = sum(expected.values()) or 1.0
    percent = 100.0 * sum(expected[n] * done[n] for n in stages) / total
    finish: dict[str, float] = {}

    def finish_time(name: str) -> float:
        if name not in finish:
            before = max((finish_time(d) for d in dag.get(name, [])), default=0.0)
            finish[name] = before + expected[name] * (1.0 - done[name])
        return finish[name]

    eta = max((finish_time(n) for n in stages), default=0.0)
    return round(percent, 1), round(eta, 1)


class FilmsView(Projection):
    name = "films"
    tables = ("films", "stage_stats")
    ddl = (
        "CREATE TABLE IF NOT EXISTS films (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, owner_id TEXT NOT NULL, "
        "status TEXT NOT NULL, current_stage TEXT, percent REAL NOT NULL DEFAULT 0, eta_seconds REAL, "
        "dag TEXT NOT NULL, stages TEXT NOT NULL, error TEXT, outputs TEXT, priority INTEGER NOT NULL DEFAULT 0, "
        "requested_at TEXT NOT NULL, updated_at TEXT NOT NULL, finished_at TEXT, last_position BIGINT)",
        "CREATE INDEX IF NOT EXISTS films_project ON films (project_id, requested_at)",
        "CREATE INDEX IF NOT EXISTS films_owner ON films (owner_id, requested_at)",
        "CREATE INDEX IF NOT EXISTS films_requested ON films (requested_at)",
        "CREATE INDEX IF NOT EXISTS films_status ON films (status, requested_at)",
        "CREATE TABLE IF NOT EXISTS stage_stats (stage TEXT PRIMARY KEY, runs INTEGER NOT NULL, "
        "total_seconds REAL NOT NULL)",
    )
    types = (
        "FilmRequested",
        "StageRequested",
        "StageStarted",
        "StageProgressed",
        "StageCompleted",
        "StageFailed",
        "FilmCompleted",
        "FilmFailed",
        "FilmCancelled",
        "CreditsReserved",
        *REVIEW_STATUS,
    )

    def apply(self, cursor: Any, event: Envelope) -> None:
        self.apply_batch(cursor, [event])

    def apply_batch(self, cursor: Any, events: Sequence[Envelope]) -> None:
        # A film's events come in runs (a replay holds dozens in a row): fold each run in memory and
        # write the row once. The row after a run equals the row after its last event applied alone.
        stats = StageStats(cursor)
        run: list[Envelope] = []
        for event in events:
            if run and event.aggregate_id != run[0].aggregate_id:
                self._apply_run(cursor, run, stats)
                run = []
            run.append(event)
        if run:
            self._apply_run(cursor, run, stats)

    def _apply_run(self, cursor: Any, run: list[Envelope], stats: StageStats) -> None:
        film_id = str(run[0].aggregate_id)
        row: _FilmRow | None = None
        for event in run:
            if event.type == "CreditsReserved":
                # The credit saga requests the film next: show it as queued from the reservation on.
                self._insert(cursor, event.payload["reservation_id"], event, stats, status="queued")
                continue
            if event.type == "FilmRequested":
                self._write(cursor, film_id, row, stats)
                row = None
                self._insert(cursor, film_id, event, stats)
                continue
            if row is None:
                row = _FilmRow.load(cursor, film_id)
                if row is None:
                    continue
            row.evolve(cursor, event, stats)
        self._write(cursor, film_id, row, stats)

    def _insert(
        self, cursor: Any, film_id: str, event: Envelope, stats: StageStats, status: str = "running"
    ) -> None:
        p, at = event.payload, event.occurred_at.isoformat()
        stages = {name: {"status": "pending", "attempt": 0, "fraction": 0.0} for name in p["stages"]}
        percent, eta = progress(stages, p["stages"], stats.expected(list(stages)))
        cursor.execute(
            "INSERT INTO films (id, project_id, owner_id, status, percent, eta_seconds, dag, stages, priority, "
            "requested_at, updated_at, last_position) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (id) DO UPDATE SET status = excluded.status, last_position = excluded.last_position "
            "WHERE films.status = 'queued' AND excluded.status = 'running'",
            (film_id, p["project_id"], p["owner_id"], status, percent, eta, json.dumps(p["stages"]), json.dumps(stages),
             p.get("priority", 0), at, at, event.position),
        )

    def _write(self, cursor: Any, film_id: str, row: _FilmRow | None, stats: StageStats) -> None:
        if row is None or row.position is None:
            return
        eta: float | None
        percent, eta = progress(row.stages, row.dag, stats.expected(list(row.stages)))
        if row.status == "completed":
            percent, eta = 100.0, 0.0
        elif row.status != "running":
            eta = None
        cursor.execute(
            "UPDATE films SET status = %s, current_stage = COALESCE(%s, current_stage), percent = %s, "
            "eta_seconds = %s, stages = %s, error = COALESCE(%s, error), outputs = COALESCE(%s, outputs), "
            "updated_at = %s, finished_at = COALESCE(%s, finished_at), last_position = %s WHERE id = %s",
            (row.status, row.current, percent, eta, json.dumps(row.stages), row.error, row.outputs, row.at,
             row.finished, row.position, film_id),
        )


class _FilmRow:
    """A films row being changed by a run of its events; unset columns keep their stored values."""

    def __init__(self, dag: dict[str, list[str]], stages: dict[str, dict[str, Any]], status: str) -> None:
        self.dag, self.stages, self.status = dag, stages, status
        self.current: str | None = None
        self.error: str | None = None
        self.outputs: str | None = None
        self.finished: str | None = None
        self.at = ""
        self.position: int | None = None

    @classmethod
    def load(cls, cursor: Any, film_id: str) -> _FilmRow | None:
        cursor.execute("SELECT dag, stages, status FROM films WHERE id = %s", (film_id,))
        found = cursor.fetchone()
        return None if found is None else cls(json.loads(found[0]), json.loads(found[1]), found[2])

    def evolve(self, cursor: Any, event: Envelope, stats: StageStats) -> None:
        p, at = event.payload, event.occurred_at.isoformat()
        self.at, self.position = at, event.position
        if event.type.startswith("Stage"):
            stage = self.stages[p["stage"]]
            self.current = p["stage"]
            if event.type == "StageRequested":
                stage.update(status="requested", attempt=p["attempt"], fraction=0.0)
            elif event.type == "StageStarted":
                stage.update(status="running", worker=p["worker"], started_at=at)
            elif event.type == "StageProgressed":
                stage.update(fraction=p["fraction"], message=p["message"])
            elif event.type == "StageCompleted":
                stage.update(status="completed", fraction=1.0, seconds=p["seconds"])
                stats.add(cursor, p["stage"], p["seconds"])
            elif event.type == "StageFailed":
                stage.update(status="failed", reason=p["reason"], retryable=p["retryable"])
        elif event.type in REVIEW_STATUS:
            self.status = REVIEW_STATUS[event.type]
            if event.type == "FilmRejected":
                self.finished, self.error = at, f"Rejected in review: {p['note']}"
        else:
            self.status = {"FilmCompleted": "completed", "FilmFailed": "failed", "FilmCancelled": "cancelled"}[event.type]
            self.finished = at
            if event.type == "FilmCompleted":
                self.outputs = json.dumps(p["outputs"])
            elif p.get("reason") is not None:
                self.error = p["reason"]
