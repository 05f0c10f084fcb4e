"""YouTube uploader: runs the upload an `UploadRequested` asks for, and requests uploads of films that asked.

The upload itself goes through a `VideoHost` port (the YouTube client in `infra.youtube`). The upload's
session is recorded (sealed) as soon as it exists, so a worker that takes over after a crash asks the
server how far it got and continues from there; a session that already finished returns its video, so a
film is published once however often the request is redelivered.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from uuid import UUID, uuid5

from commands.bus import CommandBus
from commands.film import Film
from commands.upload import Upload
from commands.youtube_account import YouTubeAccount, youtube_account_id
from events.store import Tracking
from processors.publish_suggestion import FilmMedia, film_media, playlist_title, suggest_metadata
from schemas.commands import Command
from schemas.envelope import Envelope
from schemas.publishing import (
    FailUpload,
    PublishUpload,
    RecordCaptions,
    RecordPlaylist,
    RecordPlaylistItem,
    RecordThumbnail,
    ReportUploadProgress,
    RequestUpload,
    ResumeUpload,
    SkipPublishStep,
    StartUpload,
)
from schemas.video_metadata import VideoMetadata

log = logging.getLogger(__name__)

TRIGGERS = ("UploadRequested", "FilmCompleted")


class PublishFailure(Exception):
    """An upload step that did not work: why, and whether trying again later can help."""

    def __init__(self, reason: str, retryable: bool) -> None:
        super().__init__(reason)
        self.reason, self.retryable = reason, retryable


class UploadListener(Protocol):
    """What the host reports while a video goes up."""

    def started(self, session: str, total_bytes: int) -> None: ...
    def resumed(self, confirmed_bytes: int) -> None: ...
    def progressed(self, bytes_sent: int, total_bytes: int) -> None: ...


@dataclass(frozen=True)
class Video:
    video_id: str
    url: str


class VideoHost(Protocol):
    """The video platform, as the uploader needs it. Raises PublishFailure for what it cannot do."""

    def upload_video(
        self,
        owner_id: str,
        path: Path,
        metadata: VideoMetadata,
        session: str | None,
        listener: UploadListener,
    ) -> Video:
        """Upload (or resume the sealed `session` of) a video; returns it once the platform has it."""
        ...

    def set_thumbnail(self, owner_id: str, video_id: str, path: Path) -> None: ...
    def caption_languages(self, owner_id: str, video_id: str) -> set[str]: ...
    def insert_caption(self, owner_id: str, video_id: str, language: str, name: str, path: Path) -> str: ...
    def find_or_create_playlist(self, owner_id: str, title: str) -> tuple[str, bool]:
        """(playlist id, whether it was created now)."""
        ...

    def add_to_playlist(self, owner_id: str, playlist_id: str, video_id: str) -> None:
        """Adds the video unless the playlist already holds it."""
        ...


def default_worker_name() -> str:
    return f"publisher@{socket.gethostname()}:{os.getpid()}"


def auto_upload_id(film_id: UUID) -> UUID:
    """The upload a film's own `publish` setting asks for: one per film, however often it is asked."""
    return uuid5(film_id, "youtube-publish")


@dataclass
class _Recorder:
    """Turns the host's reports into upload events (progress at most every `interval` seconds)."""

    uploader: YouTubeUploader
    upload_id: UUID
    interval: float
    last: float = field(default=0.0)

    def started(self, session: str, total_bytes: int) -> None:
        self.uploader.send(
            StartUpload(
                upload_id=self.upload_id, worker=self.uploader.name, total_bytes=total_bytes, session=session
            )
        )

    def resumed(self, confirmed_bytes: int) -> None:
        self.uploader.send(
            ResumeUpload(upload_id=self.upload_id, worker=self.uploader.name, confirmed_bytes=confirmed_bytes)
        )

    def progressed(self, bytes_sent: int, total_bytes: int) -> None:
        now = time.monotonic()
        if now - self.last < self.interval and bytes_sent < total_bytes:
            return
        self.last = now
        self.uploader.send(
            ReportUploadProgress(upload_id=self.upload_id, bytes_sent=bytes_sent, total_bytes=total_bytes)
        )


