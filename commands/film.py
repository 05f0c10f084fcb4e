"""Film aggregate: one production run of a project through the stage pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal
from uuid import UUID

from commands.errors import Conflict, Invalid, NotFound
from schemas.commands import (
    ApproveFilm,
    CancelFilm,
    Command,
    CompleteFilm,
    CompleteStage,
    FailFilm,
    FailStage,
    HoldFilmForReview,
    RejectFilm,
    ReportStageProgress,
    RequestFilm,
    RequestStage,
    StartStage,
)
from schemas.envelope import DomainEvent
from schemas.events import (
    FilmApproved,
    FilmCancelled,
    FilmCompleted,
    FilmFailed,
    FilmHeldForReview,
    FilmRejected,
    FilmRequested,
    StageCompleted,
    StageFailed,
    StageProgressed,
    StageRequested,
    StageStarted,
)
from schemas.film import FilmSpec

StageStatus = Literal["pending", "requested", "running", "completed", "failed"]
FilmStatus = Literal["none", "running", "held", "completed", "failed", "cancelled", "rejected"]
ACTIVE: tuple[FilmStatus, ...] = ("running",)
"""Held films are not active: no stage is requested, started or finished while a reviewer decides."""
MAX_NOTE = 1000


@dataclass(frozen=True)
class StageState:
    status: StageStatus = "pending"
    attempt: int = 0
    output: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class Film:
    status: FilmStatus = "none"
    project_id: str = ""
    owner_id: str = ""
    spec: FilmSpec | None = None
    dag: dict[str, list[str]] = field(default_factory=dict)
    stages: dict[str, StageState] = field(default_factory=dict)
    priority: int = 0

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    def ready_stages(self) -> list[str]:
        """Stages not yet requested whose every dependency has completed."""
        return [
            name
            for name, deps in self.dag.items()
            if self.stages[name].status == "pending"
            and all(self.stages[d].status == "completed" for d in deps)
        ]

    def all_completed(self) -> bool:
        return bool(self.dag) and all(s.status == "completed" for s in self.stages.values())


def _stage(state: Film, name: str, **changes: Any) -> Film:
    return replace(state, stages={**state.stages, name: replace(state.stages[name], **changes)})


def evolve(state: Film, event: DomainEvent) -> Film:
    match event:
        case FilmRequested():
            return Film(
                "running",
                event.project_id,
                event.owner_id,
                event.spec,
                event.stages,
                {name: StageState() for name in event.stages},
                event.priority,
            )
        case StageRequested():
            return _stage(state, event.stage, status="requested", attempt=event.attempt, reason="")
        case StageStarted():
            return _stage(state, event.stage, status="running")
        case StageCompleted():
            return _stage(state, event.stage, status="completed", output=event.output, seconds=event.seconds)
        case StageFailed():
            return _stage(state, event.stage, status="failed", reason=event.reason)
        case FilmCompleted():
            return replace(state, status="completed")
        case FilmFailed():
            return replace(state, status="failed")
        case FilmCancelled():
            return replace(state, status="cancelled")
        case FilmHeldForReview():
            return replace(state, status="held")
        case FilmApproved():
            return replace(state, status="running")
        case FilmRejected():
            return replace(state, status="rejected")
    return state


def aggregate_id(command: Command) -> UUID:
    film_id: UUID = command.film_id  # type: ignore[attr-defined]
    return film_id


def _current(state: Film, stage: str, attempt: int, statuses: tuple[StageStatus, ...]) -> bool:
    """True when the command speaks of the stage's current attempt in one of the given statuses."""
    s = state.stages.get(stage)
    return state.active and s is not None and s.attempt == attempt and s.status in statuses


