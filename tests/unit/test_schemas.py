"""Data contracts: the envelope, versioned events, upcasting and the exported JSON Schemas."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from infra.schema_export import export_event_schemas
from schemas.envelope import EVENT_TYPES, Envelope, wrap
from schemas.events import ProjectCreated
from schemas.film import FilmSpec
from schemas.upcasting import upcast


def test_every_event_type_has_a_unique_name_and_an_aggregate() -> None:
    assert len(EVENT_TYPES) >= 17
    assert all(cls.aggregate for cls in EVENT_TYPES.values())


def test_an_envelope_carries_the_tracing_metadata() -> None:
    cause = uuid.uuid4()
    e = wrap(
        ProjectCreated(owner_id="u", spec=FilmSpec(script="x")),
        aggregate_id=uuid.uuid4(),
        aggregate_version=1,
        causation_id=cause,
        actor="user-1",
    )
    assert (e.type, e.schema_version, e.aggregate_type, e.actor) == ("ProjectCreated", 2, "project", "user-1")
    assert e.correlation_id == cause and e.causation_id == cause and e.event_id
    assert isinstance(e.event(), ProjectCreated)


def test_a_version_one_project_event_is_upcast_to_version_two() -> None:
    old = Envelope(
        type="ProjectCreated",
        schema_version=1,
        aggregate_type="project",
        aggregate_id=uuid.uuid4(),
        aggregate_version=1,
        payload={"owner_id": "u", "title": "Diwali", "script": "Lamps"},
    )
    new = upcast(old)
    assert new.schema_version == 2
    assert new.event().spec.title == "Diwali"  # type: ignore[attr-defined]


def test_an_event_version_without_an_upcaster_is_reported() -> None:
    future = Envelope(
        type="ProjectCreated",
        schema_version=0,
        aggregate_type="project",
        aggregate_id=uuid.uuid4(),
        aggregate_version=1,
        payload={},
    )
    with pytest.raises(LookupError, match="no upcaster for ProjectCreated v0"):
        upcast(future)


def test_schema_export_writes_a_valid_schema_per_event_type(tmp_path: Path) -> None:
    written = export_event_schemas(tmp_path)
    names = {p.name for p in written}
    assert "Envelope.schema.json" in names and "ProjectCreated.v2.schema.json" in names
    schema = json.loads((tmp_path / "StageFailed.v1.schema.json").read_text())
    assert set(schema["required"]) >= {"stage", "attempt", "reason", "retryable"}
    assert len([n for n in names if n.endswith(".schema.json")]) == len(EVENT_TYPES) + 1
    # Events defined outside schemas/events.py are exported too (credits, billing, publishing, characters...).
    assert {"CreditsReserved.v1.schema.json", "UploadPublished.v1.schema.json", "CharacterSaved.v1.schema.json"} <= names
