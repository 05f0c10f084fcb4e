"""Upload aggregate: one film's way onto YouTube, from request to a published video and its finishing steps."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Literal
from uuid import UUID

from commands.errors import Conflict, Invalid, NotFound
from schemas.commands import Command
from schemas.envelope import DomainEvent
from schemas.publishing import (
    AddedToPlaylist,
    CaptionsAdded,
    FailUpload,
    PublishStepSkipped,
    PublishUpload,
    RecordCaptions,
    RecordPlaylistItem,
    RecordThumbnail,
    ReportUploadProgress,
    RequestUpload,
    ResumeUpload,
    SkipPublishStep,
    StartUpload,
    ThumbnailSet,
    UploadFailed,
    UploadProgressed,
    UploadPublished,
    UploadRequested,
    UploadResumed,
    UploadStarted,
    VideoMetadata,
)

UploadStatus = Literal["none", "requested", "uploading", "published", "failed"]
NO_UPLOAD = "No such upload. Check the upload id, or list your uploads (GET /api/youtube/uploads)."


@dataclass(frozen=True)
class Upload:
    status: UploadStatus = "none"
    film_id: str = ""
    owner_id: str = ""
    channel_id: str = ""
    metadata: VideoMetadata | None = None
    session: str = ""
    total_bytes: int = 0
    bytes_sent: int = 0
    video_id: str = ""
    thumbnail: str = ""
    captions: frozenset[str] = frozenset()
    playlists: frozenset[str] = frozenset()
    skipped: frozenset[str] = frozenset()

    @property
    def open(self) -> bool:
        """Still to be uploaded: requested, or interrupted part way."""
        return self.status in ("requested", "uploading")


def evolve(state: Upload, event: DomainEvent) -> Upload:
    match event:
        case UploadRequested():
            return Upload("requested", event.film_id, event.owner_id, event.channel_id, event.metadata)
        case UploadStarted():
            return replace(
                state, status="uploading", session=event.session, total_bytes=event.total_bytes, bytes_sent=0
            )
        case UploadResumed():
            return replace(state, bytes_sent=event.confirmed_bytes)
        case UploadProgressed():
            return replace(state, bytes_sent=event.bytes_sent, total_bytes=event.total_bytes)
        case UploadPublished():
            return replace(state, status="published", video_id=event.video_id, bytes_sent=state.total_bytes)
        case UploadFailed():
            return replace(state, status="failed")
        case ThumbnailSet():
            return replace(state, thumbnail=event.thumbnail)
        case CaptionsAdded():
            return replace(state, captions=state.captions | {event.language})
        case AddedToPlaylist():
            return replace(state, playlists=state.playlists | {event.playlist_id})
        case PublishStepSkipped():
            return replace(state, skipped=state.skipped | {event.step})
    return state


def aggregate_id(command: Command) -> UUID:
    upload_id: UUID = command.upload_id  # type: ignore[attr-defined]
    return upload_id


def decide(command: Command, state: Upload) -> list[DomainEvent]:
    if isinstance(command, RequestUpload):
        if state.status != "none":
            return []
        scheduled = command.metadata.scheduled_at()
        if scheduled is not None and scheduled <= datetime.now(UTC):
            raise Invalid("publish_at is in the past; choose a future time, or leave it out to publish now.")
        return [
            UploadRequested(
                upload_id=str(command.upload_id),
                film_id=str(command.film_id),
                owner_id=str(command.owner_id),
                channel_id=command.channel_id,
                metadata=command.metadata,
                automatic=command.automatic,
            )
        ]
    if state.status == "none":
        raise NotFound(NO_UPLOAD)
    if isinstance(command, StartUpload):
        return (
            [UploadStarted(worker=command.worker, total_bytes=command.total_bytes, session=command.session)]
            if state.open
            else []
        )
    if isinstance(command, ResumeUpload):
        return (
            [UploadResumed(worker=command.worker, confirmed_bytes=command.confirmed_bytes)]
            if state.status == "uploading"
            else []
        )
    if isinstance(command, ReportUploadProgress):
        # Only forward: a repeated or late report never moves the bar back.
        if state.status != "uploading" or command.bytes_sent <= state.bytes_sent:
            return []
        return [UploadProgressed(bytes_sent=command.bytes_sent, total_bytes=command.total_bytes)]
    if isinstance(command, PublishUpload):
        if state.status == "published":
            if state.video_id != command.video_id:
                raise Conflict(f"This upload was already published as video {state.video_id}.")
            return []
        if not state.open:
            return []
        assert state.metadata is not None
        return [
            UploadPublished(
                video_id=command.video_id,
                url=command.url,
                film_id=state.film_id,
                owner_id=state.owner_id,
                title=state.metadata.title,
            )
        ]
    if isinstance(command, FailUpload):
        return [UploadFailed(reason=command.reason, retryable=command.retryable)] if state.open else []
    if state.status != "published":
        return []  # finishing steps only follow a published video
    if isinstance(command, RecordThumbnail):
        return [] if state.thumbnail else [ThumbnailSet(video_id=state.video_id, thumbnail=command.thumbnail)]
    if isinstance(command, RecordCaptions):
        if command.language in state.captions:
            return []
        return [
            CaptionsAdded(video_id=state.video_id, language=command.language, caption_id=command.caption_id)
        ]
    if isinstance(command, RecordPlaylistItem):
        if command.playlist_id in state.playlists:
            return []
        return [AddedToPlaylist(video_id=state.video_id, playlist_id=command.playlist_id)]
    if isinstance(command, SkipPublishStep):
        if command.step in state.skipped:
            return []
        return [PublishStepSkipped(step=command.step, reason=command.reason)]
    raise TypeError(f"upload cannot handle {type(command).__name__}")
