"""Films over HTTP: generate, live progress over SSE, status, download, cancel, admin listing."""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from infra.container import Studio
from schemas.commands import ChangeRole
from tests.gateway.conftest import (
    create_project,
    generate_film,
    is_problem,
    make_app,
    make_studio,
    sign_up,
    stop,
    wait_for_film,
)


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """The app on a real uvicorn server on a free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(5)


def read_events(lines: Iterator[str]) -> Iterator[tuple[str, dict[str, Any], float]]:
    """(event name, data, arrival time) of each SSE event."""
    name, data = "message", []
    for line in lines:
        if line.startswith("event: "):
            name = line.removeprefix("event: ")
        elif line.startswith("data: "):
            data.append(line.removeprefix("data: "))
        elif line == "" and data:
            yield name, json.loads("\n".join(data)), time.monotonic()
            name, data = "message", []


@pytest.fixture
def paused_studio(tmp_path: Path) -> Iterator[Studio]:
    """A studio whose stage workers have not started: its films stay running until a test starts them."""
    s = make_studio(tmp_path, workers=False)
    yield s
    stop(s)


@pytest.fixture(scope="module")
def paused_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    s = make_studio(tmp_path_factory.mktemp("paused"), workers=False)
    with TestClient(make_app(s)) as c:
        yield c
    stop(s)


def test_progress_stream_sends_live_changes_and_ends_with_completed(paused_studio: Studio) -> None:
    app = make_app(paused_studio)
    with serving(app) as base, httpx.Client(base_url=base, timeout=30) as http:
        user = sign_up(http)  # type: ignore[arg-type]
        project = create_project(http, user)  # type: ignore[arg-type]
        film = generate_film(http, user, project["id"])  # type: ignore[arg-type]
        url = f"/api/films/{film['film_id']}/events?min_position={film['position']}"
        events: list[tuple[str, dict[str, Any], float]] = []
        with http.stream("GET", url, headers=user.headers) as stream:
            assert stream.status_code == 200
            assert stream.headers["content-type"].startswith("text/event-stream")
            for event in read_events(stream.iter_lines()):
                events.append(event)
                if len(events) == 1:
                    # The first change arrived while the film was still waiting: now let the workers run.
                    started = time.monotonic()
                    paused_studio.followers = [f.start() for f in paused_studio.embedded_followers()]
        films = [data for name, data, _ in events if name == "film"]
        # A film waits as "queued" until the credit saga requests it (the workers are paused here).
        assert films[0]["status"] in ("queued", "running") and films[0]["percent"] < 100
        assert len(films) >= 2
        percents = [f["percent"] for f in films]
        assert percents == sorted(percents)
        assert films[-1]["status"] == "completed" and films[-1]["percent"] == 100.0
        assert films[-1]["downloads"][0]["key"].endswith(".mp4")
        assert events[-1][0] == "end" and events[-1][1] == {"status": "completed"}
        assert events[-1][2] - started < 20


def test_finished_film_stream_sends_its_state_once_and_closes(client: TestClient) -> None:
    user = sign_up(client)
    film_id = generate_film(client, user, create_project(client, user)["id"])["film_id"]
    wait_for_film(client, user, film_id)
    body = client.get(f"/api/films/{film_id}/events", headers=user.headers).text
    names = [line.removeprefix("event: ") for line in body.splitlines() if line.startswith("event: ")]
    assert names == ["film", "end"]


def test_completed_film_reports_its_stages_and_its_mp4_downloads(client: TestClient, tmp_path: Path) -> None:
    user = sign_up(client)
    project_id = create_project(client, user)["id"]
    film = wait_for_film(client, user, generate_film(client, user, project_id)["film_id"])
    assert film["status"] == "completed" and film["percent"] == 100.0 and film["eta_seconds"] == 0.0
    assert film["error"] is None and film["finished_at"] is not None
    assert set(film["stages"]) == {"cards", "titlecards"}
    assert all(s["status"] == "completed" for s in film["stages"].values())
    assert film["outputs"]["cards"]["cards"][0] == "The lighthouse keeper wakes."
    [download] = film["downloads"]
    assert download["stage"] == "titlecards" and download["name"] == "video"
    video = client.get(download["url"], headers=user.headers)
    assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
    assert video.content[4:8] == b"ftyp"
    saved = tmp_path / "film.mp4"
    saved.write_bytes(video.content)
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(saved)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert abs(float(probe.stdout) - 6.0) < 0.3  # three title cards of two seconds
    part = client.get(download["url"], headers={**user.headers, "Range": "bytes=0-99"})
    assert part.status_code == 206 and part.content == video.content[:100]


def test_a_films_links_open_its_video_and_stream_without_headers_until_logout(client: TestClient) -> None:
    user = sign_up(client)
    film = wait_for_film(
        client, user, generate_film(client, user, create_project(client, user)["id"])["film_id"]
    )
    video_url = film["downloads"][0]["url"]
    assert video_url.startswith(f"/api/artifacts/{film['downloads'][0]['key']}?token=")
    video = client.get(video_url)  # as a <video src> would: no Authorization header
    assert video.status_code == 200 and video.content[4:8] == b"ftyp"
    stream = client.get(film["events_url"])  # as an EventSource would
    assert stream.status_code == 200 and "event: end" in stream.text
    # A link opens only its own path, and nothing without it.
    token = video_url.split("token=")[1]
    other = f"/api/artifacts/{'cd' * 32}.mp4?token={token}"
    assert "another address" in is_problem(client.get(other), 401)["detail"]
    is_problem(client.get(video_url.split("?")[0]), 401)
    # Links belong to the session: logging out closes them too.
    assert client.post("/api/auth/logout", headers=user.headers).status_code == 204
    is_problem(client.get(video_url), 401)


def test_film_generated_right_after_an_edit_uses_the_edit(client: TestClient) -> None:
    user = sign_up(client)
    project_id = create_project(client, user)["id"]
    client.patch(f"/api/projects/{project_id}", json={"script": "Only card."}, headers=user.headers)
    film = wait_for_film(client, user, generate_film(client, user, project_id)["film_id"])
    assert film["outputs"]["cards"]["cards"] == ["Only card."]


def test_projects_films_are_listed_and_counted(client: TestClient) -> None:
    user = sign_up(client)
    project_id = create_project(client, user)["id"]
    first = generate_film(client, user, project_id)
    second = generate_film(client, user, project_id)
    at = {"X-Min-Position": str(second["position"])}
    films = client.get(f"/api/projects/{project_id}/films", headers={**user.headers, **at}).json()
    assert [f["id"] for f in films] == [second["film_id"], first["film_id"]]
    project = client.get(f"/api/projects/{project_id}", headers=user.headers).json()
    assert project["film_count"] == 2 and project["last_film_id"] == second["film_id"]


def test_generating_a_film_of_an_unknown_project_is_404(client: TestClient) -> None:
    user = sign_up(client)
    problem = is_problem(
        client.post(f"/api/projects/{'0' * 8}-0000-4000-8000-{'0' * 12}/films", headers=user.headers), 404
    )
    assert "No such project" in problem["detail"]


def test_generating_twice_with_one_idempotency_key_starts_one_film(paused_client: TestClient) -> None:
    client = paused_client
    user = sign_up(client)
    project_id = create_project(client, user)["id"]
    key = {**user.headers, "Idempotency-Key": "5b0c7c9e-2f7d-4b8e-9a51-0f3c2d1e4a77"}
    first = client.post(f"/api/projects/{project_id}/films", headers=key).json()
    again = client.post(f"/api/projects/{project_id}/films", headers=key).json()
    assert again["film_id"] == first["film_id"] and again["duplicate"] is True
    at = {"X-Min-Position": str(again["position"])}
    assert client.get(f"/api/projects/{project_id}", headers={**user.headers, **at}).json()["film_count"] == 1


def test_cancelled_film_stops_and_cannot_be_cancelled_twice(paused_client: TestClient) -> None:
    client = paused_client
    user = sign_up(client)
    project_id = create_project(client, user)["id"]
    film_id = generate_film(client, user, project_id)["film_id"]
    cancelled = client.post(f"/api/films/{film_id}/cancel", headers=user.headers)
    assert cancelled.status_code == 202 and cancelled.json()["id"] == film_id
    at = {"X-Min-Position": str(cancelled.json()["position"])}
    film = client.get(f"/api/films/{film_id}", headers={**user.headers, **at}).json()
    assert film["status"] == "cancelled" and film["error"] == "cancelled by the creator"
    assert film["eta_seconds"] is None
    again = is_problem(client.post(f"/api/films/{film_id}/cancel", headers=user.headers), 409)
    assert "already cancelled" in again["detail"]
    trail = client.get(f"/api/projects/{project_id}/audit", headers=user.headers).json()["items"]
    assert [i["type"] for i in trail][-1] == "FilmCancelled"


def test_admin_lists_every_creators_films_and_can_cancel_them(paused_client: TestClient) -> None:
    client = paused_client
    creator, admin = sign_up(client), sign_up(client)
    film = generate_film(client, creator, create_project(client, creator)["id"])
    studio: Studio = client.app.state.gateway.studio  # type: ignore[attr-defined]
    studio.bus.handle(ChangeRole(account_id=admin.id, role="admin"))
    at = {"X-Min-Position": str(studio.store.last_position())}
    running = client.get("/api/admin/films?status=running", headers={**admin.headers, **at}).json()
    mine = [f for f in running if f["id"] == film["film_id"]]
    assert mine and mine[0]["owner_id"] == str(creator.id)
    cancel = client.post(f"/api/admin/films/{film['film_id']}/cancel", headers=admin.headers)
    assert cancel.status_code == 202
    after = {"X-Min-Position": str(cancel.json()["position"])}
    seen = client.get(f"/api/films/{film['film_id']}", headers={**creator.headers, **after}).json()
    assert seen["status"] == "cancelled" and "administrator" in seen["error"]
