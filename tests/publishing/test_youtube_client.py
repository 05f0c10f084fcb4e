"""The YouTube client's real library code path against the fake: OAuth, tokens, resumable chunks, faults."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from infra.container import Studio
from infra.youtube.wiring import YouTube
from processors.youtube_uploader import PublishFailure
from schemas.video_metadata import VideoMetadata
from tests.publishing.conftest import connected_account, random_file
from tests.support.fakes.youtube_server import FakeYouTube


class Listener:
    def __init__(self) -> None:
        self.sessions: list[str] = []
        self.progress: list[int] = []
        self.resumed_at: list[int] = []

    def started(self, session: str, total_bytes: int) -> None:
        self.sessions.append(session)

    def resumed(self, confirmed_bytes: int) -> None:
        self.resumed_at.append(confirmed_bytes)

    def progressed(self, bytes_sent: int, total_bytes: int) -> None:
        self.progress.append(bytes_sent)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_upload_survives_dropped_connections_and_5xx_and_keeps_every_byte(
    studio: Studio, youtube: YouTube, fake: FakeYouTube, tmp_path: Path
) -> None:
    account = connected_account(studio, youtube, fake)
    film = random_file(tmp_path / "film.mp4", 5 * 1024 * 1024 + 12345)
    fake.drop_connection_at(1024 * 1024, after_bytes=600_000)
    fake.fail_chunk_at(2 * 1024 * 1024, status=503)
    fake.drop_connection_at(3 * 1024 * 1024, after_bytes=100_000)
    listener = Listener()
    video = youtube.client.upload_video(
        str(account), film, VideoMetadata(title="The Lighthouse", privacy="unlisted"), None, listener
    )
    assert list(fake.videos) == [video.video_id]
    assert fake.video_bytes[video.video_id] == sha(film)
    assert fake.count("drops") == 2 and fake.count("injected 5xx") == 1
    assert youtube.client.retries == 3
    assert len(listener.sessions) == 1 and listener.progress == sorted(listener.progress)
    assert fake.videos[video.video_id]["status"]["privacyStatus"] == "unlisted"
    assert video.url.endswith(video.video_id)


def test_a_new_worker_resumes_a_session_from_the_bytes_the_server_holds(
    studio: Studio, youtube: YouTube, fake: FakeYouTube, tmp_path: Path
) -> None:
    account = connected_account(studio, youtube, fake)
    film = random_file(tmp_path / "film.mp4", 3 * 1024 * 1024)
    youtube.client.settings.max_retries = 0
    fake.drop_connection_at(2 * 1024 * 1024, after_bytes=0)
    first = Listener()
    with pytest.raises(PublishFailure) as failed:
        youtube.client.upload_video(str(account), film, VideoMetadata(title="T"), None, first)
    assert failed.value.retryable
    youtube.client.settings.max_retries = 3
    second = Listener()
    video = youtube.client.upload_video(
        str(account), film, VideoMetadata(title="T"), first.sessions[0], second
    )
    assert second.resumed_at == [2 * 1024 * 1024] and second.sessions == []
    assert fake.video_bytes[video.video_id] == sha(film) and len(fake.videos) == 1
    # A third worker, handed the finished session, gets the same video back rather than a second one.
    again = youtube.client.upload_video(
        str(account), film, VideoMetadata(title="T"), first.sessions[0], Listener()
    )
    assert again == video and len(fake.videos) == 1


def test_tokens_are_encrypted_at_rest_and_refreshed_before_they_expire(
    studio: Studio, youtube: YouTube, fake: FakeYouTube
) -> None:
    account = connected_account(studio, youtube, fake)
    row = studio.views.query("SELECT sealed FROM youtube_credentials WHERE account_id = %s", (str(account),))[
        0
    ]
    tokens = youtube.vault.load(str(account))
    assert (
        tokens is not None
        and tokens["refresh_token"] not in row["sealed"]
        and tokens["token"] not in row["sealed"]
    )
    assert fake.refreshes == 0
    youtube.client.settings.refresh_margin_seconds = fake.token_seconds + 60  # the token expires "soon"
    youtube.client.channels(str(account))
    assert fake.refreshes == 1
    refreshed = youtube.vault.load(str(account))
    assert refreshed is not None and refreshed["token"] != tokens["token"]
    assert refreshed["refresh_token"] == tokens["refresh_token"]


def test_a_call_that_would_exceed_the_daily_quota_is_refused_before_it_is_sent(
    studio: Studio, youtube: YouTube, fake: FakeYouTube, tmp_path: Path
) -> None:
    account = connected_account(studio, youtube, fake)
    youtube.quota.daily_limit = youtube.quota.used() + 1000
    calls = dict(fake.counts)
    with pytest.raises(PublishFailure, match="1,600 units and 1,000 are left"):
        youtube.client.upload_video(
            str(account), random_file(tmp_path / "f.mp4", 1000), VideoMetadata(title="T"), None, Listener()
        )
    assert fake.counts == calls and not fake.sessions
