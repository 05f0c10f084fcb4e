"""YouTube: connect a channel, playlists, suggested metadata, publishing a film and following its upload."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Query, status
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import BaseModel, Field, ValidationError

from commands.errors import Conflict, Forbidden, Invalid, NotFound
from commands.youtube_account import YouTubeAccount, youtube_account_id
from gateway import reads
from gateway.deps import CallerCommands, CurrentUser, StudioDep, ViewsDep
from gateway.models import Accepted
from gateway.problems import problem_response, problem_responses
from infra.container import Studio
from infra.youtube.oauth import ConnectRefused
from infra.youtube.quota import QuotaExhausted, upload_cost
from infra.youtube.wiring import YouTube, plan_refusal, youtube_of
from processors.publish_suggestion import film_media, suggest_metadata
from processors.youtube_uploader import PublishFailure
from schemas.film import FilmSpec
from schemas.publishing import ConnectYouTube, DisconnectYouTube, RecordPlaylist, RequestUpload
from schemas.video_metadata import PlaylistAuto, Privacy, VideoMetadata

router = APIRouter(prefix="/api", tags=["youtube"])

NOT_CONFIGURED = (
    "YouTube publishing is not set up on this studio. The operator sets FILMSTUDIO_YOUTUBE_CLIENT_ID and "
    "FILMSTUDIO_YOUTUBE_CLIENT_SECRET (see docs/youtube.md)."
)
NOT_CONNECTED = "No YouTube channel is connected. Connect one first (GET /api/youtube/connect)."
NO_FILM = "No such film. Check the film id, or list the project's films (GET /api/projects/{id}/films)."


class ConnectOut(BaseModel):
    authorization_url: str = Field(description="open this in the browser; Google returns to the callback")


class ConnectionOut(BaseModel):
    channel_id: str
    title: str


class ChannelOut(BaseModel):
    id: str
    title: str


class PlaylistOut(BaseModel):
    id: str
    title: str
    privacy: str = ""


class PlaylistIn(BaseModel):
    title: str = Field(min_length=1, max_length=150)
    description: str = Field("", max_length=5000)
    privacy: Privacy = "public"


class SuggestionOut(BaseModel):
    title: str
    description: str
    tags: list[str]
    category_id: str
    quota_units: int = Field(description="what publishing with all finishing steps would spend")
    quota_left: int


class PublishIn(BaseModel):
    """The metadata to publish with; start from GET /api/films/{id}/publish/suggestion and edit."""

    title: str
    description: str = ""
    tags: list[str] = []
    category_id: str = "1"
    privacy: Privacy = "private"
    made_for_kids: bool = False
    publish_at: datetime | None = None
    playlist_id: str | None = None
    playlist_auto: PlaylistAuto = "none"
    thumbnail_index: int | None = 0
    captions: list[str] | None = None


class PublishAccepted(Accepted):
    upload_id: UUID


class UploadOut(BaseModel):
    id: str
    film_id: str
    title: str
    status: str
    percent: float
    bytes_sent: int
    total_bytes: int
    video_id: str | None
    url: str | None
    error: str | None
    retryable: bool | None
    automatic: bool
    metadata: dict[str, Any]
    finishing: dict[str, Any]
    requested_at: str
    updated_at: str


# --- helpers ----------------------------------------------------------------------------------------


def youtube(studio: Studio) -> YouTube:
    parts = youtube_of(studio)
    if not parts.settings.configured:
        raise Conflict(NOT_CONFIGURED)
    return parts


def require_plan(studio: Studio, account_id: UUID) -> None:
    """YouTube publishing is a plan feature (Standard and above in the bundled catalogue)."""
    refusal = plan_refusal(studio)(str(account_id))
    if refusal:
        raise Forbidden(refusal)


def connection(studio: Studio, account_id: UUID) -> YouTubeAccount:
    state: YouTubeAccount = studio.bus.state_of("youtube_account", youtube_account_id(account_id))[0]
    if not state.connected:
        raise Conflict(NOT_CONNECTED)
    return state


def call(run: Any, *args: Any) -> Any:
    """A YouTube call from a route: a refusal becomes a problem the creator can act on."""
    try:
        return run(*args)
    except PublishFailure as failure:
        raise Conflict(failure.reason) from failure


def quota_problem(error: QuotaExhausted, path: str) -> JSONResponse:
    return problem_response(
        429,
        str(error),
        title="YouTube quota would run out",
        instance=path,
        headers={"Retry-After": str(int(error.resets_in.total_seconds()))},
    )


def finished_film(views: Any, film_id: UUID, owner_id: UUID) -> tuple[FilmSpec | None, dict[str, Any]]:
    row = reads.film_of(views, str(film_id), str(owner_id))
    if row is None:
        raise NotFound(NO_FILM)
    if row["status"] != "completed":
        raise Conflict(f"The film is {row['status']}; publish it once it has completed.")
    spec_rows = views.query("SELECT spec FROM projects WHERE id = %s", (row["project_id"],))
    spec = FilmSpec.model_validate(json.loads(spec_rows[0]["spec"])) if spec_rows else None
    return spec, row["outputs"] or {}


# --- connection ---------------------------------------------------------------------------------------


@router.get("/youtube/connect", summary="Start connecting a YouTube channel",
            responses=problem_responses(401, 403, 409))  # fmt: skip
def connect(caller: CurrentUser, studio: StudioDep) -> ConnectOut:
    """Google's consent page for upload, read and playlist access; it sends the browser to the callback."""
    require_plan(studio, caller.id)
    return ConnectOut(authorization_url=youtube(studio).connect.authorization_url(caller.id))


