"""`EventStore` on any `eventsourcing` process recorder (in-memory, SQLite or PostgreSQL)."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from uuid import UUID

from eventsourcing.persistence import IntegrityError, ProcessRecorder, StoredEvent
from eventsourcing.persistence import Tracking as LibTracking

from events.store import AlreadyTracked, ConcurrencyConflict, Tracking
from schemas.envelope import Envelope
from schemas.upcasting import upcast

POLL_INTERVAL = 0.05
"""How often a waiting follower looks for events appended by other processes."""


class RecorderEventStore:
    """Maps envelopes to the library's stored events; positions are notification ids."""

    def __init__(self, recorder: ProcessRecorder, name: str) -> None:
        self.recorder = recorder
        self.name = name
        self._appended = threading.Condition()

    def append(self, envelopes: Sequence[Envelope], tracking: Tracking | None = None) -> list[Envelope]:
        stored = [
            StoredEvent(
                originator_id=e.aggregate_id,
                originator_version=e.aggregate_version,
                topic=e.type,
                state=e.model_dump_json(exclude={"position"}).encode(),
            )
            for e in envelopes
        ]
        kwargs = {}
        if tracking is not None:
            kwargs["tracking"] = LibTracking(tracking.name, tracking.position)
        try:
            ids = self.recorder.insert_events(stored, **kwargs)
        except IntegrityError as error:
            if tracking is not None and self.tracked(tracking.name) >= tracking.position:
                raise AlreadyTracked(
                    f"{tracking.name} already processed position {tracking.position}"
                ) from error
            raise ConcurrencyConflict(str(error)) from error
        with self._appended:
            self._appended.notify_all()
        positions = list(ids or [])
        if len(positions) != len(envelopes):
            return list(envelopes)
        return [e.model_copy(update={"position": p}) for e, p in zip(envelopes, positions, strict=True)]

    def load(self, aggregate_id: UUID, after_version: int = 0) -> list[Envelope]:
        rows = self.recorder.select_events(aggregate_id, gt=after_version or None)
        return [upcast(Envelope.model_validate_json(row.state)) for row in rows]

    def read(self, after: int = 0, limit: int = 1000, types: Sequence[str] = ()) -> list[Envelope]:
        rows = self.recorder.select_notifications(
            start=after, limit=limit, topics=list(types), inclusive_of_start=False
        )
        # Replays spend most of their reading time here. The state is the envelope's JSON object without
        # its position: appending the position to the object and parsing it once in pydantic's core is
        # ~35% faster than json.loads + model_validate (a duplicate key would lose: the last one wins).
        return [upcast(Envelope.model_validate_json(b'%s,"position":%d}' % (row.state[:-1], row.id))) for row in rows]

    def last_position(self) -> int:
        return self.recorder.max_notification_id() or 0

    def tracked(self, name: str) -> int:
        return self.recorder.max_tracking_id(name) or 0

    def track(self, tracking: Tracking) -> None:
        try:
            self.recorder.insert_tracking(LibTracking(tracking.name, tracking.position))
        except IntegrityError as error:
            raise AlreadyTracked(f"{tracking.name} already at or beyond {tracking.position}") from error

    def wait_for_events(self, after: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            if self.last_position() > after:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            # Woken at once by appends in this process; polls for appends by other processes.
            with self._appended:
                self._appended.wait(min(POLL_INTERVAL, remaining))

    def close(self) -> None:
        close = getattr(getattr(self.recorder, "datastore", None), "close", None)
        if close is not None:
            close()
