"""The YouTube Data API v3 client (google-api-python-client): the uploader's `VideoHost` and the gateway's calls.

Every call reserves its quota units first. Videos go up with the library's resumable protocol in
chunks; on a 5xx answer or a dropped connection the next `next_chunk()` asks the server what it
holds and continues from there, after an exponential backoff with jitter.
"""

from __future__ import annotations

import json
import logging
import random
import socket
import ssl
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httplib2
from google.auth.exceptions import RefreshError, TransportError
from google.oauth2.credentials import Credentials
from google_auth_httplib2 import AuthorizedHttp, Request
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaFileUpload

from infra.youtube.config import SCOPES, YouTubeSettings
from infra.youtube.oauth import tokens_of
from infra.youtube.quota import COSTS, QuotaExhausted, QuotaLedger
from infra.youtube.vault import TokenVault
from processors.youtube_uploader import PublishFailure, UploadListener, Video
from schemas.video_metadata import VideoMetadata

log = logging.getLogger(__name__)

RETRYABLE_STATUS = {429, 500, 502, 503, 504}
TRANSPORT_ERRORS = (
    httplib2.HttpLib2Error,
    ConnectionError,
    socket.timeout,
    ssl.SSLError,
    OSError,
    TransportError,
)
WATCH_URL = "https://www.youtube.com/watch?v="
THUMBNAIL_LIMIT = 2 * 1024 * 1024


def reason_of(error: HttpError) -> tuple[str, str]:
    """(reason code, message) from Google's JSON error body."""
    try:
        body = json.loads(error.content.decode())["error"]
        first = (body.get("errors") or [{}])[0]
        return str(first.get("reason", "")), str(body.get("message", error.reason))
    except (ValueError, KeyError, AttributeError):
        return "", str(error.reason or error)


def failure_of(error: HttpError, doing: str) -> PublishFailure:
    """A creator-facing failure for an API error."""
    status = error.resp.status
    reason, message = reason_of(error)
    if reason in ("quotaExceeded", "dailyLimitExceeded"):
        return PublishFailure(
            f"YouTube's daily quota for this studio ran out while {doing}. It resets at midnight Pacific "
            "time; publish again after that.",
            retryable=True,
        )
    if status == 401:
        return PublishFailure(
            "YouTube no longer accepts the studio's access to this channel. Connect the channel again "
            "(GET /api/youtube/connect).",
            retryable=False,
        )
    if reason == "uploadLimitExceeded":
        return PublishFailure(
            "The channel reached YouTube's daily upload limit. Try again tomorrow.", retryable=True
        )
    return PublishFailure(
        f"YouTube refused {doing}: {message} ({status}).", retryable=status in RETRYABLE_STATUS
    )


def video_body(metadata: VideoMetadata) -> dict[str, Any]:
    """videos.insert's snippet and status; a scheduled video is private until its publishAt."""
    status: dict[str, Any] = {
        "privacyStatus": metadata.privacy,
        "selfDeclaredMadeForKids": metadata.made_for_kids,
    }
    scheduled = metadata.scheduled_at()
    if scheduled is not None:
        status["privacyStatus"] = "private"
        status["publishAt"] = scheduled.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return {
        "snippet": {
            "title": metadata.title,
            "description": metadata.description,
            "tags": metadata.tags,
            "categoryId": metadata.category_id,
        },
        "status": status,
    }


