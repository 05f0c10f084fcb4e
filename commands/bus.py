"""The command handler: load, decide, append with optimistic concurrency, at most once per command id."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid5

from commands.aggregates import AggregateType, aggregate_for
from events.store import AlreadyTracked, ConcurrencyConflict, EventStore, Tracking
from schemas.commands import Command, ReportStageProgress
from schemas.envelope import Envelope, wrap
from schemas.events import CommandAccepted

COMMAND_NAMESPACE = UUID("0d4b8f77-5c36-4d0c-a7c1-2f3e0e5b9a10")
MAX_CONFLICT_RETRIES = 20
UNRECORDED = (ReportStageProgress,)
"""High-rate commands whose repetition is harmless: no idempotency record."""


@dataclass(frozen=True)
class Outcome:
    """What a command did: the aggregate it touched, the events it appended and their last position."""

    aggregate_id: UUID
    version: int
    position: int
    events: list[str] = field(default_factory=list)
    duplicate: bool = False

    def as_record(self) -> dict[str, Any]:
        return {
            "aggregate_id": str(self.aggregate_id),
            "version": self.version,
            "position": self.position,
            "events": self.events,
        }


class CommandBus:
    """Handles commands against the event store; safe to call from many threads and processes."""

    def __init__(self, store: EventStore) -> None:
        self.store = store

    def state_of(self, kind: str, aggregate_id: UUID) -> tuple[Any, int]:
        """Current state and version of an aggregate (for processors and workers)."""
        from commands.aggregates import AGGREGATES

        envelopes = self.store.load(aggregate_id)
        return AGGREGATES[kind].fold([e.event() for e in envelopes]), len(envelopes)

    def handle(
        self,
        command: Command,
        *,
        actor: str = "system",
        correlation_id: UUID | None = None,
        causation_id: UUID | None = None,
        tracking: Tracking | None = None,
    ) -> Outcome:
        kind = aggregate_for(command)
        agg_id = kind.aggregate_id(command)
        record_id = uuid5(COMMAND_NAMESPACE, str(command.command_id))
        recorded = not isinstance(command, UNRECORDED)
        for _ in range(MAX_CONFLICT_RETRIES):
            if recorded and (previous := self._previous_outcome(record_id)) is not None:
                self.track_alone(tracking)
                return previous
            envelopes = self.store.load(agg_id)
            state = kind.fold([e.event() for e in envelopes])
            version = len(envelopes)
            new = kind.decide(command, state)
            if not new:
                self.track_alone(tracking)
                return Outcome(agg_id, version, self.store.last_position())
            try:
                stored = self.store.append(
                    self._envelopes(command, kind, agg_id, version, new, actor, correlation_id, causation_id)
                    + (
                        [self._record(command, record_id, agg_id, version + len(new), new, actor)]
                        if recorded
                        else []
                    ),
                    tracking=tracking,
                )
            except AlreadyTracked:
                return Outcome(agg_id, version, self.store.last_position(), duplicate=True)
            except ConcurrencyConflict:
                continue
            return Outcome(agg_id, version + len(new), stored[-1].position or 0, [e.type for e in new])
        raise ConcurrencyConflict(f"{type(command).__name__} kept conflicting; try again in a moment")

    def _envelopes(
        self,
        command: Command,
        kind: AggregateType,
        agg_id: UUID,
        version: int,
        events: list[Any],
        actor: str,
        correlation_id: UUID | None,
        causation_id: UUID | None,
    ) -> list[Envelope]:
        return [
            wrap(
                event,
                aggregate_id=agg_id,
                aggregate_version=version + i + 1,
                causation_id=causation_id or command.command_id,
                correlation_id=correlation_id or command.command_id,
                actor=actor,
            )
            for i, event in enumerate(events)
        ]

    def _record(
        self, command: Command, record_id: UUID, agg_id: UUID, version: int, new: list[Any], actor: str
    ) -> Envelope:
        # The outcome's position is not known before the insert; readers take it from the record's own.
        outcome = Outcome(agg_id, version, 0, [e.type for e in new]).as_record()
        return wrap(
            CommandAccepted(command_type=type(command).__name__, outcome=outcome),
            aggregate_id=record_id,
            aggregate_version=1,
            causation_id=command.command_id,
            actor=actor,
        )

    def _previous_outcome(self, record_id: UUID) -> Outcome | None:
        records = self.store.load(record_id)
        if not records:
            return None
        outcome = records[0].payload["outcome"]
        position = records[0].position or self.store.last_position()
        return Outcome(UUID(outcome["aggregate_id"]), outcome["version"], position, outcome["events"], True)

    def track_alone(self, tracking: Tracking | None) -> None:
        if tracking is not None:
            with suppress(AlreadyTracked):
                self.store.track(tracking)
