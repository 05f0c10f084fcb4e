"""The event store port: append envelopes atomically, load a stream, read the global log, track positions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from schemas.envelope import Envelope


class ConcurrencyConflict(Exception):
    """Another writer appended to the same aggregate first; reload and decide again."""


class AlreadyTracked(Exception):
    """This consumer has already recorded an effect for this position: the event is a duplicate."""


@dataclass(frozen=True)
class Tracking:
    """A consumer's position, recorded in the same transaction as its effect."""

    name: str
    position: int


class EventStore(Protocol):
    """What commands, processors and projections need from the event log."""

    def append(self, envelopes: Sequence[Envelope], tracking: Tracking | None = None) -> list[Envelope]:
        """Store envelopes (and the tracking record) in one transaction; return them with positions.

        Raises ConcurrencyConflict when an aggregate version is taken, AlreadyTracked when the
        tracking position is not beyond the consumer's recorded one.
        """
        ...

    def load(self, aggregate_id: UUID, after_version: int = 0) -> list[Envelope]:
        """The events of one aggregate, in version order, upcast to current schemas."""
        ...

    def read(self, after: int = 0, limit: int = 1000, types: Sequence[str] = ()) -> list[Envelope]:
        """Events of the global log with positions greater than `after`, optionally of some types."""
        ...

    def last_position(self) -> int:
        """The highest position in the log (0 when empty)."""
        ...

    def tracked(self, name: str) -> int:
        """The highest position the named consumer recorded (0 when none)."""
        ...

    def track(self, tracking: Tracking) -> None:
        """Record a consumer's position with no other effect (an event it had nothing to do for)."""
        ...

    def wait_for_events(self, after: int, timeout: float) -> bool:
        """Block until an event beyond `after` exists or the timeout passes; True if one exists."""
        ...

    def close(self) -> None: ...