@router.get("/youtube/oauth/callback", summary="Google's redirect after consent", response_model=None,
            responses=problem_responses(400, 409))  # fmt: skip
def oauth_callback(
    studio: StudioDep,
    code: Annotated[str | None, Query()] = None,
    state: Annotated[str | None, Query()] = None,
    error: Annotated[str | None, Query()] = None,
) -> ConnectionOut | RedirectResponse:
    """Exchanges the code for tokens (kept encrypted), reads the channel and records the connection."""
    parts = youtube(studio)
    if error or not code or not state:
        raise Invalid(
            f"Google did not grant access ({error or 'no code'}). Start again from GET /api/youtube/connect "
            "and allow the studio's access."
        )
    try:
        grant = parts.connect.exchange(code, state)
    except ConnectRefused as refused:
        raise Invalid(str(refused)) from refused
    parts.client.store_grant(str(grant.account_id), grant.tokens)
    channels = call(parts.client.channels, str(grant.account_id))
    if not channels:
        parts.vault.delete(str(grant.account_id))
        raise Conflict(
            "This Google account has no YouTube channel. Create one on youtube.com, then connect again."
        )
    channel = channels[0]
    studio.bus.handle(
        ConnectYouTube(
            command_id=uuid4(),
            account_id=grant.account_id,
            channel_id=channel["id"],
            title=channel["snippet"]["title"],
            scopes=grant.tokens.get("scopes", []),
        ),
        actor=str(grant.account_id),
    )
    if parts.settings.return_url:
        return RedirectResponse(parts.settings.return_url, status_code=status.HTTP_303_SEE_OTHER)
    return ConnectionOut(channel_id=channel["id"], title=channel["snippet"]["title"])


@router.delete("/youtube/connection", status_code=status.HTTP_202_ACCEPTED, summary="Disconnect YouTube",
               responses=problem_responses(401))  # fmt: skip
def disconnect(caller: CurrentUser, studio: StudioDep, commands: CallerCommands) -> Accepted:
    """Forgets the channel's tokens at once and records the disconnection."""
    youtube_of(studio).vault.delete(str(caller.id))
    outcome = commands.send(DisconnectYouTube(account_id=caller.id))
    return Accepted(id=outcome.aggregate_id, position=outcome.position, duplicate=outcome.duplicate)


@router.get("/youtube/channels", summary="My connected channel", responses=problem_responses(401, 409))
def channels(caller: CurrentUser, studio: StudioDep) -> list[ChannelOut]:
    connection(studio, caller.id)
    found = call(youtube(studio).client.channels, str(caller.id))
    return [ChannelOut(id=c["id"], title=c["snippet"]["title"]) for c in found]


@router.get("/youtube/playlists", summary="My channel's playlists", responses=problem_responses(401, 409))
def playlists(caller: CurrentUser, studio: StudioDep) -> list[PlaylistOut]:
    connection(studio, caller.id)
    found = call(youtube(studio).client.playlists, str(caller.id))
    return [
        PlaylistOut(
            id=p["id"], title=p["snippet"]["title"], privacy=p.get("status", {}).get("privacyStatus", "")
        )
        for p in found
    ]


@router.post("/youtube/playlists", status_code=status.HTTP_201_CREATED, summary="Create a playlist",
             responses=problem_responses(401, 409, 422))  # fmt: skip
