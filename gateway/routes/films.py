"""Films: status, live progress, cancellation."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Header, status
from fastapi.responses import StreamingResponse

from commands.errors import NotFound
from gateway import reads
from gateway.deps import CallerCommands, CurrentUser, GatewayDep, LinkOrBearerUser, Links, LinksDep, ViewsDep
from gateway.models import Accepted, Download, FilmOut
from gateway.problems import problem_responses
from gateway.progress_stream import film_progress
from schemas.commands import CancelFilm

router = APIRouter(prefix="/api/films", tags=["films"])

NO_FILM = "No such film. Check the film id, or list the project's films (GET /api/projects/{id}/films)."


def film_out(row: dict[str, Any], links: Links) -> FilmOut:
    """The API view of a decoded films row, with links to its progress stream and the files it produced."""
    downloads = [
        Download(stage=stage, name=name, key=key, url=links(f"/api/artifacts/{key}"))
        for stage, name, key in reads.artifact_keys(row["outputs"])
    ]
    return FilmOut.model_validate(
        {
            **row,
            "position": row["last_position"],
            "downloads": downloads,
            "events_url": links(f"/api/films/{row['id']}/events"),
        }
    )


async def owned_film(views: Any, film_id: UUID, owner_id: UUID) -> dict[str, Any]:
    row = await reads.run(views, reads.film_of, views, str(film_id), str(owner_id))
    if row is None:
        raise NotFound(NO_FILM)
    return row


@router.get("/{film_id}", summary="Get a film's status",
            responses=problem_responses(401, 404, 504))  # fmt: skip
async def get_film(film_id: UUID, caller: CurrentUser, views: ViewsDep, links: LinksDep) -> FilmOut:
    """Status, current stage, percent done, ETA, per-stage state, outputs and error of one of your films."""
    return film_out(await owned_film(views, film_id, caller.id), links)


@router.post("/{film_id}/cancel", status_code=status.HTTP_202_ACCEPTED, summary="Cancel a film",
             responses=problem_responses(401, 404, 409))  # fmt: skip
def cancel_film(film_id: UUID, caller: CurrentUser, commands: CallerCommands) -> Accepted:
    """Stops a running film; finished films cannot be cancelled.

    Credits: a cancelled film's credits follow the plan catalogue's cancel policy, by default **not
    refunded** (`cancel_refund_policy` in GET /api/plans says which; show it before the creator confirms).
    """
    outcome = commands.send(CancelFilm(film_id=film_id, owner_id=caller.id))
    return Accepted(id=outcome.aggregate_id, position=outcome.position, duplicate=outcome.duplicate)


@router.get(
    "/{film_id}/events",
    summary="Follow a film's progress (Server-Sent Events)",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "`film` events, then one `end` event"},
        **problem_responses(401, 404, 504),
    },
)
async def film_events(
    film_id: UUID,
    caller: LinkOrBearerUser,
    gateway: GatewayDep,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> StreamingResponse:
    """Sends the film (as in GET /api/films/{id}) whenever it changes, and closes after the film finishes."""
    views, links = gateway.studio.views, Links(gateway.tokens, caller)
    await owned_film(views, film_id, caller.id)  # 404 before the stream starts, as a problem
    stream = film_progress(
        lambda: reads.film_of(views, str(film_id), str(caller.id)),
        views.dialect != "sqlite",
        lambda row: film_out(row, links).model_dump(mode="json"),
        poll_seconds=gateway.stream_poll_seconds,
        heartbeat_seconds=gateway.stream_heartbeat_seconds,
        last_event_id=last_event_id,
    )
    return StreamingResponse(
        stream,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
