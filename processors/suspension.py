"""Suspension policy: a suspended account's unfinished films are cancelled, and so is any film it
requested while suspended (a request that raced the suspension)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from uuid import UUID, uuid5

from commands.account import Account
from commands.aggregates import AGGREGATES
from commands.bus import CommandBus
from commands.errors import DomainError
from events.store import Tracking
from projections.database import ViewDatabase
from schemas.commands import CancelFilm
from schemas.envelope import Envelope

log = logging.getLogger(__name__)

TRIGGERS = ("AccountSuspended", "FilmRequested")
REASON = "cancelled because the account was suspended"
UNFINISHED_FILMS = "SELECT id FROM films WHERE owner_id = %s AND status IN ('running', 'held')"

WaitUntil = Callable[[int, float], bool]
"""Blocks until the read models have applied a position (or the timeout passes); True when they have."""


class SuspensionProcessor:
    """Cancels films of suspended accounts; records its position with the last cancellation (or alone)."""

    name = "suspension"
    triggers: tuple[str, ...] = TRIGGERS

    def __init__(
        self, bus: CommandBus, views: ViewDatabase, wait_until: WaitUntil, wait_seconds: float = 10.0
    ) -> None:
        self.bus = bus
        self.views = views
        self.wait_until = wait_until
        self.wait_seconds = wait_seconds

    def handle(self, event: Envelope, tracking: Tracking) -> None:
        if event.type == "AccountSuspended":
            films = self.films_before(event)
        elif event.type == "FilmRequested" and self.suspended_at(UUID(event.payload["owner_id"]), event):
            films = [event.aggregate_id]
        else:
            films = []
        if films:
            self.cancel(event, films, tracking)
        else:
            self.bus.track_alone(tracking)

    def films_before(self, event: Envelope) -> list[UUID]:
        """The account's unfinished films requested before its suspension."""
        assert event.position is not None
        # Every film requested before the suspension is in the films view once it has applied this position.
        while not self.wait_until(event.position, self.wait_seconds):
            log.warning("suspension waits for the read models to reach position %d", event.position)
        rows = self.views.query(UNFINISHED_FILMS, (str(event.aggregate_id),))
        found = []
        for row in rows:
            film_id = UUID(row["id"])
            first = self.bus.store.load(film_id)[:1]
            # A film requested after a later reinstatement is not this suspension's business. A stream
            # loads without log positions, so the envelopes' clocks order the two.
            if first and first[0].occurred_at < event.occurred_at:
                found.append(film_id)
        return found

    def suspended_at(self, account_id: UUID, event: Envelope) -> bool:
        """Whether the account was suspended when the event was recorded."""
        kind = AGGREGATES["account"]
        before = [e.event() for e in self.bus.store.load(account_id) if e.occurred_at < event.occurred_at]
        account: Account = kind.fold(before)
        return account.suspended

    def cancel(self, event: Envelope, films: list[UUID], tracking: Tracking) -> None:
        for i, film_id in enumerate(films):
            last = i == len(films) - 1
            try:
                self.bus.handle(
                    # Derived from the event, so a redelivery issues the same command and changes nothing.
                    CancelFilm(command_id=uuid5(event.event_id, f"cancel:{film_id}"), film_id=film_id, reason=REASON),
                    actor=self.name,
                    correlation_id=event.correlation_id,
                    causation_id=event.event_id,
                    tracking=tracking if last else None,
                )
            except DomainError:  # finished meanwhile: nothing to cancel
                if last:
                    self.bus.track_alone(tracking)
