"""YouTube publishing: the events and commands of channel connections and uploads."""

from __future__ import annotations

from uuid import UUID

from pydantic import Field

from schemas.commands import Command
from schemas.envelope import DomainEvent
from schemas.video_metadata import VideoMetadata

__all__ = ["VideoMetadata"]

# --- events: the channel connection (aggregate youtube_account, one per studio account) -----------------


class YouTubeConnected(DomainEvent):
    type = "YouTubeConnected"
    aggregate = "youtube_account"
    account_id: str
    channel_id: str
    title: str
    scopes: list[str] = []


class YouTubeDisconnected(DomainEvent):
    type = "YouTubeDisconnected"
    aggregate = "youtube_account"
    account_id: str
    channel_id: str


class PlaylistCreated(DomainEvent):
    type = "PlaylistCreated"
    aggregate = "youtube_account"
    account_id: str
    playlist_id: str
    title: str
    theme: str = Field("", description="the theme or month it collects, for automatic filling; '' if chosen")


# --- events: one upload of a film (aggregate upload) ---------------------------------------------------


class UploadRequested(DomainEvent):
    type = "UploadRequested"
    aggregate = "upload"
    upload_id: str
    film_id: str
    owner_id: str
    channel_id: str
    metadata: VideoMetadata
    automatic: bool = Field(False, description="asked for in the film's spec, not by hand")


class UploadStarted(DomainEvent):
    type = "UploadStarted"
    aggregate = "upload"
    worker: str
    total_bytes: int
    session: str = Field(description="the resumable session URI, sealed by the studio's token vault")


class UploadResumed(DomainEvent):
    """A worker took over an interrupted upload; the server had `confirmed_bytes` of it."""

    type = "UploadResumed"
    aggregate = "upload"
    worker: str
    confirmed_bytes: int


class UploadProgressed(DomainEvent):
    type = "UploadProgressed"
    aggregate = "upload"
    bytes_sent: int
    total_bytes: int


class UploadPublished(DomainEvent):
    type = "UploadPublished"
    aggregate = "upload"
    video_id: str
    url: str
    film_id: str = ""
    owner_id: str = ""
    title: str = ""


class UploadFailed(DomainEvent):
    type = "UploadFailed"
    aggregate = "upload"
    reason: str
    retryable: bool


class ThumbnailSet(DomainEvent):
    type = "ThumbnailSet"
    aggregate = "upload"
    video_id: str
    thumbnail: str = Field(description="artifact key of the image")


class CaptionsAdded(DomainEvent):
    type = "CaptionsAdded"
    aggregate = "upload"
    video_id: str
    language: str
    caption_id: str


class AddedToPlaylist(DomainEvent):
    type = "AddedToPlaylist"
    aggregate = "upload"
    video_id: str
    playlist_id: str


class PublishStepSkipped(DomainEvent):
    """A finishing step after the video went up (thumbnail, captions, playlist) could not be done."""

    type = "PublishStepSkipped"
    aggregate = "upload"
    step: str
    reason: str


# --- commands ------------------------------------------------------------------------------------------


class ConnectYouTube(Command):
    aggregate = "youtube_account"
    account_id: UUID
    channel_id: str
    title: str
    scopes: list[str] = []


class DisconnectYouTube(Command):
    aggregate = "youtube_account"
    account_id: UUID


class RecordPlaylist(Command):
    aggregate = "youtube_account"
    account_id: UUID
    playlist_id: str
    title: str
    theme: str = ""


class RequestUpload(Command):
    aggregate = "upload"
    upload_id: UUID
    film_id: UUID
    owner_id: UUID
    channel_id: str
    metadata: VideoMetadata
    automatic: bool = False


class StartUpload(Command):
    aggregate = "upload"
    upload_id: UUID
    worker: str
    total_bytes: int
    session: str


class ResumeUpload(Command):
    aggregate = "upload"
    upload_id: UUID
    worker: str
    confirmed_bytes: int


class ReportUploadProgress(Command):
    aggregate = "upload"
    upload_id: UUID
    bytes_sent: int
    total_bytes: int


class PublishUpload(Command):
    aggregate = "upload"
    upload_id: UUID
    video_id: str
    url: str


class FailUpload(Command):
    aggregate = "upload"
    upload_id: UUID
    reason: str
    retryable: bool


class RecordThumbnail(Command):
    aggregate = "upload"
    upload_id: UUID
    thumbnail: str


class RecordCaptions(Command):
    aggregate = "upload"
    upload_id: UUID
    language: str
    caption_id: str


class RecordPlaylistItem(Command):
    aggregate = "upload"
    upload_id: UUID
    playlist_id: str


class SkipPublishStep(Command):
    aggregate = "upload"
    upload_id: UUID
    step: str
    reason: str
