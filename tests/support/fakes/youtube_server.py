"""A local YouTube Data API v3 and Google OAuth server over TLS, for the official client libraries.

Speaks what google-api-python-client, google-auth and google-auth-oauthlib send: the OAuth 2.0
authorisation-code flow with PKCE and refresh tokens; channels, playlists, playlistItems, captions
(multipart) and thumbnails (media) calls; and videos.insert with the resumable protocol — a session
URI in `Location`, chunks PUT with `Content-Range`, `308 Resume Incomplete` with a `Range` header, status
queries with `Content-Range: bytes */N`. Faults are injected per chunk (a 5xx answer, or the connection
dropped part way through the body) and every call is charged against a daily quota as YouTube does.
TLS because the client library keeps the discovery document's https scheme for media uploads.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import socket
import ssl
import struct
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from tests.support.fakes.tls import self_signed_certificate

GRANULARITY = 256 * 1024
"""Every chunk but the last must be a multiple of 256 KiB, and a broken chunk is kept to this boundary."""
COSTS = {
    "list": 1,
    "playlists.insert": 50,
    "playlistItems.insert": 50,
    "videos.insert": 1600,
    "thumbnails.set": 50,
    "captions.insert": 400,
    "captions.list": 50,
}
"""Quota units per call, as in YouTube's quota calculator."""

Json = dict[str, Any]


@dataclass
class Fault:
    """What to do to the first chunk PUT that starts at or after `at_byte`."""

    at_byte: int
    kind: str  # "drop": close the connection (RST) after reading `after_bytes`; "status": answer `status`
    status: int = 503
    after_bytes: int = 300_000
    fired: bool = False


@dataclass
class Gate:
    """Holds the answer to the chunk that reaches `at_byte` (after storing it) until released."""

    at_byte: int
    reached: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)


@dataclass
class Session:
    """One resumable upload: the metadata sent when it opened and the bytes stored so far."""

    owner: str
    metadata: Json
    total: int
    content_type: str
    data: bytearray = field(default_factory=bytearray)
    video_id: str | None = None


