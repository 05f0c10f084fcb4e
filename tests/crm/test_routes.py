"""The notifications feed, preferences and Salesforce dead-letter routes over HTTP."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from infra.container import Studio, build_studio
from infra.settings import Settings
from processors.salesforce_mirror import MirrorStore
from schemas.commands import ChangeRole, CreateProject, RegisterAccount, RequestFilm
from schemas.film import FilmSpec
from tests.gateway.conftest import is_problem, make_app, sign_up
from tests.support.history import DAG, runner


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[Studio, TestClient]]:
    studio = build_studio(Settings(data_dir=tmp_path, environment="test"), runner=runner, pipeline=DAG)
    studio.start_embedded()
    with TestClient(make_app(studio)) as client:
        yield studio, client
    studio.stop()


def wait_for(predicate: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_feed_shows_film_news_in_the_chosen_language_and_read_marks_stick(
    live: tuple[Studio, TestClient],
) -> None:
    studio, client = live
    user = sign_up(client)
    put = client.put(
        "/api/me/preferences",
        json={"language": "es", "email": {"film_completed": False}},
        headers=user.headers,
    )
    assert put.status_code == 200, put.text
    headers = {**user.headers, "X-Min-Position": str(put.json()["position"])}
    assert client.get("/api/me/preferences", headers=headers).json() == {
        "language": "es",
        "email": {
            "film_completed": False,
            "film_failed": True,
            "credits_low": True,
            "upload_published": True,
            "payment_received": True,
        },
        "position": None,
    }
    spec = FilmSpec(script="fine", title="El Faro")
    project = studio.bus.handle(CreateProject(owner_id=user.id, spec=spec)).aggregate_id
    studio.bus.handle(RequestFilm(project_id=project, owner_id=user.id, spec=spec, stages=DAG))
    wait_for(lambda: client.get("/api/notifications", headers=user.headers).json()["items"])

    feed = client.get("/api/notifications", headers=user.headers).json()
    (item,) = feed["items"]
    assert (item["kind"], item["title"], item["read"], feed["unread"]) == (
        "film_completed",
        "Tu película «El Faro» está lista",
        False,
        1,
    )
    marked = client.post(f"/api/notifications/{item['id']}/read", headers=user.headers)
    assert marked.status_code == 202
    after = {**user.headers, "X-Min-Position": str(marked.json()["position"])}
    assert client.get("/api/notifications?unread=true", headers=after).json() == {
        "items": [],
        "unread": 0,
        "next_before": None,
    }
    other = sign_up(client)
    is_problem(client.post(f"/api/notifications/{item['id']}/read", headers=other.headers), 404)
    is_problem(client.put("/api/me/preferences", json={"language": "de"}, headers=user.headers), 422)


def test_admins_list_and_replay_salesforce_dead_letters(live: tuple[Studio, TestClient]) -> None:
    studio, client = live
    store = MirrorStore(studio.views)
    store.setup()
    event = studio.store.load(
        studio.bus.handle(
            RegisterAccount(email="x@example.com", display_name="X", password_hash="h")
        ).aggregate_id
    )[0]
    store.apply(event)
    (row,) = store.dirty(10)
    letter = store.park(
        row, store.body("Contact", row["external_id"]), "FIELD_CUSTOM_VALIDATION_EXCEPTION: no"
    )

    creator, admin = sign_up(client), sign_up(client)
    is_problem(client.get("/api/admin/salesforce/dead-letters", headers=creator.headers), 403)
    outcome = studio.bus.handle(ChangeRole(account_id=admin.id, role="admin"))
    headers = {**admin.headers, "X-Min-Position": str(outcome.position)}
    (listed,) = client.get("/api/admin/salesforce/dead-letters", headers=headers).json()
    assert (listed["id"], listed["sobject"], listed["body"]["LastName"]) == (letter, "Contact", "X")
    assert (
        client.post(f"/api/admin/salesforce/dead-letters/{letter}/replay", headers=headers).status_code == 202
    )
    assert client.get("/api/admin/salesforce/dead-letters", headers=headers).json() == []
    assert [r["external_id"] for r in store.dirty(10)] == [row["external_id"]]
    is_problem(client.post(f"/api/admin/salesforce/dead-letters/{letter}/replay", headers=headers), 404)
