"""Embedded transport: follow the event log in-process and hand each event to a handler."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from contextlib import suppress

from events.background import BackgroundLoop
from events.store import AlreadyTracked, EventStore, Tracking
from schemas.envelope import Envelope

log = logging.getLogger(__name__)

Handler = Callable[[Envelope, Tracking], None]
"""Handles one event and records `tracking` in the same transaction as its effect (or alone)."""


class Follower(BackgroundLoop):
    """A thread that reads the log after its tracked position and calls the handler per event.

    The handler records the position itself, atomically with its effect, so after a crash the
    follower resumes exactly after the last event whose effect was stored.
    """

    def __init__(
        self,
        name: str,
        store: EventStore,
        handler: Handler,
        types: Sequence[str] = (),
        batch: int = 200,
        accept: Callable[[Envelope], bool] | None = None,
    ) -> None:
        self.name = name
        self.store = store
        self.handler = handler
        self.types = list(types)
        self.batch = batch
        self.accept = accept
        super().__init__(f"follower-{name}")

    def run_once(self) -> int:
        """Process what is there now; return how many events were handled."""
        after = self.store.tracked(self.name)
        envelopes = self.store.read(after=after, limit=self.batch, types=self.types)
        for envelope in envelopes:
            assert envelope.position is not None
            tracking = Tracking(self.name, envelope.position)
            if self.accept is not None and not self.accept(envelope):
                continue
            self.handler(envelope, tracking)
        if envelopes and self.accept is not None:
            # Events another follower owns: move past them so the position keeps up.
            last = envelopes[-1].position or 0
            if self.store.tracked(self.name) < last:
                with suppress(AlreadyTracked):
                    self.store.track(Tracking(self.name, last))
        return len(envelopes)

    def run_until_idle(self, max_rounds: int = 10_000) -> None:
        for _ in range(max_rounds):
            if self.run_once() == 0:
                return

    def step(self) -> float:
        # Wait beyond the head seen before this pass, not beyond our own position: with a type
        # filter the position lags behind events of other types, and waiting on it would spin.
        head = self.store.last_position()
        if self.run_once() == 0:
            self.store.wait_for_events(head, timeout=0.5)
        return 0.0
