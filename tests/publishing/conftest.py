"""A fake YouTube over TLS, and a studio whose YouTube settings point at it."""

from __future__ import annotations

import os
import ssl
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from commands.account import account_id_for
from infra.container import Studio, build_studio
from infra.settings import Settings
from infra.youtube.config import YouTubeSettings
from infra.youtube.wiring import YouTube, youtube_of
from schemas.commands import RegisterAccount
from schemas.publishing import ConnectYouTube
from tests.support.fakes.youtube_server import FakeYouTube


@pytest.fixture
def fake(tmp_path: Path) -> Iterator[FakeYouTube]:
    server = FakeYouTube(tmp_path).start()
    yield server
    server.stop()


def youtube_env(fake: FakeYouTube, **extra: str) -> dict[str, str]:
    """FILMSTUDIO_YOUTUBE_* for a process that talks to the fake (chunks of 1 MiB, fast backoff)."""
    return {
        "FILMSTUDIO_YOUTUBE_CLIENT_ID": fake.client_id,
        "FILMSTUDIO_YOUTUBE_CLIENT_SECRET": fake.client_secret,
        "FILMSTUDIO_YOUTUBE_API_ENDPOINT": fake.url,
        "FILMSTUDIO_YOUTUBE_AUTH_URI": fake.url + "o/oauth2/auth",
        "FILMSTUDIO_YOUTUBE_TOKEN_URI": fake.url + "token",
        "FILMSTUDIO_YOUTUBE_CA_BUNDLE": str(fake.cert),
        "FILMSTUDIO_YOUTUBE_REDIRECT_URI": "http://testserver/api/youtube/oauth/callback",
        "FILMSTUDIO_YOUTUBE_CHUNK_BYTES": str(1024 * 1024),
        "FILMSTUDIO_YOUTUBE_BACKOFF_SECONDS": "0.05",
        "FILMSTUDIO_YOUTUBE_TIMEOUT_SECONDS": "10",
        **extra,
    }


def youtube_settings(fake: FakeYouTube, **overrides: Any) -> YouTubeSettings:
    env = {k.removeprefix("FILMSTUDIO_YOUTUBE_").lower(): v for k, v in youtube_env(fake).items()}
    return YouTubeSettings(**{**env, **overrides})


@pytest.fixture
def studio(tmp_path: Path) -> Iterator[Studio]:
    s = build_studio(Settings(data_dir=tmp_path / "studio", stage_set="titlecards", environment="test"))
    s.projector.setup()
    yield s
    s.stop()


@pytest.fixture
def youtube(studio: Studio, fake: FakeYouTube) -> YouTube:
    return youtube_of(studio, youtube_settings(fake))


def consent(fake: FakeYouTube, authorization_url: str) -> tuple[str, str]:
    """Plays the browser at Google's consent page: returns (code, state) from the redirect."""
    response = httpx.get(
        authorization_url, verify=ssl.create_default_context(cafile=str(fake.cert)), follow_redirects=False
    )
    assert response.status_code == 302, response.text
    query = parse_qs(urlparse(response.headers["location"]).query)
    return query["code"][0], query["state"][0]


def connected_account(studio: Studio, youtube: YouTube, fake: FakeYouTube) -> uuid.UUID:
    """A new studio account with the fake's channel connected through the real OAuth round trip."""
    email = f"{uuid.uuid4().hex[:8]}@example.com"
    studio.bus.handle(RegisterAccount(email=email, display_name="Meera", password_hash="h"))
    account = account_id_for(email)
    code, state = consent(fake, youtube.connect.authorization_url(account))
    grant = youtube.connect.exchange(code, state)
    youtube.client.store_grant(str(grant.account_id), grant.tokens)
    channel = youtube.client.channels(str(account))[0]
    studio.bus.handle(
        ConnectYouTube(account_id=account, channel_id=channel["id"], title=channel["snippet"]["title"])
    )
    return account


def random_file(path: Path, size: int) -> Path:
    with path.open("wb") as fh:
        fh.write(os.urandom(size))
    return path
