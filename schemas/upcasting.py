"""Upcasters: old stored payloads are lifted to the current schema version when read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from schemas.envelope import EVENT_TYPES, Envelope

Payload = dict[str, Any]
Upcaster = Callable[[Payload], Payload]

UPCASTERS: dict[tuple[str, int], Upcaster] = {}
"""(event type, stored version) -> function lifting that payload to version + 1."""


def upcaster(event_type: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    def register(fn: Upcaster) -> Upcaster:
        UPCASTERS[(event_type, from_version)] = fn
        return fn

    return register


def upcast(envelope: Envelope) -> Envelope:
    """Apply upcasters until the payload is at the version its class declares today."""
    cls = EVENT_TYPES.get(envelope.type)
    if cls is None or envelope.schema_version >= cls.schema_version:
        return envelope
    payload, version = dict(envelope.payload), envelope.schema_version
    while version < cls.schema_version:
        step = UPCASTERS.get((envelope.type, version))
        if step is None:
            raise LookupError(f"no upcaster for {envelope.type} v{version}")
        payload, version = step(payload), version + 1
    return envelope.model_copy(update={"payload": payload, "schema_version": version})


@upcaster("ProjectCreated", 1)
def _project_created_v1(payload: Payload) -> Payload:
    """v1 had `title` and `script` at top level; v2 keeps them inside a full FilmSpec."""
    return {
        "owner_id": payload["owner_id"],
        "spec": {"title": payload.get("title", "Untitled"), "script": payload.get("script", "")},
    }