class YouTubeUploader:
    """Handles `UploadRequested` (upload, then thumbnail, captions, playlist) and `FilmCompleted` (policy)."""

    def __init__(
        self,
        bus: CommandBus,
        host: VideoHost,
        artifact_path: Callable[[str], Path],
        name: str | None = None,
        progress_interval: float = 0.0,
        allowed: Callable[[str], str | None] = lambda owner_id: None,
    ) -> None:
        self.bus = bus
        self.host = host
        self.artifact_path = artifact_path
        self.name = name or default_worker_name()
        self.progress_interval = progress_interval
        self.allowed = allowed
        """Why an account may not publish (its plan lacks YouTube), or None when it may."""

    def send(self, command: Command, tracking: Tracking | None = None) -> None:
        self.bus.handle(command, actor=self.name, tracking=tracking)

    def handle(self, event: Envelope, tracking: Tracking) -> None:
        if event.type == "FilmCompleted":
            self.request_automatic_upload(event, tracking)
        elif event.type == "UploadRequested":
            self.upload(event.aggregate_id, tracking)
        else:
            self.bus.track_alone(tracking)

    # --- policy: upload films that asked for it --------------------------------------------------

    def request_automatic_upload(self, event: Envelope, tracking: Tracking) -> None:
        film: Film = self.bus.state_of("film", event.aggregate_id)[0]
        if film.spec is None or film.spec.publish is None:
            self.bus.track_alone(tracking)
            return
        outputs = {name: stage.output for name, stage in film.stages.items()}
        connection: YouTubeAccount = self.bus.state_of("youtube_account", youtube_account_id(film.owner_id))[
            0
        ]
        metadata = suggest_metadata(film.spec, outputs, film.spec.publish)
        self.bus.handle(
            RequestUpload(
                command_id=uuid5(event.event_id, "youtube-publish"),
                upload_id=auto_upload_id(event.aggregate_id),
                film_id=event.aggregate_id,
                owner_id=UUID(film.owner_id),
                channel_id=connection.channel_id if connection.connected else "",
                metadata=metadata,
                automatic=True,
            ),
            actor="publish-policy",
            correlation_id=event.correlation_id,
            causation_id=event.event_id,
            tracking=tracking,
        )

    # --- the upload ------------------------------------------------------------------------------

    def upload(self, upload_id: UUID, tracking: Tracking) -> None:
        state: Upload = self.bus.state_of("upload", upload_id)[0]
        if state.status not in ("requested", "uploading", "published"):
            self.bus.track_alone(tracking)
            return
        film: Film = self.bus.state_of("film", UUID(state.film_id))[0]
        assert state.metadata is not None
        try:
            media = film_media({name: stage.output for name, stage in film.stages.items()})
            if media is None:
                raise PublishFailure(
                    "This film has no video to publish. Generate the film again and publish it once it has "
                    "finished.",
                    retryable=False,
                )
            if state.status != "published":
                refusal = self.allowed(state.owner_id)
                if refusal:
                    raise PublishFailure(refusal, retryable=False)
                self._check_connected(state)
                video = self.host.upload_video(
                    state.owner_id,
                    self.artifact_path(media.video),
                    state.metadata,
                    state.session or None,
                    _Recorder(self, upload_id, self.progress_interval),
                )
                self.send(PublishUpload(upload_id=upload_id, video_id=video.video_id, url=video.url))
                state = self.bus.state_of("upload", upload_id)[0]
        except PublishFailure as failure:
            self.send(
                FailUpload(upload_id=upload_id, reason=failure.reason, retryable=failure.retryable), tracking
            )
            return
        self._finish(upload_id, state, media, film)
        self.bus.track_alone(tracking)

    def _check_connected(self, state: Upload) -> None:
        connection: YouTubeAccount = self.bus.state_of("youtube_account", youtube_account_id(state.owner_id))[
            0
        ]
        if not connection.connected:
            raise PublishFailure(
                "No YouTube channel is connected to this account. Connect one (GET /api/youtube/connect), "
                "then publish the film again.",
                retryable=True,
            )

    def _finish(self, upload_id: UUID, state: Upload, media: FilmMedia, film: Film) -> None:
        """Thumbnail, captions and playlist: each done once, each failure recorded without undoing the video."""
        assert state.metadata is not None
        metadata, owner, video_id = state.metadata, state.owner_id, state.video_id
        steps: list[tuple[str, Callable[[], None]]] = []
        if metadata.thumbnail_index is not None and media.thumbnails and not state.thumbnail:
            key = media.thumbnails[min(metadata.thumbnail_index, len(media.thumbnails) - 1)]

            def thumbnail() -> None:
                self.host.set_thumbnail(owner, video_id, self.artifact_path(key))
                self.send(RecordThumbnail(upload_id=upload_id, thumbnail=key))

            steps.append(("thumbnail", thumbnail))
        wanted = [t for t in media.captions if metadata.captions is None or t[0] in metadata.captions]
        if any(language not in state.captions for language, _, _ in wanted):

            def captions() -> None:
                present = self.host.caption_languages(owner, video_id)  # a crash may have left some up
                for language, label, key in wanted:
                    if language in state.captions:
                        continue
                    caption_id = "existing"
                    if language not in present:
                        caption_id = self.host.insert_caption(
                            owner, video_id, language, label, self.artifact_path(key)
                        )
                    self.send(RecordCaptions(upload_id=upload_id, language=language, caption_id=caption_id))

            steps.append(("captions", captions))
        if (metadata.playlist_id or metadata.playlist_auto != "none") and not state.playlists:

            def playlist() -> None:
                playlist_id = metadata.playlist_id
                if playlist_id is None:
                    title, theme = playlist_title(metadata.playlist_auto, film.spec, media, state)
                    playlist_id, _ = self.host.find_or_create_playlist(owner, title)
                    self.send(
                        RecordPlaylist(
                            account_id=UUID(owner), playlist_id=playlist_id, title=title, theme=theme
                        )
                    )
                self.host.add_to_playlist(owner, playlist_id, video_id)
                self.send(RecordPlaylistItem(upload_id=upload_id, playlist_id=playlist_id))

            steps.append(("playlist", playlist))
        for step, run in steps:
            if step in state.skipped:
                continue
            try:
                run()
            except PublishFailure as failure:
                log.warning("upload %s: %s step failed: %s", upload_id, step, failure.reason)
                self.send(SkipPublishStep(upload_id=upload_id, step=step, reason=failure.reason))


def artifact_paths(artifacts: Any) -> Callable[[str], Path]:
    """The local path of an artifact key (an S3 store downloads it to its cache first)."""

    def path(key: str) -> Path:
        found: Path = artifacts.path(key)
        return found

    return path