class YouTubeClient:
    """One per process; builds an authorised service per account from the vault's tokens."""

    def __init__(
        self,
        settings: YouTubeSettings,
        vault: TokenVault,
        quota: QuotaLedger,
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.settings = settings
        self.vault = vault
        self.quota = quota
        self.sleep = sleep
        self.rand = rand
        self.retries = 0
        """Chunk retries so far (for logs and tests)."""

    # --- credentials -----------------------------------------------------------------------------

    def _http(self) -> httplib2.Http:
        ca = str(self.settings.ca_bundle) if self.settings.ca_bundle else None
        http = httplib2.Http(ca_certs=ca, timeout=self.settings.timeout_seconds)
        # httplib2 follows 308 as a redirect; in the resumable protocol it means "resume incomplete".
        http.redirect_codes = http.redirect_codes - {308}
        return http

    def credentials(self, owner_id: str) -> Credentials:
        """The account's credentials, refreshed (and stored again) when they expire within the margin."""
        tokens = self.vault.load(owner_id)
        if tokens is None:
            raise PublishFailure(
                "No YouTube channel is connected to this account. Connect one (GET /api/youtube/connect).",
                retryable=False,
            )
        expiry = datetime.fromisoformat(tokens["expiry"]) if tokens.get("expiry") else None
        credentials = Credentials(
            token=tokens["token"],
            refresh_token=tokens["refresh_token"],
            token_uri=self.settings.token_uri,
            client_id=self.settings.client_id,
            client_secret=self.settings.client_secret,
            scopes=tokens.get("scopes") or SCOPES,
            expiry=expiry.astimezone(UTC).replace(tzinfo=None) if expiry else None,
        )
        margin = timedelta(seconds=self.settings.refresh_margin_seconds)
        if expiry is None or expiry - datetime.now(UTC) < margin:
            try:
                credentials.refresh(Request(self._http()))
            except RefreshError as error:
                raise PublishFailure(
                    f"Google refused to renew the studio's access ({error}). Connect the channel again "
                    "(GET /api/youtube/connect).",
                    retryable=False,
                ) from error
            self.vault.save(owner_id, {**tokens_of(credentials), "refresh_token": tokens["refresh_token"]})
        return credentials

    def store_grant(self, owner_id: str, tokens: dict[str, Any]) -> None:
        self.vault.save(owner_id, tokens)

    def service(self, owner_id: str) -> Any:
        http = AuthorizedHttp(self.credentials(owner_id), http=self._http())
        return build(
            "youtube",
            "v3",
            http=http,
            static_discovery=True,
            cache_discovery=False,
            client_options={"api_endpoint": self.settings.api_endpoint},
        )

    def _execute(self, request: Any, call: str, doing: str) -> Any:
        try:
            self.quota.reserve(COSTS.get(call, 1))
        except QuotaExhausted as error:
            raise PublishFailure(str(error), retryable=True) from error
        request._sleep = self.sleep  # the library's own backoff, through our clock
        try:
            return request.execute(num_retries=self.settings.max_retries)
        except HttpError as error:
            raise failure_of(error, doing) from error
        except TRANSPORT_ERRORS as error:
            raise PublishFailure(
                f"YouTube could not be reached while {doing} ({error}).", retryable=True
            ) from error

    # --- channel, playlists ----------------------------------------------------------------------

    def channels(self, owner_id: str) -> list[dict[str, Any]]:
        request = self.service(owner_id).channels().list(part="snippet", mine=True)
        items: list[dict[str, Any]] = self._execute(request, "list", "listing your channels").get("items", [])
        return items

    def playlists(self, owner_id: str) -> list[dict[str, Any]]:
        service, found, token = self.service(owner_id), [], None
        while True:
            request = service.playlists().list(
                part="snippet,status", mine=True, maxResults=50, pageToken=token
            )
            page = self._execute(request, "list", "listing your playlists")
            found.extend(page.get("items", []))
            token = page.get("nextPageToken")
            if not token:
                return found

    def create_playlist(
        self, owner_id: str, title: str, description: str = "", privacy: str = "public"
    ) -> dict[str, Any]:
        body = {"snippet": {"title": title, "description": description}, "status": {"privacyStatus": privacy}}
        request = self.service(owner_id).playlists().insert(part="snippet,status", body=body)
        created: dict[str, Any] = self._execute(request, "playlists.insert", "creating the playlist")
        return created

    def find_or_create_playlist(self, owner_id: str, title: str) -> tuple[str, bool]:
        for playlist in self.playlists(owner_id):
            if playlist.get("snippet", {}).get("title") == title:
                return str(playlist["id"]), False
        return str(
            self.create_playlist(owner_id, title, "Filled automatically by AI Film Studio.")["id"]
        ), True

    def add_to_playlist(self, owner_id: str, playlist_id: str, video_id: str) -> None:
        service = self.service(owner_id)
        existing = self._execute(
            service.playlistItems().list(part="id", playlistId=playlist_id, videoId=video_id),
            "list",
            "checking the playlist",
        )
        if existing.get("items"):
            return
        body = {
            "snippet": {
                "playlistId": playlist_id,
                "resourceId": {"kind": "youtube#video", "videoId": video_id},
            }
        }
        self._execute(
            service.playlistItems().insert(part="snippet", body=body),
            "playlistItems.insert",
            "adding to the playlist",
        )

    # --- thumbnail, captions ---------------------------------------------------------------------

    def set_thumbnail(self, owner_id: str, video_id: str, path: Path) -> None:
        if path.stat().st_size > THUMBNAIL_LIMIT:
            raise PublishFailure("The thumbnail is larger than YouTube's 2 MB limit.", retryable=False)
        mimetype = "image/png" if path.suffix.lower() == ".png" else "image/jpeg"
        request = (
            self.service(owner_id)
            .thumbnails()
            .set(videoId=video_id, media_body=MediaFileUpload(str(path), mimetype=mimetype))
        )
        self._execute(request, "thumbnails.set", "setting the thumbnail")

    def caption_languages(self, owner_id: str, video_id: str) -> set[str]:
        request = self.service(owner_id).captions().list(part="snippet", videoId=video_id)
        found = self._execute(request, "captions.list", "listing captions")
        return {str(item["snippet"]["language"]) for item in found.get("items", [])}

    def insert_caption(self, owner_id: str, video_id: str, language: str, name: str, path: Path) -> str:
        body = {"snippet": {"videoId": video_id, "language": language, "name": name, "isDraft": False}}
        request = (
            self.service(owner_id)
            .captions()
            .insert(
                part="snippet",
                body=body,
                media_body=MediaFileUpload(str(path), mimetype="application/octet-stream"),
            )
        )
        caption: dict[str, Any] = self._execute(request, "captions.insert", f"adding {language} captions")
        return str(caption["id"])

    # --- the video -------------------------------------------------------------------------------

    def upload_video(
        self,
        owner_id: str,
        path: Path,
        metadata: VideoMetadata,
        session: str | None,
        listener: UploadListener,
    ) -> Video:
        """Resumable upload in chunks; resumes `session` (sealed URI) from what the server holds."""
        media = MediaFileUpload(
            str(path), mimetype="video/mp4", chunksize=self.settings.chunk_size(), resumable=True
        )
        total = int(media.size())
        request = (
            self.service(owner_id)
            .videos()
            .insert(
                part="snippet,status", body=video_body(metadata), media_body=media, notifySubscribers=True
            )
        )
        known = None
        if session is not None:
            known = self.vault.open(session)
            held = self._server_holds(request.http, known, total)
            if isinstance(held, dict):
                return Video(held["id"], WATCH_URL + held["id"])
            if held is not None:
                request.resumable_uri, request.resumable_progress = known, held
                listener.resumed(held)
        if request.resumable_uri is None:
            try:
                self.quota.reserve(COSTS["videos.insert"])
            except QuotaExhausted as error:
                raise PublishFailure(str(error), retryable=True) from error
        failures = 0
        while True:
            try:
                status, response = request.next_chunk(num_retries=0)
            except HttpError as error:
                if error.resp.status in (404, 410) and request.resumable_uri is not None:
                    log.warning("upload session expired; starting a new one")
                    request.resumable_uri, request.resumable_progress = None, 0
                elif error.resp.status not in RETRYABLE_STATUS:
                    raise failure_of(error, "the video upload") from error
                failures = self._backoff(failures, f"HTTP {error.resp.status}")
                continue
            except TRANSPORT_ERRORS as error:
                failures = self._backoff(failures, f"{type(error).__name__}: {error}")
                continue
            finally:
                known = self._note_session(request, known, total, listener)
            failures = 0
            if response is not None:
                return Video(response["id"], WATCH_URL + response["id"])
            listener.progressed(int(status.resumable_progress), total)

    def _note_session(
        self, request: Any, known: str | None, total: int, listener: UploadListener
    ) -> str | None:
        """Record a new session URI at once, so a worker that takes over can resume it."""
        if request.resumable_uri is not None and request.resumable_uri != known:
            listener.started(self.vault.seal(request.resumable_uri), total)
            return str(request.resumable_uri)
        return known

    def _backoff(self, failures: int, what: str) -> int:
        failures += 1
        self.retries += 1
        if failures > self.settings.max_retries:
            raise PublishFailure(
                f"The upload kept failing ({what}) after {self.settings.max_retries} retries. Publish again "
                "later; it continues where it stopped.",
                retryable=True,
            )
        delay = min(self.settings.backoff_cap_seconds, self.settings.backoff_seconds * 2 ** (failures - 1))
        delay *= 0.5 + self.rand() / 2
        log.warning("upload chunk failed (%s); retry %d in %.2f s", what, failures, delay)
        self.sleep(delay)
        return failures

    def _server_holds(self, http: Any, uri: str, total: int) -> int | dict[str, Any] | None:
        """Ask the session how many bytes it has (`bytes */N`): a count, the finished video, or None if gone."""
        for failures in range(self.settings.max_retries + 1):
            try:
                resp, content = http.request(
                    uri, "PUT", body=b"", headers={"Content-Range": f"bytes */{total}", "Content-Length": "0"}
                )
            except TRANSPORT_ERRORS as error:
                self._backoff(failures, f"status query: {error}")
                continue
            if resp.status == 308:
                held = resp.get("range")
                return int(held.rsplit("-", 1)[1]) + 1 if held else 0
            if resp.status in (200, 201):
                video: dict[str, Any] = json.loads(content)
                return video
            if resp.status in (404, 410):
                return None
            if resp.status not in RETRYABLE_STATUS:
                raise PublishFailure(
                    f"YouTube answered {resp.status} to the upload's status query.", retryable=True
                )
            self._backoff(failures, f"status query: HTTP {resp.status}")
        return None
