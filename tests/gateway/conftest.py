"""A real embedded studio (SQLite in a temp dir, title-card pipeline with ffmpeg) behind the gateway."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from commands.account import account_id_for
from gateway.app import create_app
from infra.container import Studio, build_studio
from infra.settings import Settings

# Real argon2id, with light parameters so dozens of logins stay fast in tests.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
SCRIPT = "The lighthouse keeper wakes.\n\nA storm rolls in from the sea.\n\nMorning: the boats come home."


def make_studio(tmp_path: Path, *, workers: bool = True) -> Studio:
    studio = build_studio(
        Settings(data_dir=tmp_path, stage_set="titlecards", environment="test", retry_backoff_seconds=0.1)
    )
    if workers:
        studio.start_embedded()
    else:
        # Projections only: films stay running, so cancelling is deterministic.
        studio.projector.setup()
        studio.projector.start()
    return studio


def make_app(studio: Studio, **options: Any) -> FastAPI:
    return create_app(studio, password_hasher=FAST_HASHER, **options)


def stop(studio: Studio) -> None:
    """Stops the studio's threads together (each waits up to half a second for events), then closes it."""
    with ThreadPoolExecutor() as pool:
        list(pool.map(lambda stoppable: stoppable.stop(), [*studio.followers, studio.projector]))
    studio.stop()


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studio]:
    """One studio per test module; tests keep apart by using fresh accounts."""
    s = make_studio(tmp_path_factory.mktemp("studio"))
    yield s
    stop(s)


@pytest.fixture(scope="module")
def client(studio: Studio) -> Iterator[TestClient]:
    with TestClient(make_app(studio)) as c:
        yield c


@dataclass
class User:
    """A registered, logged-in account and the headers that authenticate as it."""

    id: uuid.UUID
    email: str
    password: str
    tokens: dict[str, Any]

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens['access_token']}"}


def register(client: TestClient, email: str, password: str = "correct horse") -> httpx.Response:
    return client.post(
        "/api/auth/register", json={"email": email, "password": password, "display_name": email.split("@")[0]}
    )


def sign_up(client: TestClient, email: str | None = None, password: str = "correct horse") -> User:
    email = email or f"{uuid.uuid4().hex[:8]}@example.com"
    assert register(client, email, password).status_code == 201
    login = client.post("/api/auth/login", json={"email": email, "password": password})
    assert login.status_code == 200, login.text
    return User(account_id_for(email), email, password, login.json())


@pytest.fixture
def new_user(client: TestClient) -> Callable[[], User]:
    return lambda: sign_up(client)


def create_project(client: TestClient, user: User, **fields: Any) -> dict[str, Any]:
    body = {"title": "The Lighthouse", "script": SCRIPT, **fields}
    response = client.post("/api/projects", json=body, headers=user.headers)
    assert response.status_code == 202, response.text
    return dict(response.json())


def wait_for_film(client: TestClient, user: User, film_id: str, timeout: float = 30.0) -> dict[str, Any]:
    """Polls the film until it has finished (held for review is not finished); returns its last state."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        film = client.get(f"/api/films/{film_id}", headers=user.headers)
        if film.status_code == 200 and film.json()["status"] not in ("queued", "running", "held"):
            return dict(film.json())
        time.sleep(0.1)
    raise AssertionError(f"film {film_id} did not finish in {timeout} s")


def generate_film(client: TestClient, user: User, project_id: str) -> dict[str, Any]:
    response = client.post(f"/api/projects/{project_id}/films", headers=user.headers)
    assert response.status_code == 202, response.text
    return dict(response.json())


def is_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """Asserts the response is an RFC 9457 problem with this status; returns its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = dict(response.json())
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    return body
