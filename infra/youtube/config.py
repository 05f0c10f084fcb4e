"""YouTube settings (FILMSTUDIO_YOUTUBE_*): the OAuth client, Google's endpoints, upload tuning, quota."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SCOPES = [
    "https://www.googleapis.com/auth/youtube.upload",
    "https://www.googleapis.com/auth/youtube.readonly",
    "https://www.googleapis.com/auth/youtube.force-ssl",
]
"""Upload videos; read the channel; manage playlists, thumbnails and captions (force-ssl)."""


class YouTubeSettings(BaseSettings):
    """Read once by the composition root; the real Google endpoints are the defaults."""

    model_config = SettingsConfigDict(env_prefix="FILMSTUDIO_YOUTUBE_", env_file=".env", extra="ignore")

    client_id: str = Field("", description="OAuth client id of a 'Web application' client in Google Cloud")
    client_secret: str = ""
    redirect_uri: str = Field(
        "http://127.0.0.1:8000/api/youtube/oauth/callback",
        description="must be listed under the OAuth client's authorised redirect URIs",
    )
    return_url: str | None = Field(None, description="where the browser goes after connecting (the web app)")
    api_endpoint: str = "https://youtube.googleapis.com/"
    auth_uri: str = "https://accounts.google.com/o/oauth2/auth"
    token_uri: str = "https://oauth2.googleapis.com/token"
    ca_bundle: Path | None = Field(
        None, description="extra CA certificates to trust (a TLS-inspecting proxy)"
    )
    token_key: str | None = Field(
        None,
        description="Fernet key(s) for the token vault, comma-separated, newest first (rotation); "
        "derived from FILMSTUDIO_JWT_SECRET when unset",
    )
    chunk_bytes: int = Field(8 * 1024 * 1024, description="resumable chunk size; a multiple of 256 KiB")
    max_retries: int = Field(8, description="retries of one chunk (5xx or dropped connection) before failing")
    backoff_seconds: float = Field(1.0, description="first retry delay; doubles per retry, with jitter")
    backoff_cap_seconds: float = 60.0
    timeout_seconds: float = 120.0
    refresh_margin_seconds: float = Field(
        300.0, description="refresh an access token this long before it expires"
    )
    daily_quota: int = Field(10_000, description="the Google Cloud project's YouTube quota units per day")

    @property
    def configured(self) -> bool:
        return bool(self.client_id and self.client_secret)

    def vault_keys(self, jwt_secret: str) -> list[bytes]:
        """The Fernet keys: the configured ones, or one derived from the JWT secret (separate purpose)."""
        if self.token_key:
            return [k.strip().encode() for k in self.token_key.split(",") if k.strip()]
        digest = hashlib.sha256(b"filmstudio youtube token vault\0" + jwt_secret.encode()).digest()
        return [base64.urlsafe_b64encode(digest)]

    def chunk_size(self) -> int:
        """The chunk size rounded down to a multiple of 256 KiB, as YouTube requires (at least one block)."""
        block = 256 * 1024
        return max(block, self.chunk_bytes // block * block)
