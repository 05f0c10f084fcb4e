"""The credit saga: reserved credits start the film; the film's end captures or releases them.

CreditsReserved -> RequestFilm (refused: release); FilmCompleted -> capture; FilmFailed or FilmRejected ->
release; FilmCancelled -> the catalogue's cancel policy. Command ids derive from the triggering event,
and the credit aggregate captures or releases a reservation at most once, so redelivery is harmless.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid5

from commands.bus import CommandBus
from commands.errors import DomainError
from commands.film_order import request_for
from events.store import Tracking
from schemas.commands import Command, RequestFilm
from schemas.credits import CaptureCredits, CreditsReserved, ReleaseCredits
from schemas.envelope import Envelope
from schemas.plans import CancelPolicy

TRIGGERS = ("CreditsReserved", "FilmCompleted", "FilmFailed", "FilmCancelled", "FilmRejected")


def saga_commands(event: Envelope, owner_id: str, cancel_policy: CancelPolicy) -> list[Command]:
    """Pure policy: the commands one event leads to (`owner_id`: the film's owner, for film events)."""

    def cmd_id(suffix: str) -> UUID:
        return uuid5(event.event_id, suffix)

    p = event.payload
    if event.type == "CreditsReserved":
        reserved = CreditsReserved.model_validate(p)
        return [request_for(reserved)]
    if not owner_id:
        return []
    account, film = UUID(owner_id), event.aggregate_id
    capture = CaptureCredits(command_id=cmd_id("capture"), account_id=account, reservation_id=film)
    if event.type == "FilmCompleted" or (event.type == "FilmCancelled" and cancel_policy == "capture"):
        return [capture]
    reasons = {
        "FilmFailed": f"the film failed: {p.get('reason', '')}",
        "FilmCancelled": "the film was cancelled (refunded under the cancel policy)",
        "FilmRejected": "the film was rejected in review",
    }
    if event.type in reasons:
        return [
            ReleaseCredits(
                command_id=cmd_id("release"),
                account_id=account,
                reservation_id=film,
                reason=reasons[event.type],
            )
        ]
    return []


class CreditSaga:
    """Applies `saga_commands` to each event; the command carries the tracking record."""

    name = "credit-saga"
    triggers: tuple[str, ...] = TRIGGERS

    def __init__(self, bus: CommandBus, cancel_policy: CancelPolicy = "capture") -> None:
        self.bus = bus
        self.cancel_policy = cancel_policy

    def handle(self, event: Envelope, tracking: Tracking) -> None:
        if event.type not in TRIGGERS:
            self.bus.track_alone(tracking)
            return
        owner = ""
        if event.type != "CreditsReserved":
            film, _ = self.bus.state_of("film", event.aggregate_id)
            owner = film.owner_id
        for command in saga_commands(event, owner, self.cancel_policy):
            try:
                self.bus.handle(
                    command,
                    actor=self.name,
                    correlation_id=event.correlation_id,
                    causation_id=event.event_id,
                    tracking=tracking,
                )
            except DomainError as refused:
                if isinstance(command, RequestFilm):
                    # The film could not start: give the credits back, with the reason.
                    self._release_unstarted(event, str(refused), tracking)
                else:
                    # A film without a reservation (requested directly by an operator): nothing to settle.
                    self.bus.track_alone(tracking)
            return
        self.bus.track_alone(tracking)

    def _release_unstarted(self, event: Envelope, reason: str, tracking: Tracking) -> None:
        p = event.payload
        release = ReleaseCredits(
            command_id=uuid5(event.event_id, "release-unstarted"),
            account_id=UUID(p["account_id"]),
            reservation_id=UUID(p["reservation_id"]),
            reason=f"the film could not start: {reason}",
            now=datetime.now(UTC),
        )
        try:
            self.bus.handle(release, actor=self.name, causation_id=event.event_id, tracking=tracking)
        except DomainError:
            self.bus.track_alone(tracking)
