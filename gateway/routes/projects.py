"""Projects: a creator's scripts and film settings, and the films generated from them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, status

from commands.errors import Invalid, NotFound
from commands.film_order import current_plan, order_film
from commands.plan_rules import check_new_project, default_resolution, month_start
from commands.project import owned
from gateway import reads
from gateway.deps import CallerCommands, CurrentUser, LinksDep, StudioDep, ViewsDep
from gateway.models import (
    Accepted,
    AuditEntry,
    AuditPage,
    FilmAccepted,
    FilmOut,
    Page,
    ProjectCreate,
    ProjectOut,
    ProjectPatch,
    ProjectSummary,
)
from gateway.ownership import check_references, film_spec
from gateway.problems import problem_responses
from gateway.routes.films import film_out
from schemas.commands import CreateProject, DeleteProject, UpdateProject

router = APIRouter(prefix="/api/projects", tags=["projects"])

NO_PROJECT = "No such project. It may have been deleted; list your projects (GET /api/projects) to find it."
Limit = Annotated[int, Query(ge=1, le=100, description="page size")]
Offset = Annotated[int, Query(ge=0, description="how many items to skip")]


async def _owned_project(views: Any, project_id: UUID, owner_id: UUID) -> dict[str, Any]:
    row = await reads.run(views, reads.project_of, views, str(project_id), str(owner_id))
    if row is None:
        raise NotFound(NO_PROJECT)
    return row


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Create a project",
    responses=problem_responses(401, 403, 422),
)
def create_project(
    body: ProjectCreate, caller: CurrentUser, commands: CallerCommands, studio: StudioDep
) -> Accepted:
    """Creates a project from a title, a script and any film options.

    403 beyond the plan's new projects a month (the answer names the limit and the plan that lifts it).
    Without a `resolution`, the project gets the best the plan renders, up to 1080p.
    """
    now = datetime.now(UTC)
    plan = current_plan(studio.bus, caller.id, studio.catalogue, now)
    if plan.projects_per_month is not None:
        check_new_project(plan, projects_created_since(studio, caller.id, month_start(now)), studio.catalogue)
    spec = body.spec()
    check_references(studio.bus, caller.id, spec.model_dump())
    if "resolution" not in body.model_fields_set:
        spec = spec.model_copy(update={"resolution": default_resolution(plan)})
    outcome = commands.send(CreateProject(owner_id=caller.id, spec=spec))
    return Accepted(id=outcome.aggregate_id, position=outcome.position, duplicate=outcome.duplicate)


def projects_created_since(studio: Any, owner_id: UUID, since: datetime) -> int:
    """Projects the owner created since `since`, deleted ones included (they were created all the same).

    Read from the projects read model, so a project created a moment ago may not count yet: send
    X-Min-Position to count it (a soft limit, as a monthly allowance can afford to be).
    """
    rows = studio.views.query(
        "SELECT COUNT(*) AS n FROM projects WHERE owner_id = %s AND created_at >= %s",
        (str(owner_id), since.isoformat()),
    )
    return int(rows[0]["n"])


@router.get("", summary="List my projects", responses=problem_responses(401, 504))
async def list_projects(
    caller: CurrentUser, views: ViewsDep, limit: Limit = 20, offset: Offset = 0
) -> Page[ProjectSummary]:
    """The caller's projects, newest first."""
    rows, total = await reads.run(views, reads.projects_of, views, str(caller.id), limit, offset)
    return Page[ProjectSummary](
        items=[ProjectSummary.model_validate(r) for r in rows], total=total, limit=limit, offset=offset
    )


@router.get("/{project_id}", summary="Get a project", responses=problem_responses(401, 404, 504))
async def get_project(project_id: UUID, caller: CurrentUser, views: ViewsDep) -> ProjectOut:
    """One of the caller's projects, with its full film settings."""
    return ProjectOut.model_validate(await _owned_project(views, project_id, caller.id))