def create_playlist(body: PlaylistIn, caller: CurrentUser, studio: StudioDep) -> PlaylistOut:
    connection(studio, caller.id)
    created = call(
        youtube(studio).client.create_playlist, str(caller.id), body.title, body.description, body.privacy
    )
    studio.bus.handle(
        RecordPlaylist(account_id=caller.id, playlist_id=created["id"], title=body.title),
        actor=str(caller.id),
    )
    return PlaylistOut(id=created["id"], title=body.title, privacy=body.privacy)


# --- publishing -----------------------------------------------------------------------------------------


@router.get("/films/{film_id}/publish/suggestion", summary="Suggested YouTube metadata for a film",
            responses=problem_responses(401, 404, 409))  # fmt: skip
def suggestion(film_id: UUID, caller: CurrentUser, studio: StudioDep, views: ViewsDep) -> SuggestionOut:
    """Title, description, tags and category drawn from the film's script analysis; edit them before publishing."""
    spec, outputs = finished_film(views, film_id, caller.id)
    metadata = suggest_metadata(spec, outputs)
    media = film_media(outputs)
    tracks = len(media.captions) if media else 0
    parts = youtube_of(studio)
    return SuggestionOut(
        title=metadata.title,
        description=metadata.description,
        tags=metadata.tags,
        category_id=metadata.category_id,
        quota_units=upload_cost(metadata, tracks, thumbnails=bool(media and media.thumbnails)),
        quota_left=parts.quota.remaining(),
    )


@router.post("/films/{film_id}/publish", status_code=status.HTTP_202_ACCEPTED, summary="Publish a film to YouTube",
             response_model=PublishAccepted, responses=problem_responses(401, 403, 404, 409, 422, 429))  # fmt: skip
def publish(
    film_id: UUID,
    body: PublishIn,
    caller: CurrentUser,
    studio: StudioDep,
    views: ViewsDep,
    commands: CallerCommands,
) -> PublishAccepted | JSONResponse:
    """Queues the upload; follow it in GET /api/youtube/uploads. Refused at once if the day's quota would run out."""
    require_plan(studio, caller.id)
    parts = youtube(studio)
    channel = connection(studio, caller.id)
    _, outputs = finished_film(views, film_id, caller.id)
    media = film_media(outputs)
    if media is None:
        raise Conflict("This film has no video to publish. Generate it again, then publish.")
    try:
        metadata = VideoMetadata.model_validate(body.model_dump())
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "body"
        raise Invalid(f"{field}: {str(first['msg']).removeprefix('Value error, ')}") from error
    if metadata.captions is not None:
        missing = set(metadata.captions) - {language for language, _, _ in media.captions}
        if missing:
            raise Invalid(
                f"The film has no subtitles in {', '.join(sorted(missing))}; choose from its tracks."
            )
    try:
        parts.quota.check(upload_cost(metadata, len(media.captions), thumbnails=bool(media.thumbnails)))
    except QuotaExhausted as error:
        return quota_problem(error, f"/api/films/{film_id}/publish")
    upload_id = commands.command_id(f"{caller.id}:publish:{film_id}") if commands.key else uuid4()
    outcome = commands.send(
        RequestUpload(
            upload_id=upload_id,
            film_id=film_id,
            owner_id=caller.id,
            channel_id=channel.channel_id,
            metadata=metadata,
        )
    )
    return PublishAccepted(
        id=outcome.aggregate_id,
        upload_id=outcome.aggregate_id,
        position=outcome.position,
        duplicate=outcome.duplicate,
    )


@router.get("/youtube/uploads", summary="My uploads", responses=problem_responses(401))
def uploads(
    caller: CurrentUser, views: ViewsDep, film_id: Annotated[UUID | None, Query()] = None
) -> list[UploadOut]:
    """Every upload with its status, progress, video link, error and finishing steps; newest first."""
    sql = "SELECT * FROM uploads WHERE owner_id = %s"
    params: list[Any] = [str(caller.id)]
    if film_id is not None:
        sql += " AND film_id = %s"
        params.append(str(film_id))
    rows = views.query(sql + " ORDER BY requested_at DESC LIMIT 200", params)
    return [
        UploadOut.model_validate(
            {
                **row,
                "automatic": bool(row["automatic"]),
                "retryable": None if row["retryable"] is None else bool(row["retryable"]),
                "metadata": json.loads(row["metadata"]),
                "finishing": json.loads(row["finishing"]),
            }
        )
        for row in rows
    ]
