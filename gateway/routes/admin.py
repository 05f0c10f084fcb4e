"""Administration: every creator's films."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, status

from gateway import reads
from gateway.deps import AdminUser, CallerCommands, LinksDep, ViewsDep
from gateway.models import Accepted, AdminFilmOut
from gateway.problems import problem_responses
from gateway.routes.films import film_out
from schemas.commands import CancelFilm

router = APIRouter(prefix="/api/admin", tags=["admin"])

FilmStatus = Literal["running", "completed", "failed", "cancelled"]


@router.get("/films", summary="List all films",
            responses=problem_responses(401, 403, 504))  # fmt: skip
async def all_films(
    admin: AdminUser,
    views: ViewsDep,
    links: LinksDep,
    status_: Annotated[FilmStatus | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[AdminFilmOut]:
    """Every creator's films, newest first, optionally only those in one status."""
    return [
        AdminFilmOut.model_validate({**film_out(r, links).model_dump(), "owner_id": r["owner_id"]})
        for r in await reads.run(views, reads.all_films, views, status_, limit, offset)
    ]


@router.post("/films/{film_id}/cancel", status_code=status.HTTP_202_ACCEPTED, summary="Cancel any film",
             responses=problem_responses(401, 403, 404, 409))  # fmt: skip
def cancel_any_film(film_id: UUID, admin: AdminUser, commands: CallerCommands) -> Accepted:
    """Stops any creator's running film."""
    outcome = commands.send(
        CancelFilm(film_id=film_id, owner_id=None, reason="cancelled by an administrator")
    )
    return Accepted(id=outcome.aggregate_id, position=outcome.position, duplicate=outcome.duplicate)
