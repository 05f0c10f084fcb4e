"""Embedded worker slots with queue priority: of the pending stage requests, the highest priority runs first."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import suppress

from events.store import AlreadyTracked, EventStore, Tracking
from processors.follower import Follower
from schemas.envelope import Envelope

MaybeTrackedHandler = Callable[[Envelope, Tracking | None], None]
"""Handles one event; records `tracking` with its effect, or records nothing when it is None."""


def stage_priority(event: Envelope) -> int:
    """A stage request's queue priority (its film's plan's; 0 for requests recorded before priorities)."""
    return int(event.payload.get("priority", 0))


def not_before(event: Envelope) -> float:
    return float(event.payload.get("not_before", 0.0))


class PriorityFollower(Follower):
    """Looks ahead over the pending events it accepts and handles the best one first: ready (past its
    backoff), then highest priority, then earliest in the log.

    A tracking position can only say "everything up to here is done", so an event handled ahead of
    earlier ones is handled without a record and remembered; the position moves over it once every
    earlier event is done. After a crash such an event is handled again, and the film aggregate makes
    that a no-op (StartStage of a finished attempt appends nothing), so nothing runs twice.
    """

    def __init__(
        self,
        name: str,
        store: EventStore,
        handler: MaybeTrackedHandler,
        types: Sequence[str] = (),
        batch: int = 200,
        accept: Callable[[Envelope], bool] | None = None,
        priority: Callable[[Envelope], int] = stage_priority,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(name, store, handler, types=types, batch=batch, accept=accept)
        self.maybe_tracked = handler
        self.priority = priority
        self.clock = clock
        self.done_ahead: set[int] = set()

    def run_once(self) -> int:
        """Handle the best pending event (at most one); return how many events were read."""
        after = self.store.tracked(self.name)
        envelopes = self.store.read(after=after, limit=self.batch, types=self.types)
        if not envelopes:
            return 0
        pending = [e for e in envelopes if self._mine(e) and e.position not in self.done_ahead]
        self._move_past_done(after, envelopes, pending)
        if not pending:
            return len(envelopes)
        chosen = self.choose(pending)
        assert chosen.position is not None
        if chosen is pending[0]:
            # The earliest pending event: its effect carries the position (and so skips what came before).
            self.maybe_tracked(chosen, Tracking(self.name, chosen.position))
        else:
            self.maybe_tracked(chosen, None)
            self.done_ahead.add(chosen.position)
        return len(envelopes)

    def choose(self, pending: list[Envelope]) -> Envelope:
        """Ready requests by priority, then log order; if none is ready yet, the one ready soonest."""
        now = self.clock()
        ready = [e for e in pending if not_before(e) <= now]
        if not ready:
            return min(pending, key=not_before)
        return max(ready, key=lambda e: (self.priority(e), -(e.position or 0)))

    def _mine(self, event: Envelope) -> bool:
        return self.accept is None or self.accept(event)

    def _move_past_done(self, after: int, envelopes: list[Envelope], pending: list[Envelope]) -> None:
        """Record the position over the leading events that need nothing more: others' and those done ahead."""
        first_pending = pending[0].position if pending else None
        done_up_to = after
        for event in envelopes:
            if event.position == first_pending:
                break
            done_up_to = event.position or done_up_to
        if done_up_to > after:
            with suppress(AlreadyTracked):
                self.store.track(Tracking(self.name, done_up_to))
            self.done_ahead = {p for p in self.done_ahead if p > done_up_to}
