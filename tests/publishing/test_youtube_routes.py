"""The YouTube routes over a running embedded studio: connect through OAuth, suggest, publish, follow."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infra.container import Studio, build_studio
from infra.plan_catalogue import DEFAULT_PLANS_FILE
from infra.settings import Settings
from infra.youtube.wiring import youtube_of
from schemas.credits import ChangePlan
from tests.gateway.conftest import (
    User,
    create_project,
    generate_film,
    is_problem,
    make_app,
    sign_up,
    wait_for_film,
)
from tests.publishing.conftest import consent, youtube_settings
from tests.support.fakes.youtube_server import FakeYouTube


@pytest.fixture
def running(tmp_path: Path, fake: FakeYouTube) -> Iterator[tuple[Studio, TestClient]]:
    studio = build_studio(
        Settings(
            data_dir=tmp_path / "s",
            stage_set="titlecards",
            environment="test",
            retry_backoff_seconds=0.1,
            plans_file=DEFAULT_PLANS_FILE,  # the bundled plans: YouTube needs Standard or above
        )
    )
    youtube_of(studio, youtube_settings(fake))
    studio.start_embedded()
    with TestClient(make_app(studio)) as client:
        yield studio, client
    studio.stop()


def standard_user(studio: Studio, client: TestClient) -> User:
    user = sign_up(client)
    studio.bus.handle(ChangePlan(account_id=user.id, plan="standard"))
    return user


def connect(client: TestClient, fake: FakeYouTube, user: User) -> dict[str, Any]:
    start = client.get("/api/youtube/connect", headers=user.headers)
    assert start.status_code == 200, start.text
    code, state = consent(fake, start.json()["authorization_url"])
    done = client.get("/api/youtube/oauth/callback", params={"code": code, "state": state})
    assert done.status_code == 200, done.text
    return dict(done.json())


def wait_for_upload(client: TestClient, user: User, film_id: str, timeout: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = client.get("/api/youtube/uploads", params={"film_id": film_id}, headers=user.headers).json()
        if (
            found
            and found[0]["status"] in ("published", "failed")
            and found[0]["finishing"].get("playlist_id")
        ):
            return dict(found[0])
        time.sleep(0.1)
    raise AssertionError(f"upload of {film_id} did not finish: {found}")


def test_a_creator_connects_a_channel_and_publishes_a_film_with_edited_metadata(
    running: tuple[Studio, TestClient], fake: FakeYouTube
) -> None:
    studio, client = running
    user = standard_user(studio, client)
    assert connect(client, fake, user) == {"channel_id": fake.channel_id, "title": fake.channel_title}
    project = create_project(client, user, title="The Lighthouse")
    film = wait_for_film(client, user, generate_film(client, user, project["id"])["film_id"])
    assert film["status"] == "completed", film
    suggestion = client.get(f"/api/films/{film['id']}/publish/suggestion", headers=user.headers).json()
    assert suggestion["title"] == "The Lighthouse" and "lighthouse" in suggestion["description"].lower()
    assert suggestion["quota_left"] <= 10_000 and suggestion["quota_units"] >= 1600
    playlist = client.post("/api/youtube/playlists", json={"title": "Shorts"}, headers=user.headers)
    assert playlist.status_code == 201, playlist.text
    publish_at = "2099-01-01T09:00:00Z"
    body = {**suggestion, "title": "Keeper of the Light", "tags": ["lighthouse", "storm"], "privacy": "public",
            "publish_at": publish_at, "made_for_kids": True, "playlist_id": playlist.json()["id"]}  # fmt: skip
    accepted = client.post(f"/api/films/{film['id']}/publish", json=body, headers=user.headers)
    assert accepted.status_code == 202, accepted.text
    upload = wait_for_upload(client, user, film["id"])
    assert upload["status"] == "published", upload
    video = fake.videos[upload["video_id"]]
    assert video["snippet"]["title"] == "Keeper of the Light" and video["snippet"]["tags"] == [
        "lighthouse",
        "storm",
    ]
    assert video["status"] == {"privacyStatus": "private", "publishAt": "2099-01-01T09:00:00.000Z",
                               "selfDeclaredMadeForKids": True, "uploadStatus": "uploaded"}  # fmt: skip
    assert [i["snippet"]["resourceId"]["videoId"] for i in fake.playlist_items] == [upload["video_id"]]
    assert upload["percent"] == 100.0 and upload["url"].endswith(upload["video_id"])


def test_publishing_is_refused_clearly_without_the_plan_without_a_channel_and_past_the_quota(
    running: tuple[Studio, TestClient], fake: FakeYouTube
) -> None:
    studio, client = running
    free = sign_up(client)
    assert "Standard" in is_problem(client.get("/api/youtube/connect", headers=free.headers), 403)["detail"]
    user = standard_user(studio, client)
    project = create_project(client, user)
    film = wait_for_film(client, user, generate_film(client, user, project["id"])["film_id"])
    body = {"title": "T"}
    assert (
        "Connect one"
        in is_problem(client.post(f"/api/films/{film['id']}/publish", json=body, headers=user.headers), 409)[
            "detail"
        ]
    )
    connect(client, fake, user)
    youtube_of(studio).quota.daily_limit = youtube_of(studio).quota.used() + 100
    refused = is_problem(
        client.post(f"/api/films/{film['id']}/publish", json=body, headers=user.headers), 429
    )
    assert "1,600 units" in refused["detail"] and "midnight Pacific" in refused["detail"]
    unlisted = {"title": "T", "privacy": "unlisted", "publish_at": "2099-01-01T00:00:00Z"}
    assert (
        "schedules only public"
        in is_problem(
            client.post(f"/api/films/{film['id']}/publish", json=unlisted, headers=user.headers), 422
        )["detail"]
    )
    assert not fake.sessions and client.get("/api/youtube/uploads", headers=user.headers).json() == []
    other = standard_user(studio, client)
    is_problem(client.get(f"/api/films/{film['id']}/publish/suggestion", headers=other.headers), 404)
    assert uuid.UUID(film["id"])
