"""Projection contract and the runner that keeps read models caught up with the event log."""

from __future__ import annotations

import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

from events.background import BackgroundLoop
from events.store import EventStore
from projections.database import ViewDatabase
from schemas.envelope import Envelope

log = logging.getLogger(__name__)


class Projection(ABC):
    """A read model: tables, and how each event changes them. Rebuilt by replaying history."""

    name: str
    tables: tuple[str, ...]
    ddl: tuple[str, ...]
    types: tuple[str, ...] = ()
    """Event types it reads; () means all."""

    @abstractmethod
    def apply(self, cursor: Any, event: Envelope) -> None:
        """Change the tables for one event (inside the runner's transaction)."""

    def apply_batch(self, cursor: Any, events: Sequence[Envelope]) -> None:
        """Change the tables for consecutive events in log order; override to fold runs in memory."""
        for event in events:
            self.apply(cursor, event)


POSITIONS_DDL = (
    "CREATE TABLE IF NOT EXISTS projection_positions (name TEXT PRIMARY KEY, position BIGINT NOT NULL)"
)


class ProjectionRunner(BackgroundLoop):
    """Applies events to each projection in batches, recording its position in the same transaction."""

    def __init__(
        self, store: EventStore, db: ViewDatabase, projections: list[Projection], batch: int = 2000
    ) -> None:
        self.store = store
        self.db = db
        self.projections = {p.name: p for p in projections}
        self.batch = batch
        self._advanced = threading.Condition()
        super().__init__("projector")

    def setup(self) -> None:
        with self.db.transaction() as cur:
            cur.execute(POSITIONS_DDL)
            for projection in self.projections.values():
                for statement in projection.ddl:
                    cur.execute(statement)

    def position(self, name: str) -> int:
        rows = self.db.query("SELECT position FROM projection_positions WHERE name = %s", (name,))
        return int(rows[0]["position"]) if rows else 0

    def positions(self) -> dict[str, int]:
        """Every projection's applied position, in one query."""
        rows = self.db.query("SELECT name, position FROM projection_positions")
        stored = {r["name"]: int(r["position"]) for r in rows}
        return {n: stored.get(n, 0) for n in self.projections}

    def min_position(self) -> int:
        # One query, not one per projection: read-your-writes waits call this on every wake-up.
        return min(self.positions().values(), default=0)

    def catch_up(self, projection: Projection) -> int:
        """Apply one batch; return the number of events applied."""
        applied, moved, _ = self._catch_up(
            projection, self.position(projection.name), self.store.last_position()
        )
        return applied or int(moved)

    def _catch_up(self, projection: Projection, after: int, head: int) -> tuple[int, bool, bool]:
        """(events applied; whether the position moved; whether the batch was full).

        `head` must be read before the events: a short batch then proves nothing of ours lies before it.
        """
        events = self.store.read(after=after, limit=self.batch, types=projection.types)
        # With a type filter, a short batch means nothing of ours lies before `head`.
        new_position = events[-1].position or after if len(events) == self.batch else max(head, after)
        if events:
            new_position = max(new_position, events[-1].position or 0)
        if new_position == after:
            return 0, False, False
        with self.db.transaction() as cur:
            projection.apply_batch(cur, events)
            cur.execute(
                "INSERT INTO projection_positions (name, position) VALUES (%s, %s) "
                "ON CONFLICT (name) DO UPDATE SET position = excluded.position",
                (projection.name, new_position),
            )
        return len(events), True, len(events) == self.batch

    def run_until_idle(self) -> int:
        total = 0
        while True:
            # A short batch reached the head it read: one pass is enough unless a batch came back full.
            positions, head = self.positions(), self.store.last_position()
            results = [self._catch_up(p, positions[p.name], head) for p in self.projections.values()]
            total += sum(applied or int(moved) for applied, moved, _ in results)
            if not any(full for _, _, full in results):
                with self._advanced:
                    self._advanced.notify_all()
                return total

    def rebuild(self, name: str) -> int:
        """Drop a projection's tables and replay the whole history into fresh ones."""
        projection = self.projections[name]
        with self.db.transaction() as cur:
            for table in projection.tables:
                cur.execute(f"DROP TABLE IF EXISTS {table}")
            cur.execute("DELETE FROM projection_positions WHERE name = %s", (name,))
            for statement in projection.ddl:
                cur.execute(statement)
        count = 0
        while True:
            applied, moved, _ = self._catch_up(projection, self.position(name), self.store.last_position())
            if not moved:
                return count
            count += applied  # events, not passes: a pass that only moves the position adds none

    def wait_until(self, position: int, timeout: float = 5.0) -> bool:
        """Block until every projection has applied `position` (read-your-own-writes)."""
        deadline = time.monotonic() + timeout
        while self.min_position() < position:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            with self._advanced:
                self._advanced.wait(min(0.05, remaining))
        return True

    def step(self) -> float:
        self.run_until_idle()
        # Every projection has reached the head it read, so wait for events beyond the lowest
        # position: events appended while the pass ran wake the loop at once instead of being
        # left until the next append or the timeout.
        head = self.min_position() if self.projections else self.store.last_position()
        self.store.wait_for_events(head, timeout=0.5)
        return 0.0
