"""The envelope every stored event travels in, and the base class of event payloads."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field

EVENT_TYPES: dict[str, type[DomainEvent]] = {}
"""Event type name -> payload class; filled as event classes are defined."""


class DomainEvent(BaseModel):
    """Base of every event payload: a fact in the past tense, plain data, immutable."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: ClassVar[str] = ""
    schema_version: ClassVar[int] = 1
    aggregate: ClassVar[str] = ""
    """The aggregate type that emits it: account, project, film, credit, command."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("type"):
            if cls.type in EVENT_TYPES:
                raise TypeError(f"event type {cls.type!r} is defined twice")
            EVENT_TYPES[cls.type] = cls


class Envelope(BaseModel):
    """A recorded event: payload plus the metadata consumers need to order, trace and dedupe it."""

    model_config = ConfigDict(frozen=True)

    event_id: UUID = Field(default_factory=uuid4)
    type: str
    schema_version: int
    aggregate_type: str
    aggregate_id: UUID
    aggregate_version: int
    position: int | None = Field(None, description="global position in the event log; set once stored")
    occurred_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    causation_id: UUID | None = Field(None, description="the command or event that caused this one")
    correlation_id: UUID | None = Field(None, description="the first command of the conversation")
    actor: str = Field("system", description="user id, 'system' or a worker name")
    payload: dict[str, Any]

    def event(self) -> DomainEvent:
        """The typed payload (the envelope must already be upcast to the current version)."""
        cls = EVENT_TYPES.get(self.type)
        if cls is None:
            raise LookupError(f"unknown event type {self.type!r}")
        return cls.model_validate(self.payload)


def wrap(
    event: DomainEvent,
    *,
    aggregate_id: UUID,
    aggregate_version: int,
    causation_id: UUID | None = None,
    correlation_id: UUID | None = None,
    actor: str = "system",
) -> Envelope:
    """Put a payload in a new envelope for the given aggregate position."""
    return Envelope(
        type=event.type,
        schema_version=event.schema_version,
        aggregate_type=event.aggregate,
        aggregate_id=aggregate_id,
        aggregate_version=aggregate_version,
        causation_id=causation_id,
        correlation_id=correlation_id or causation_id,
        actor=actor,
        payload=event.model_dump(mode="json"),
    )