class FakeYouTube:
    """The server and its state; tests read the state directly (videos, quota, counts)."""

    def __init__(
        self,
        folder: Path,
        *,
        client_id: str = "test-client.apps.googleusercontent.com",
        client_secret: str = "test-secret",
        channel: tuple[str, str] = ("UC0000fakechannel00000", "Lighthouse Films"),
        token_seconds: int = 3600,
        daily_quota: int = 10_000,
        read_timeout: float = 2.0,
    ) -> None:
        self.client_id, self.client_secret = client_id, client_secret
        self.channel_id, self.channel_title = channel
        self.token_seconds = token_seconds
        self.daily_quota = daily_quota
        self.read_timeout = read_timeout
        self.cert, self.key = self_signed_certificate(folder, "fake-youtube.local")
        self.lock = threading.RLock()
        self.codes: dict[str, Json] = {}
        self.access_tokens: dict[str, float] = {}
        self.refresh_tokens: set[str] = set()
        self.sessions: dict[str, Session] = {}
        self.videos: dict[str, Json] = {}
        self.video_bytes: dict[str, str] = {}
        """video id -> sha256 of the bytes received."""
        self.playlists: dict[str, Json] = {}
        self.playlist_items: list[Json] = []
        self.captions: dict[str, Json] = {}
        self.thumbnails: dict[str, int] = {}
        self.quota_used = 0
        self.faults: list[Fault] = []
        self.gates: list[Gate] = []
        self.counts: dict[str, int] = {}
        self.refreshes = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle --------------------------------------------------------------------------------

    def start(self) -> FakeYouTube:
        fake = self

        class Handler(_Handler):
            server_fake = fake

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
        server.handle_error = lambda request, client_address: None  # type: ignore[method-assign]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="fake-youtube", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        for gate in self.gates:
            gate.release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"https://127.0.0.1:{self._server.server_address[1]}/"

    # --- test controls ----------------------------------------------------------------------------

    def drop_connection_at(self, at_byte: int, after_bytes: int = 300_000) -> None:
        self.faults.append(Fault(at_byte, "drop", after_bytes=after_bytes))

    def fail_chunk_at(self, at_byte: int, status: int = 503) -> None:
        self.faults.append(Fault(at_byte, "status", status=status))

    def hold_chunk_at(self, at_byte: int) -> Gate:
        gate = Gate(at_byte)
        self.gates.append(gate)
        return gate

    def expire_tokens(self) -> None:
        with self.lock:
            self.access_tokens = dict.fromkeys(self.access_tokens, 0.0)

    def count(self, name: str) -> int:
        return self.counts.get(name, 0)

    # --- state changes (called by the handler under the lock) --------------------------------------

    def _bump(self, name: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1

    def _charge(self, call: str) -> ApiError | None:
        cost = COSTS.get(call, 1)
        if self.quota_used + cost > self.daily_quota:
            return ApiError(
                403,
                "quotaExceeded",
                "The request cannot be completed because you have exceeded your quota.",
                domain="youtube.quota",
            )
        self.quota_used += cost
        return None

    def _issue_tokens(self, with_refresh: bool, scope: str = "") -> Json:
        access = "ya29." + secrets.token_urlsafe(24)
        self.access_tokens[access] = time.time() + self.token_seconds
        body: Json = {
            "access_token": access,
            "expires_in": self.token_seconds,
            "token_type": "Bearer",
            "scope": scope or "https://www.googleapis.com/auth/youtube.upload",
        }
        if with_refresh:
            refresh = "1//" + secrets.token_urlsafe(24)
            self.refresh_tokens.add(refresh)
            body["refresh_token"] = refresh
        return body

    def _video(self, session: Session) -> Json:
        video_id = secrets.token_urlsafe(8)[:11]
        snippet = dict(session.metadata.get("snippet", {}))
        snippet["channelId"] = self.channel_id
        status = dict(session.metadata.get("status", {}))
        status["uploadStatus"] = "uploaded"
        video = {"kind": "youtube#video", "etag": secrets.token_hex(8), "id": video_id, "snippet": snippet,
                 "status": status}  # fmt: skip
        self.videos[video_id] = video
        self.video_bytes[video_id] = hashlib.sha256(session.data).hexdigest()
        session.video_id = video_id
        return video


class ApiError(Exception):
    """An error answered in Google's JSON error format."""

    def __init__(self, status: int, reason: str, message: str, domain: str = "youtube") -> None:
        super().__init__(message)
        self.status, self.reason, self.message, self.domain = status, reason, message, domain

    def body(self) -> Json:
        return {
            "error": {
                "code": self.status,
                "message": self.message,
                "errors": [{"message": self.message, "domain": self.domain, "reason": self.reason}],
            }
        }


CONTENT_RANGE = re.compile(r"bytes (?:(\d+)-(\d+)|\*)/(\d+|\*)")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_fake: FakeYouTube

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server_fake.read_timeout)

    # --- plumbing ---------------------------------------------------------------------------------

    @property
    def fake(self) -> FakeYouTube:
        return self.server_fake

    def _query(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: Json | None = None, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if body is not None:
            self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, error: ApiError) -> None:
        self.close_connection = True  # the request body may be unread: never reuse this connection
        headers = (
            {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'} if error.status == 401 else {}
        )
        self._send(error.status, error.body(), headers)

    def _authorised(self) -> None:
        auth = self.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ").strip()
        expires = self.fake.access_tokens.get(token)
        if not auth.startswith("Bearer ") or expires is None or expires < time.time():
            raise ApiError(401, "authError", "Request had invalid authentication credentials.", "global")

    def _drop(self) -> None:
        """Close with a TCP reset, as a broken network path does: no answer at all."""
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        finally:
            self.close_connection = True

    def _route(self, method: str) -> None:
        path = urlparse(self.path).path
        try:
            with self.fake.lock:
                self.fake._bump(f"{method} {path}")
            if path == "/o/oauth2/auth" and method == "GET":
                return self._authorize()
            if path == "/token" and method == "POST":
                return self._token()
            if path == "/upload/youtube/v3/videos":
                return self._videos_upload(method)
            self._authorised()
            handler = ROUTES.get((method, path))
            if handler is None:
                raise ApiError(404, "notFound", f"No fake for {method} {path}.")
            status, body = handler(self)
            self._send(status, body)
        except ApiError as error:
            self._error(error)

    def do_GET(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def do_PUT(self) -> None:
        self._route("PUT")

    # --- OAuth --------------------------------------------------------------------------------------

    def _authorize(self) -> None:
        q = self._query()
        if q.get("client_id") != self.fake.client_id:
            raise ApiError(400, "invalid_client", "The OAuth client was not found.")
        if q.get("response_type") != "code" or "redirect_uri" not in q:
            raise ApiError(400, "invalid_request", "response_type=code and redirect_uri are required.")
        code = "4/" + secrets.token_urlsafe(16)
        with self.fake.lock:
            self.fake.codes[code] = {
                "redirect_uri": q["redirect_uri"],
                "challenge": q.get("code_challenge"),
                "scope": q.get("scope", ""),
                "offline": q.get("access_type") == "offline",
            }
        target = (
            q["redirect_uri"]
            + "?"
            + urlencode({"code": code, "state": q.get("state", ""), "scope": q.get("scope", "")})
        )
        self._send(302, None, {"Location": target})

    def _client_ok(self, form: dict[str, str]) -> bool:
        client_id, secret = form.get("client_id"), form.get("client_secret")
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        return client_id == self.fake.client_id and secret == self.fake.client_secret

    def _token(self) -> None:
        form = {k: v[0] for k, v in parse_qs(self._body().decode()).items()}
        if not self._client_ok(form):
            return self._send(401, {"error": "invalid_client", "error_description": "Unauthorized"})
        with self.fake.lock:
            if form.get("grant_type") == "authorization_code":
                grant = self.fake.codes.pop(form.get("code", ""), None)
                if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
                    return self._send(400, {"error": "invalid_grant", "error_description": "Bad Request"})
                if grant["challenge"]:
                    verifier = form.get("code_verifier", "").encode()
                    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=").decode()
                    if digest != grant["challenge"]:
                        return self._send(
                            400, {"error": "invalid_grant", "error_description": "Invalid code verifier."}
                        )
                return self._send(200, self.fake._issue_tokens(grant["offline"], grant["scope"]))
            if form.get("grant_type") == "refresh_token":
                if form.get("refresh_token") not in self.fake.refresh_tokens:
                    return self._send(
                        400,
                        {"error": "invalid_grant", "error_description": "Token has been expired or revoked."},
                    )
                self.fake.refreshes += 1
                return self._send(200, self.fake._issue_tokens(with_refresh=False))
        self._send(400, {"error": "unsupported_grant_type"})

    # --- resumable video upload ---------------------------------------------------------------------

    def _videos_upload(self, method: str) -> None:
        q = self._query()
        if method == "POST":
            self._authorised()
            if q.get("uploadType") != "resumable":
                raise ApiError(400, "badRequest", "This fake takes videos only with uploadType=resumable.")
            metadata = json.loads(self._body() or b"{}")
            size = int(self.headers.get("X-Upload-Content-Length") or -1)
            if not metadata.get("snippet", {}).get("title"):
                raise ApiError(
                    400, "invalidTitle", "The request metadata specifies an invalid or empty video title."
                )
            with self.fake.lock:
                error = self.fake._charge("videos.insert")
                if error:
                    raise error
                upload_id = secrets.token_urlsafe(18)
                self.fake.sessions[upload_id] = Session(
                    "me", metadata, size, self.headers.get("X-Upload-Content-Type", "video/*")
                )
            location = f"{self.fake.url}upload/youtube/v3/videos?uploadType=resumable&upload_id={upload_id}"
            return self._send(200, None, {"Location": location, "X-GUploader-UploadID": upload_id})
        if method != "PUT":
            raise ApiError(405, "methodNotAllowed", "Use POST to open a session and PUT to send bytes.")
        session = self.fake.sessions.get(q.get("upload_id", ""))
        if session is None:
            raise ApiError(404, "notFound", "The upload session does not exist or has expired.")
        match = CONTENT_RANGE.fullmatch(self.headers.get("Content-Range", ""))
        if match is None:
            raise ApiError(400, "badContent", "Content-Range is missing or malformed.")
        if match.group(1) is None:  # status query: bytes */N
            self._body()
            return self._state(session)
        start, end = int(match.group(1)), int(match.group(2))
        total: int | None = int(match.group(3)) if match.group(3) != "*" else None
        if session.video_id is not None:
            self._body()
            return self._send(200, self.fake.videos[session.video_id])
        length = end - start + 1
        fault = self._fault(start)
        if fault is not None and fault.kind == "drop":
            got = self.rfile.read(min(fault.after_bytes, length))
            with self.fake.lock:
                self._keep(session, start, got, partial=True)
                self.fake._bump("drops")
            return self._drop()
        body = self.rfile.read(length)
        if len(body) < length:  # the client went away mid-chunk
            with self.fake.lock:
                self._keep(session, start, body, partial=True)
            return self._drop()
        if fault is not None:
            self.fake._bump("injected 5xx")
            raise ApiError(fault.status, "backendError", "Backend Error")
        last = total is not None and end + 1 == total
        if not last and length % GRANULARITY:
            raise ApiError(400, "badRequest", "Chunks other than the last must be a multiple of 256 KiB.")
        with self.fake.lock:
            if start > len(session.data):
                raise ApiError(400, "badRequest", f"Bytes {len(session.data)}-{start - 1} are missing.")
            self._keep(session, start, body, partial=False)
            self.fake._bump("chunks")
            if total is not None and len(session.data) == total:
                video = self.fake._video(session)
                return self._send(200, video)
        for gate in self.fake.gates:
            if not gate.reached.is_set() and len(session.data) >= gate.at_byte:
                gate.reached.set()
                gate.release.wait(60)
        self._state(session)

    def _fault(self, start: int) -> Fault | None:
        with self.fake.lock:
            for fault in self.fake.faults:
                if not fault.fired and start >= fault.at_byte:
                    fault.fired = True
                    return fault
        return None

    def _keep(self, session: Session, start: int, data: bytes, partial: bool) -> None:
        """Store bytes beyond what the session has; of a broken chunk only whole 256 KiB blocks."""
        if partial:
            data = data[: len(data) // GRANULARITY * GRANULARITY]
        overlap = len(session.data) - start
        if overlap < len(data):
            session.data.extend(data[max(0, overlap) :])

    def _state(self, session: Session) -> None:
        if session.video_id is not None:
            return self._send(200, self.fake.videos[session.video_id])
        headers = {"Range": f"bytes=0-{len(session.data) - 1}"} if session.data else {}
        self.fake._bump("308")
        self._send(308, None, headers)

    # --- simple media and multipart uploads ---------------------------------------------------------

    def media_upload(self) -> tuple[bytes, Json]:
        """The bytes of an uploadType=media or multipart request, and the metadata part (if any)."""
        kind = self._query().get("uploadType")
        body = self._body()
        if kind == "media":
            return body, {}
        if kind == "multipart":
            message: Message = message_from_bytes(
                b"Content-Type: " + self.headers["Content-Type"].encode() + b"\r\n\r\n" + body
            )
            parts: list[Any] = list(message.get_payload())
            assert len(parts) == 2, "multipart/related needs metadata and media"
            meta = json.loads(parts[0].get_payload(decode=True))
            return bytes(parts[1].get_payload(decode=True)), meta
        raise ApiError(400, "badRequest", f"uploadType {kind!r} is not supported here.")


# --- JSON API routes ---------------------------------------------------------------------------------


def _charged(handler: _Handler, call: str) -> None:
    with handler.fake.lock:
        error = handler.fake._charge(call)
    if error:
        raise error


def _channels(h: _Handler) -> tuple[int, Json]:
    _charged(h, "list")
    if h._query().get("mine") != "true":
        raise ApiError(400, "missingParameter", "This fake lists only mine=true.")
    item = {"kind": "youtube#channel", "id": h.fake.channel_id, "snippet": {"title": h.fake.channel_title}}
    return 200, {"kind": "youtube#channelListResponse", "items": [item], "pageInfo": {"totalResults": 1}}


def _playlists_list(h: _Handler) -> tuple[int, Json]:
    _charged(h, "list")
    items = list(h.fake.playlists.values())
    return 200, {
        "kind": "youtube#playlistListResponse",
        "items": items,
        "pageInfo": {"totalResults": len(items)},
    }


def _playlists_insert(h: _Handler) -> tuple[int, Json]:
    body = json.loads(h._body() or b"{}")
    if not body.get("snippet", {}).get("title"):
        raise ApiError(400, "playlistTitleRequired", "The request must specify a playlist title.")
    _charged(h, "playlists.insert")
    playlist = {"kind": "youtube#playlist", "id": "PL" + secrets.token_urlsafe(16), **body}
    with h.fake.lock:
        h.fake.playlists[playlist["id"]] = playlist
    return 200, playlist


def _playlist_items_list(h: _Handler) -> tuple[int, Json]:
    _charged(h, "list")
    q = h._query()
    items = [
        i for i in h.fake.playlist_items
        if i["snippet"]["playlistId"] == q.get("playlistId")
        and (not q.get("videoId") or i["snippet"]["resourceId"]["videoId"] == q["videoId"])
    ]  # fmt: skip
    return 200, {"kind": "youtube#playlistItemListResponse", "items": items}


def _playlist_items_insert(h: _Handler) -> tuple[int, Json]:
    body = json.loads(h._body() or b"{}")
    snippet = body.get("snippet", {})
    if snippet.get("playlistId") not in h.fake.playlists:
        raise ApiError(
            404, "playlistNotFound", "The playlist identified with the request's playlistId cannot be found."
        )
    if snippet.get("resourceId", {}).get("videoId") not in h.fake.videos:
        raise ApiError(
            404, "videoNotFound", "The video identified with the request's videoId cannot be found."
        )
    _charged(h, "playlistItems.insert")
    item = {"kind": "youtube#playlistItem", "id": secrets.token_urlsafe(12), "snippet": snippet}
    with h.fake.lock:
        h.fake.playlist_items.append(item)
    return 200, item


def _thumbnails_set(h: _Handler) -> tuple[int, Json]:
    video_id = h._query().get("videoId", "")
    data, _ = h.media_upload()
    if video_id not in h.fake.videos:
        raise ApiError(404, "videoNotFound", "The video that you are trying to update cannot be found.")
    if not data.startswith((b"\x89PNG", b"\xff\xd8")):
        raise ApiError(400, "invalidImage", "The provided image content is invalid.")
    _charged(h, "thumbnails.set")
    with h.fake.lock:
        h.fake.thumbnails[video_id] = len(data)
    url = f"{h.fake.url}vi/{video_id}/default.jpg"
    return 200, {"kind": "youtube#thumbnailSetResponse", "items": [{"default": {"url": url}}]}


def _captions_insert(h: _Handler) -> tuple[int, Json]:
    data, meta = h.media_upload()
    snippet = meta.get("snippet", {})
    if snippet.get("videoId") not in h.fake.videos:
        raise ApiError(
            404, "videoNotFound", "The video identified by the videoId parameter could not be found."
        )
    if not snippet.get("language"):
        raise ApiError(
            400, "invalidMetadata", "The request metadata is invalid: snippet.language is required."
        )
    if not data.strip():
        raise ApiError(400, "contentRequired", "The request does not contain the caption track contents.")
    _charged(h, "captions.insert")
    caption = {
        "kind": "youtube#caption",
        "id": secrets.token_urlsafe(12),
        "snippet": snippet,
        "bytes": len(data),
    }
    with h.fake.lock:
        h.fake.captions[caption["id"]] = caption
    return 200, caption


def _captions_list(h: _Handler) -> tuple[int, Json]:
    _charged(h, "captions.list")
    video_id = h._query().get("videoId")
    items = [c for c in h.fake.captions.values() if c["snippet"]["videoId"] == video_id]
    return 200, {"kind": "youtube#captionListResponse", "items": items}


ROUTES = {
    ("GET", "/youtube/v3/channels"): _channels,
    ("GET", "/youtube/v3/playlists"): _playlists_list,
    ("POST", "/youtube/v3/playlists"): _playlists_insert,
    ("GET", "/youtube/v3/playlistItems"): _playlist_items_list,
    ("POST", "/youtube/v3/playlistItems"): _playlist_items_insert,
    ("POST", "/upload/youtube/v3/thumbnails/set"): _thumbnails_set,
    ("POST", "/upload/youtube/v3/captions"): _captions_insert,
    ("GET", "/youtube/v3/captions"): _captions_list,
}
