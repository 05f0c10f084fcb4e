"""The film pipeline as a process manager: each film event leads to the next commands."""

from __future__ import annotations

import time
from collections.abc import Callable
from uuid import UUID, uuid5

from commands.bus import CommandBus
from commands.errors import DomainError
from commands.film import Film
from events.store import Tracking
from processors.moderation import Flagged, hold_command
from schemas.commands import Command, CompleteFilm, FailFilm, RequestStage
from schemas.envelope import Envelope
from schemas.film import FilmSpec

MAX_ATTEMPTS = 4
"""The first try and up to 3 retries."""
BACKOFF_BASE = 1.0
"""Seconds before the first retry; doubles with each further attempt."""
TRIGGERS = ("FilmRequested", "FilmApproved", "StageCompleted", "StageFailed")
Screen = Callable[[FilmSpec], Flagged | None]
"""The moderation check run on each new film before its first stage (None: no check)."""


def next_commands(
    event: Envelope, film: Film, now: float, backoff_base: float = BACKOFF_BASE, screen: Screen | None = None
) -> list[Command]:
    """Pure policy: what to do after this event, given the film as it stands now (held films: nothing)."""
    if not film.active:
        return []
    film_id = event.aggregate_id

    def cmd_id(suffix: str) -> UUID:
        # Derived from the triggering event, so a redelivered event issues the same command ids.
        return uuid5(event.event_id, suffix)

    if event.type == "FilmRequested" and screen is not None and film.spec is not None:
        flagged = screen(film.spec)
        if flagged is not None:
            return [hold_command(event.event_id, film_id, flagged)]
    if event.type in ("FilmRequested", "FilmApproved", "StageCompleted"):
        if film.all_completed():
            return [CompleteFilm(command_id=cmd_id("complete"), film_id=film_id)]
        return [
            RequestStage(command_id=cmd_id(f"request:{name}:1"), film_id=film_id, stage=name, attempt=1)
            for name in film.ready_stages()
        ]
    if event.type == "StageFailed":
        stage, attempt = event.payload["stage"], int(event.payload["attempt"])
        if event.payload["retryable"] and attempt < MAX_ATTEMPTS:
            delay = backoff_base * 2 ** (attempt - 1)
            return [
                RequestStage(
                    command_id=cmd_id(f"request:{stage}:{attempt + 1}"),
                    film_id=film_id,
                    stage=stage,
                    attempt=attempt + 1,
                    not_before=now + delay,
                )
            ]
        tries = f" after {attempt} attempts" if attempt > 1 else ""
        return [
            FailFilm(
                command_id=cmd_id("fail"),
                film_id=film_id,
                stage=stage,
                reason=f"{stage} failed{tries}: {event.payload['reason']}",
            )
        ]
    return []


class PipelineProcessor:
    """Applies `next_commands` to each film event; records its position with the resulting events."""

    name = "pipeline"

    def __init__(
        self,
        bus: CommandBus,
        clock: Callable[[], float] = time.time,
        backoff_base: float = BACKOFF_BASE,
        screen: Screen | None = None,
    ) -> None:
        self.bus = bus
        self.clock = clock
        self.backoff_base = backoff_base
        self.screen = screen

    def handle(self, event: Envelope, tracking: Tracking) -> None:
        if event.type not in TRIGGERS:
            self.bus.track_alone(tracking)
            return
        film, _ = self.bus.state_of("film", event.aggregate_id)
        commands = next_commands(event, film, self.clock(), self.backoff_base, self.screen)
        if not commands:
            self.bus.track_alone(tracking)
            return
        # The last command carries the tracking record: if we crash before it, all are redone,
        # and the earlier ones are then recognised by their command ids.
        for i, command in enumerate(commands):
            last = i == len(commands) - 1
            try:
                self.bus.handle(
                    command,
                    actor=self.name,
                    correlation_id=event.correlation_id,
                    causation_id=event.event_id,
                    tracking=tracking if last else None,
                )
            except DomainError:
                if last:
                    self.bus.track_alone(tracking)
