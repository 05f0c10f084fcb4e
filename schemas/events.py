"""Every event the studio records, in the past tense. The JSON Schema of each is exported to docs/."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from schemas.envelope import DomainEvent
from schemas.film import FilmSpec

Role = Literal["creator", "admin"]


# --- accounts -----------------------------------------------------------------------------------


class AccountRegistered(DomainEvent):
    type = "AccountRegistered"
    aggregate = "account"
    email: str
    display_name: str
    password_hash: str
    role: Role = "creator"
    language: str = "en"


class LoggedIn(DomainEvent):
    type = "LoggedIn"
    aggregate = "account"
    session_id: str


class LoggedOut(DomainEvent):
    type = "LoggedOut"
    aggregate = "account"
    session_id: str


class RoleChanged(DomainEvent):
    type = "RoleChanged"
    aggregate = "account"
    role: Role


class AccountSuspended(DomainEvent):
    """An administrator suspended the account: its sessions end and it cannot log in until reinstated."""

    type = "AccountSuspended"
    aggregate = "account"
    reason: str = Field(description="why, shown to the account holder when they try to log in")


class AccountReinstated(DomainEvent):
    type = "AccountReinstated"
    aggregate = "account"
    note: str = ""


# --- projects -----------------------------------------------------------------------------------


class ProjectCreated(DomainEvent):
    """Version 2 added `spec`; version 1 events carried only a title and the script (see upcasting)."""

    type = "ProjectCreated"
    schema_version = 2
    aggregate = "project"
    owner_id: str
    spec: FilmSpec


class ProjectUpdated(DomainEvent):
    type = "ProjectUpdated"
    aggregate = "project"
    changes: dict[str, Any] = Field(description="FilmSpec fields that changed, with their new values")


class ProjectDeleted(DomainEvent):
    type = "ProjectDeleted"
    aggregate = "project"


# --- films (one production run of a project) ----------------------------------------------------


class FilmRequested(DomainEvent):
    type = "FilmRequested"
    aggregate = "film"
    project_id: str
    owner_id: str
    spec: FilmSpec
    stages: dict[str, list[str]] = Field(description="stage -> the stages it needs, in this film's pipeline")
    priority: int = 0


class StageRequested(DomainEvent):
    type = "StageRequested"
    aggregate = "film"
    stage: str
    attempt: int
    not_before: float = Field(0.0, description="unix time before which the stage must not start (backoff)")
    inputs: dict[str, Any] = Field(description="outputs of the stages it needs, by stage name")
    priority: int = Field(0, description="the film's queue priority (its plan's): higher runs first")


class StageStarted(DomainEvent):
    type = "StageStarted"
    aggregate = "film"
    stage: str
    attempt: int
    worker: str


class StageProgressed(DomainEvent):
    type = "StageProgressed"
    aggregate = "film"
    stage: str
    attempt: int
    fraction: float
    message: str = ""


class StageCompleted(DomainEvent):
    type = "StageCompleted"
    aggregate = "film"
    stage: str
    attempt: int
    output: dict[str, Any]
    seconds: float


class StageFailed(DomainEvent):
    type = "StageFailed"
    aggregate = "film"
    stage: str
    attempt: int
    reason: str
    retryable: bool


class FilmCompleted(DomainEvent):
    type = "FilmCompleted"
    aggregate = "film"
    outputs: dict[str, Any]
    seconds: float


class FilmFailed(DomainEvent):
    type = "FilmFailed"
    aggregate = "film"
    stage: str
    reason: str


class FilmCancelled(DomainEvent):
    type = "FilmCancelled"
    aggregate = "film"
    reason: str = "cancelled by the creator"


class FilmHeldForReview(DomainEvent):
    """The content check flagged the script: no stage starts until an administrator decides."""

    type = "FilmHeldForReview"
    aggregate = "film"
    matches: list[str] = Field(description="the listed terms found in the script")
    excerpt: str = Field(description="the script around the first match, for the reviewer")


class FilmApproved(DomainEvent):
    """A reviewer released a held film into the pipeline."""

    type = "FilmApproved"
    aggregate = "film"
    note: str = ""


class FilmRejected(DomainEvent):
    """A reviewer ended a held film; the note is shown to its creator."""

    type = "FilmRejected"
    aggregate = "film"
    note: str


# --- command records (idempotency) --------------------------------------------------------------


class CommandAccepted(DomainEvent):
    """Recorded atomically with a command's events, so a repeated command id returns this outcome."""

    type = "CommandAccepted"
    aggregate = "command"
    command_type: str
    outcome: dict[str, Any]
