"""Stage worker: runs the AI/media stage a `StageRequested` event asks for and reports the result."""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Collection
from typing import Any, Protocol

from commands.bus import CommandBus
from commands.film import Film
from events.store import Tracking
from gpu_stages.contract import ProgressFn, StageCancelled
from schemas.commands import CompleteStage, FailStage, ReportStageProgress, StartStage
from schemas.envelope import Envelope
from schemas.film import FilmSpec
from schemas.media import StageFailure

log = logging.getLogger(__name__)


class StageRunner(Protocol):
    """Runs one named stage of a film; returns its output (plain JSON data) or a failure value."""

    def __call__(
        self, stage: str, spec: FilmSpec, inputs: dict[str, Any], progress: ProgressFn
    ) -> dict[str, Any] | StageFailure: ...


def default_worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class StageWorker:
    """Handles `StageRequested` for the stages it serves; the result carries the tracking record."""

    def __init__(
        self,
        bus: CommandBus,
        runner: StageRunner,
        stages: Collection[str] = (),
        name: str | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        progress_interval: float = 0.5,
    ) -> None:
        self.bus = bus
        self.runner = runner
        self.stages = set(stages)
        self.name = name or default_worker_name()
        self.clock = clock
        self.sleep = sleep
        self.progress_interval = progress_interval

    def serves(self, event: Envelope) -> bool:
        return event.type == "StageRequested" and (not self.stages or event.payload["stage"] in self.stages)

    def handle(self, event: Envelope, tracking: Tracking | None) -> None:
        """Run the requested stage; `tracking` (None: a priority slot ran it ahead) goes with the result."""
        if not self.serves(event):
            self.bus.track_alone(tracking)
            return
        film_id, stage, attempt = event.aggregate_id, event.payload["stage"], int(event.payload["attempt"])
        delay = float(event.payload.get("not_before", 0.0)) - self.clock()
        if delay > 0:
            self.sleep(delay)  # exponential backoff between attempts
        started = self.bus.handle(
            StartStage(film_id=film_id, stage=stage, attempt=attempt, worker=self.name),
            actor=self.name,
            correlation_id=event.correlation_id,
            causation_id=event.event_id,
        )
        if not started.events:
            self.bus.track_alone(tracking)  # cancelled, finished, or superseded by a newer attempt
            return
        film: Film = self.bus.state_of("film", film_id)[0]
        assert film.spec is not None
        began = time.monotonic()
        try:
            result = self.runner(
                stage, film.spec, event.payload["inputs"], self._progress(film_id, stage, attempt)
            )
        except StageCancelled:
            self.bus.track_alone(tracking)
            return
        except Exception as error:  # an unexpected crash of a stage is a retryable failure
            log.exception("stage %s of film %s crashed", stage, film_id)
            result = StageFailure(reason=f"the {stage} stage crashed: {error}", retryable=True)
        seconds = round(time.monotonic() - began, 3)
        if isinstance(result, StageFailure):
            command: FailStage | CompleteStage = FailStage(
                film_id=film_id,
                stage=stage,
                attempt=attempt,
                reason=result.reason,
                retryable=result.retryable,
            )
        else:
            command = CompleteStage(
                film_id=film_id, stage=stage, attempt=attempt, output=result, seconds=seconds
            )
        self.bus.handle(
            command,
            tracking=tracking,
            actor=self.name,
            correlation_id=event.correlation_id,
            causation_id=event.event_id,
        )

    def _progress(self, film_id: Any, stage: str, attempt: int) -> ProgressFn:
        last = [0.0]

        def report(fraction: float, message: str) -> None:
            now = time.monotonic()
            if now - last[0] < self.progress_interval:
                return
            last[0] = now
            film: Film = self.bus.state_of("film", film_id)[0]
            if not film.active:
                raise StageCancelled(f"film {film_id} is {film.status}")
            self.bus.handle(
                ReportStageProgress(
                    film_id=film_id, stage=stage, attempt=attempt, fraction=fraction, message=message
                ),
                actor=self.name,
            )

        return report
