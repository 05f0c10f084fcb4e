"""Another creator can never read or change my projects, films, audit trail or files: always 404."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from infra.container import Studio
from tests.gateway.conftest import User, create_project, generate_film, is_problem, sign_up, wait_for_film


@pytest.fixture(scope="module")
def owned(client: TestClient) -> dict[str, Any]:
    """A creator with a project and a completed film, and a second creator."""
    owner = sign_up(client)
    project_id = create_project(client, owner, title="Private")["id"]
    film = wait_for_film(client, owner, generate_film(client, owner, project_id)["film_id"])
    return {
        "owner": owner,
        "stranger": sign_up(client),
        "project": project_id,
        "film": film["id"],
        "artifact": film["downloads"][0]["key"],
    }


ROUTES = [
    ("GET", "/api/projects/{project}"),
    ("PATCH", "/api/projects/{project}"),
    ("DELETE", "/api/projects/{project}"),
    ("POST", "/api/projects/{project}/films"),
    ("GET", "/api/projects/{project}/films"),
    ("GET", "/api/projects/{project}/audit"),
    ("GET", "/api/films/{film}"),
    ("POST", "/api/films/{film}/cancel"),
    ("GET", "/api/films/{film}/events"),
    ("GET", "/api/artifacts/{artifact}"),
]


def call(client: TestClient, user: User, method: str, template: str, ids: dict[str, Any]) -> Any:
    body = {"title": "Mine now"} if method == "PATCH" else None
    return client.request(method, template.format(**ids), headers=user.headers, json=body)


@pytest.mark.parametrize(("method", "template"), ROUTES)
def test_a_stranger_gets_the_same_404_as_for_something_that_does_not_exist(
    client: TestClient, studio: Studio, owned: dict[str, Any], method: str, template: str
) -> None:
    before = studio.store.last_position()
    seen = is_problem(call(client, owned["stranger"], method, template, owned), 404)
    missing_ids = {"project": uuid.uuid4(), "film": uuid.uuid4(), "artifact": "ab" * 32 + ".mp4"}
    missing = is_problem(call(client, owned["stranger"], method, template, missing_ids), 404)
    # Nothing in the answer tells "someone else's" from "no such thing", and nothing was written.
    assert {k: v for k, v in seen.items() if k != "instance"} == {
        k: v for k, v in missing.items() if k != "instance"
    }
    assert studio.store.last_position() == before


def test_the_owner_still_sees_everything_the_stranger_could_not_touch(
    client: TestClient, owned: dict[str, Any]
) -> None:
    owner = owned["owner"]
    for method, template in ROUTES:
        if method == "GET":
            response = call(client, owner, method, template, owned)
            assert response.status_code == 200, (template, response.text)
    project = client.get(f"/api/projects/{owned['project']}", headers=owner.headers).json()
    assert project["title"] == "Private" and project["film_count"] == 1


def test_a_strangers_project_list_does_not_contain_mine(client: TestClient, owned: dict[str, Any]) -> None:
    listing = client.get("/api/projects", headers=owned["stranger"].headers).json()
    assert owned["project"] not in {p["id"] for p in listing["items"]}