@router.patch(
    "/{project_id}",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Change a project",
    responses=problem_responses(401, 404, 422),
)
def update_project(
    project_id: UUID,
    body: ProjectPatch,  # type: ignore[valid-type]
    caller: CurrentUser,
    commands: CallerCommands,
    studio: StudioDep,
) -> Accepted:
    """Changes the given fields of the project's settings; fields left out stay as they are."""
    changes = body.model_dump(exclude_unset=True, mode="json")  # type: ignore[attr-defined]
    if not changes:
        raise Invalid('Send at least one field to change, e.g. {"title": "New title"}.')
    check_references(studio.bus, caller.id, changes)
    outcome = commands.send(UpdateProject(project_id=project_id, owner_id=caller.id, changes=changes))
    return Accepted(id=outcome.aggregate_id, position=outcome.position, duplicate=outcome.duplicate)


@router.delete(
    "/{project_id}",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Delete a project",
    responses=problem_responses(401, 404),
)
def delete_project(project_id: UUID, caller: CurrentUser, commands: CallerCommands) -> Accepted:
    """Deletes the project; its films and audit trail stay in the log."""
    outcome = commands.send(DeleteProject(project_id=project_id, owner_id=caller.id))
    return Accepted(id=outcome.aggregate_id, position=outcome.position, duplicate=outcome.duplicate)


@router.post(
    "/{project_id}/films",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Generate a film",
    responses=problem_responses(401, 402, 403, 404, 422),
)
def generate_film(
    project_id: UUID, caller: CurrentUser, studio: StudioDep, commands: CallerCommands
) -> FilmAccepted:
    """Reserves the film's credits and starts it from the project's current settings.

    402 when the credits do not cover it (the answer names balance, cost and how to top up); 403 when
    the plan does not allow it (the answer names the limit and the plan that lifts it). Follow the film
    at /api/films/{film_id}/events.
    """
    # The aggregate, not the read model: a film generated right after an edit uses the edit.
    project, _ = studio.bus.state_of("project", project_id)
    spec = owned(project, caller.id).spec
    assert spec is not None
    spec = film_spec(studio.bus, caller.id, spec)  # library characters pinned into the film's own spec
    order = order_film(
        studio.bus,
        studio.catalogue,
        studio.measure,
        command_id=commands.command_id(f"{caller.id}:GenerateFilm:{commands.path}"),
        owner_id=caller.id,
        project_id=project_id,
        spec=spec,
        stages=studio.pipeline,
        actor=commands.actor,
        correlation_id=commands.correlation_id,
    )
    return FilmAccepted(
        film_id=order.film_id,
        project_id=project_id,
        position=order.outcome.position,
        duplicate=order.outcome.duplicate,
        credits=order.quote.credits,
        billed_seconds=order.quote.billed_seconds,
    )


@router.get(
    "/{project_id}/films",
    summary="List a project's films",
    responses=problem_responses(401, 404, 504),
)
async def list_films(
    project_id: UUID, caller: CurrentUser, views: ViewsDep, links: LinksDep, limit: Limit = 50
) -> list[FilmOut]:
    """The project's films, newest first."""
    await _owned_project(views, project_id, caller.id)
    rows = await reads.run(views, reads.films_of_project, views, str(project_id), str(caller.id), limit)
    return [film_out(r, links) for r in rows]


@router.get(
    "/{project_id}/audit",
    summary="A project's audit trail",
    responses=problem_responses(401, 404, 504),
)
async def audit(
    project_id: UUID,
    caller: CurrentUser,
    views: ViewsDep,
    after: Annotated[int, Query(ge=0, description="log position to continue after")] = 0,
    limit: Limit = 100,
) -> AuditPage:
    """Everything that happened to the project and its films, oldest first (progress ticks left out)."""
    await _owned_project(views, project_id, caller.id)
    rows = await reads.run(views, reads.audit_of, views, str(project_id), after, limit)
    return AuditPage(
        items=[AuditEntry.model_validate(r) for r in rows],
        next_after=rows[-1]["position"] if len(rows) == limit else None,
    )