def decide(command: Command, state: Film) -> list[DomainEvent]:
    if isinstance(command, RequestFilm):
        if state.status != "none":
            return []
        unknown = {d for deps in command.stages.values() for d in deps} - set(command.stages)
        if not command.stages or unknown:
            raise Invalid(f"The pipeline is malformed: unknown stages {sorted(unknown)}.")
        return [
            FilmRequested(
                project_id=str(command.project_id),
                owner_id=str(command.owner_id),
                spec=command.spec,
                stages=command.stages,
                priority=command.priority,
            )
        ]
    if state.status == "none":
        raise NotFound("No such film. Check the film id, or generate the film first.")
    if isinstance(command, RequestStage):
        s = state.stages.get(command.stage)
        if s is None:
            raise Invalid(f"This film's pipeline has no stage {command.stage!r}.")
        if not state.active or s.attempt >= command.attempt or s.status == "completed":
            return []
        deps = state.dag[command.stage]
        if not all(state.stages[d].status == "completed" for d in deps):
            return []
        inputs = {d: state.stages[d].output for d in deps}
        return [
            StageRequested(
                stage=command.stage,
                attempt=command.attempt,
                not_before=command.not_before,
                inputs=inputs,
                priority=state.priority,
            )
        ]
    if isinstance(command, StartStage):
        # "running" too: a redelivered request after a worker died restarts the same attempt.
        if not _current(state, command.stage, command.attempt, ("requested", "running")):
            return []
        return [StageStarted(stage=command.stage, attempt=command.attempt, worker=command.worker)]
    if isinstance(command, ReportStageProgress):
        if not _current(state, command.stage, command.attempt, ("running",)):
            return []
        fraction = min(1.0, max(0.0, command.fraction))
        return [
            StageProgressed(
                stage=command.stage, attempt=command.attempt, fraction=fraction, message=command.message
            )
        ]
    if isinstance(command, CompleteStage):
        if not _current(state, command.stage, command.attempt, ("requested", "running")):
            return []
        return [
            StageCompleted(
                stage=command.stage, attempt=command.attempt, output=command.output, seconds=command.seconds
            )
        ]
    if isinstance(command, FailStage):
        if not _current(state, command.stage, command.attempt, ("requested", "running")):
            return []
        return [
            StageFailed(
                stage=command.stage,
                attempt=command.attempt,
                reason=command.reason,
                retryable=command.retryable,
            )
        ]
    if isinstance(command, CompleteFilm):
        if not state.active or not state.all_completed():
            return []
        outputs = {name: s.output for name, s in state.stages.items()}
        seconds = sum(s.seconds for s in state.stages.values())
        return [FilmCompleted(outputs=outputs, seconds=seconds)]
    if isinstance(command, FailFilm):
        return [FilmFailed(stage=command.stage, reason=command.reason)] if state.active else []
    if isinstance(command, CancelFilm):
        if command.owner_id is not None and str(command.owner_id) != state.owner_id:
            raise NotFound("No such film. Check the film id, or generate the film first.")
        if not state.active and state.status != "held":
            raise Conflict(f"The film is already {state.status}; there is nothing to cancel.")
        return [FilmCancelled(reason=command.reason)]
    if isinstance(command, HoldFilmForReview):
        # Only before its first stage: once work has begun, a late (redelivered) check changes nothing.
        if not state.active or any(s.status != "pending" for s in state.stages.values()):
            return []
        return [FilmHeldForReview(matches=command.matches, excerpt=command.excerpt)]
    if isinstance(command, ApproveFilm | RejectFilm):
        return _review(command, state)
    raise TypeError(f"film cannot handle {type(command).__name__}")


def _review(command: ApproveFilm | RejectFilm, state: Film) -> list[DomainEvent]:
    """A reviewer's decision on a held film."""
    if state.status != "held":
        raise Conflict(
            f"The film is {state.status}, not held for review, so there is nothing to decide. "
            "Refresh the moderation queue."
        )
    note = command.note.strip()
    if len(note) > MAX_NOTE:
        raise Invalid(f"Keep the note under {MAX_NOTE} characters.")
    if isinstance(command, ApproveFilm):
        return [FilmApproved(note=note)]
    if not note:
        raise Invalid("Say why the film is rejected in `note`; its creator is shown it.")
    return [FilmRejected(note=note)]
