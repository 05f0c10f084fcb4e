"""Project aggregate: a creator's script and film settings."""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import UUID

from pydantic import ValidationError

from commands.errors import Forbidden, Invalid, NotFound
from schemas.commands import Command, CreateProject, DeleteProject, UpdateProject
from schemas.envelope import DomainEvent
from schemas.events import ProjectCreated, ProjectDeleted, ProjectUpdated
from schemas.film import FilmSpec


@dataclass(frozen=True)
class Project:
    exists: bool = False
    deleted: bool = False
    owner_id: str = ""
    spec: FilmSpec | None = None


def evolve(state: Project, event: DomainEvent) -> Project:
    match event:
        case ProjectCreated():
            return Project(True, False, event.owner_id, event.spec)
        case ProjectUpdated():
            assert state.spec is not None
            spec = FilmSpec.model_validate({**state.spec.model_dump(mode="json"), **event.changes})
            return replace(state, spec=spec)
        case ProjectDeleted():
            return replace(state, deleted=True)
    return state


def aggregate_id(command: Command) -> UUID:
    assert isinstance(command, CreateProject | UpdateProject | DeleteProject)
    return command.project_id


def owned(state: Project, owner_id: UUID) -> Project:
    """The project, if it exists and belongs to this owner; otherwise a refusal."""
    if not state.exists or state.deleted:
        raise NotFound("No such project. It may have been deleted; list your projects to find it.")
    if state.owner_id != str(owner_id):
        # Same answer as a missing project: never reveal that another creator's project exists.
        raise NotFound("No such project. It may have been deleted; list your projects to find it.")
    return state


def decide(command: Command, state: Project) -> list[DomainEvent]:
    if isinstance(command, CreateProject):
        if state.exists:
            raise Forbidden("That project id is taken.")
        return [ProjectCreated(owner_id=str(command.owner_id), spec=command.spec)]
    if isinstance(command, UpdateProject):
        current = owned(state, command.owner_id).spec
        assert current is not None
        unknown = set(command.changes) - set(FilmSpec.model_fields)
        if unknown:
            raise Invalid(f"Unknown project fields: {', '.join(sorted(unknown))}.")
        try:
            merged = FilmSpec.model_validate({**current.model_dump(), **command.changes})
        except ValidationError as error:
            raise Invalid(f"Project settings are not valid: {error.errors()[0]['msg']}.") from error
        changes = {
            k: getattr(merged, k) for k in command.changes if getattr(merged, k) != getattr(current, k)
        }
        as_json = merged.model_dump(mode="json")
        dumped = {k: as_json[k] for k in changes}
        return [ProjectUpdated(changes=dumped)] if dumped else []
    if isinstance(command, DeleteProject):
        owned(state, command.owner_id)
        return [ProjectDeleted()]
    raise TypeError(f"project cannot handle {type(command).__name__}")
