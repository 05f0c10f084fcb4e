"""What the HTTP API accepts and returns: separate In and Out models, apart from commands and events."""

from __future__ import annotations

import copy
import re
from datetime import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model

from schemas.events import Role
from schemas.film import FilmSpec

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def _email(value: str) -> str:
    value = value.strip().lower()
    if len(value) > 254 or not EMAIL.match(value):
        raise ValueError("Enter an e-mail address like name@example.com.")
    return value


Email = Annotated[str, AfterValidator(_email)]
T = TypeVar("T")


class In(BaseModel):
    """Base of request bodies: unknown fields are refused, so a typo is reported instead of ignored."""

    model_config = ConfigDict(extra="forbid")


# --- problems ---------------------------------------------------------------------------------------


class FieldError(BaseModel):
    field: str = Field(description="dotted path of the field, e.g. `subtitles.size` or `Idempotency-Key`")
    location: str = Field(description="body, query, path or header")
    message: str = Field(description="what is wrong and what to send instead")
    type: str = ""


class Problem(BaseModel):
    """RFC 9457 problem details: the body of every error response."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] | None = None


# --- auth -------------------------------------------------------------------------------------------


class RegisterIn(In):
    email: Email
    password: str = Field(min_length=8, max_length=256, description="at least 8 characters")
    display_name: str = Field(min_length=1, max_length=100)
    language: str = Field("en", min_length=2, max_length=16, description="BCP 47 tag, e.g. en, hi, pt-BR")


class LoginIn(In):
    email: Email
    password: str = Field(min_length=1, max_length=256)


class RefreshIn(In):
    refresh_token: str = Field(min_length=1)


class AccountOut(BaseModel):
    id: UUID
    email: str
    display_name: str
    role: Role
    language: str


class Registered(AccountOut):
    position: int = Field(description="send as X-Min-Position to read your own writes")


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="seconds until the access token expires")
    refresh_expires_in: int = Field(description="seconds until the refresh token expires")
    session_id: str
    position: int


# --- projects ---------------------------------------------------------------------------------------


class ProjectCreate(FilmSpec):
    """A new project: its title, script and any film options (the rest take their defaults)."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    script: str = Field(min_length=1, max_length=200_000, description="the script text")

    def spec(self) -> FilmSpec:
        return FilmSpec.model_validate(self.model_dump())


def _all_optional(model: type[BaseModel], name: str, doc: str) -> type[BaseModel]:
    """A copy of `model` whose every field may be left out (for PATCH), keeping each field's checks."""
    fields: dict[str, Any] = {}
    for field_name, info in model.model_fields.items():
        optional = copy.copy(info)
        optional.default = None
        optional.default_factory = None
        fields[field_name] = (info.annotation | None, optional)  # type: ignore[operator]
    patch = create_model(name, __config__=ConfigDict(extra="forbid"), __doc__=doc, **fields)
    return patch


ProjectPatch = _all_optional(
    FilmSpec, "ProjectPatch", "The project fields to change; fields left out stay as they are."
)


class Accepted(BaseModel):
    """A command was accepted; its effects become readable once the read model reaches `position`."""

    id: UUID
    position: int = Field(description="send as X-Min-Position to read your own writes")
    duplicate: bool = Field(False, description="true when this Idempotency-Key was seen before")


class FilmAccepted(BaseModel):
    film_id: UUID
    project_id: UUID
    position: int
    duplicate: bool = False
    credits: int = Field(0, description="credits reserved for the film (captured when it completes)")
    billed_seconds: int = Field(0, description="the film's length as billed (rounded up to the half minute)")


class ProjectSummary(BaseModel):
    id: UUID
    title: str
    created_at: datetime
    updated_at: datetime
    film_count: int
    last_film_id: UUID | None
    last_film_status: str | None


class ProjectOut(ProjectSummary):
    version: int
    spec: FilmSpec


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


# --- films ------------------------------------------------------------------------------------------


class StageOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    status: str
    attempt: int = 0
    fraction: float = 0.0
    message: str | None = None
    worker: str | None = None
    seconds: float | None = None
    reason: str | None = None


class Download(BaseModel):
    stage: str
    name: str
    key: str
    url: str = Field(description="opens without headers for an hour (a link token is in the query)")


class FilmOut(BaseModel):
    id: UUID
    project_id: UUID
    status: str = Field(description="running, completed, failed or cancelled")
    current_stage: str | None
    percent: float
    eta_seconds: float | None
    stages: dict[str, StageOut]
    dag: dict[str, list[str]]
    outputs: dict[str, Any] | None
    downloads: list[Download] = Field(description="files the finished film produced")
    events_url: str = Field(
        description="its progress stream; opens without headers for an hour (EventSource)"
    )
    error: str | None
    requested_at: datetime
    updated_at: datetime
    finished_at: datetime | None
    position: int | None = Field(description="log position of the last change")


class AdminFilmOut(FilmOut):
    owner_id: UUID


class AuditEntry(BaseModel):
    position: int
    film_id: UUID | None
    type: str
    actor: str
    occurred_at: datetime
    summary: str


class AuditPage(BaseModel):
    items: list[AuditEntry]
    next_after: int | None = Field(description="pass as `after` to get the next page; null at the end")
