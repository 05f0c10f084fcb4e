"""Commands: requests to change state, named as verbs. Each carries an id so a retry is harmless."""

from __future__ import annotations

from typing import Any, ClassVar
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field

from schemas.events import Role
from schemas.film import FilmSpec


class Command(BaseModel):
    """Base of every command: plain data with an idempotency key."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    aggregate: ClassVar[str] = ""

    command_id: UUID = Field(default_factory=uuid4)


class RegisterAccount(Command):
    aggregate = "account"
    email: str
    display_name: str
    password_hash: str
    role: Role = "creator"
    language: str = "en"


class LogIn(Command):
    aggregate = "account"
    account_id: UUID
    session_id: str


class LogOut(Command):
    aggregate = "account"
    account_id: UUID
    session_id: str


class ChangeRole(Command):
    aggregate = "account"
    account_id: UUID
    role: Role


class SuspendAccount(Command):
    aggregate = "account"
    account_id: UUID
    reason: str


class ReinstateAccount(Command):
    aggregate = "account"
    account_id: UUID
    note: str = ""


class CreateProject(Command):
    aggregate = "project"
    project_id: UUID = Field(default_factory=uuid4)
    owner_id: UUID
    spec: FilmSpec


class UpdateProject(Command):
    aggregate = "project"
    project_id: UUID
    owner_id: UUID
    changes: dict[str, Any]


class DeleteProject(Command):
    aggregate = "project"
    project_id: UUID
    owner_id: UUID


class RequestFilm(Command):
    aggregate = "film"
    film_id: UUID = Field(default_factory=uuid4)
    project_id: UUID
    owner_id: UUID
    spec: FilmSpec
    stages: dict[str, list[str]]
    priority: int = 0


class RequestStage(Command):
    aggregate = "film"
    film_id: UUID
    stage: str
    attempt: int
    not_before: float = 0.0


class StartStage(Command):
    aggregate = "film"
    film_id: UUID
    stage: str
    attempt: int
    worker: str


class ReportStageProgress(Command):
    aggregate = "film"
    film_id: UUID
    stage: str
    attempt: int
    fraction: float
    message: str = ""


class CompleteStage(Command):
    aggregate = "film"
    film_id: UUID
    stage: str
    attempt: int
    output: dict[str, Any]
    seconds: float


class FailStage(Command):
    aggregate = "film"
    film_id: UUID
    stage: str
    attempt: int
    reason: str
    retryable: bool


class CompleteFilm(Command):
    aggregate = "film"
    film_id: UUID


class FailFilm(Command):
    aggregate = "film"
    film_id: UUID
    stage: str
    reason: str


class CancelFilm(Command):
    aggregate = "film"
    film_id: UUID
    owner_id: UUID | None = Field(None, description="None when an admin or the system cancels")
    reason: str = "cancelled by the creator"


class HoldFilmForReview(Command):
    aggregate = "film"
    film_id: UUID
    matches: list[str]
    excerpt: str


class ApproveFilm(Command):
    aggregate = "film"
    film_id: UUID
    note: str = ""


class RejectFilm(Command):
    aggregate = "film"
    film_id: UUID
    note: str
