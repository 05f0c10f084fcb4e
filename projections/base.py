"""Projection contract and the runner that keeps read models caught up with the event log."""

from __future__ import annotations

import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

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


class ProjectionRunner:
    """Applies events to each projection in batches, recording its position in the same transaction."""

    def __init__(
        self, store: EventStore, db: ViewDatabase, projections: list[Projection], batch: int = 2000
    ) -> None:
        self.store = store
        self.db = db
        self.projections = {p.name: p for p in projections}
        self.batch = batch
        self._advanced = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def setup(self) -> None:
        with self.db.transaction() as cur:
            cur.execute(POSITIONS_DDL)
            for projection in self.projections.values():
                for statement in projection.ddl:
                    cur.execute(statement)

    def position(self, name: str) -> int:
        rows = self.db.query("SELECT position FROM projection_positions WHERE name = %s", (name,))
        return int(rows[0]["position"]) if rows else 0

    def min_position(self) -> int:
        return min((self.position(n) for n in self.projections), default=0)

    def catch_up(self, projection: Projection) -> int:
        """Apply one batch; return the number of events applied."""
        after = self.position(projection.name)
        head = self.store.last_position()
        events = self.store.read(after=after, limit=self.batch, types=projection.types)
        # With a type filter, a short batch means nothing of ours lies before `head`.
        new_position = events[-1].position or after if len(events) == self.batch else max(head, after)
        if events:
            new_position = max(new_position, events[-1].position or 0)
        if new_position == after:
            return 0
        with self.db.transaction() as cur:
            projection.apply_batch(cur, events)
            cur.execute(
                "INSERT INTO projection_positions (name, position) VALUES (%s, %s) "
                "ON CONFLICT (name) DO UPDATE SET position = excluded.position",
                (projection.name, new_position),
            )
        return len(events) or 1

    def run_until_idle(self) -> int:
        total = 0
        while True:
            applied = sum(self.catch_up(p) for p in self.projections.values())
            total += applied
            if applied == 0:
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
        while (applied := self.catch_up(projection)) > 0:
            count += applied
        return count

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

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_until_idle()
                head = min(self.position(n) for n in self.projections) if self.projections else 0
                self.store.wait_for_events(max(head, self.store.last_position()), timeout=0.5)
            except Exception:
                log.exception("projector failed; retrying in 1 s")
                self._stop.wait(1.0)

    def start(self) -> ProjectionRunner:
        self._thread = threading.Thread(target=self._loop, name="projector", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
