"""A flagged film is held (not failed) before its first stage; approval releases it, rejection ends it
with the reviewer's note shown to the creator; the admin queue shows what was found."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from commands.errors import Conflict, Invalid
from infra.container import Studio, build_studio
from infra.settings import Settings
from schemas.commands import ApproveFilm, CancelFilm, RejectFilm, RequestFilm
from schemas.film import FilmSpec
from tests.gateway.conftest import User, create_project, generate_film, is_problem, wait_for_film
from tests.support.history import DAG, runner

FLAGGED = "INT. SHED - NIGHT\n\nHe wires a pipe bomb under the bench.\n\nThe lighthouse keeper wakes."


@pytest.fixture
def paused(tmp_path: Path) -> Iterator[Studio]:
    """A studio whose processors and projections run only when a test drives them."""
    s = build_studio(Settings(data_dir=tmp_path, environment="test"), runner=runner, pipeline=DAG)
    s.projector.setup()
    yield s
    s.stop()


def settle(studio: Studio) -> None:
    followers = studio.embedded_followers()
    while sum(f.run_once() for f in followers):
        pass
    studio.projector.run_until_idle()


def request(studio: Studio, script: str) -> UUID:
    command = RequestFilm(project_id=uuid4(), owner_id=uuid4(), spec=FilmSpec(script=script), stages=DAG)
    return studio.bus.handle(command).aggregate_id


def types(studio: Studio, film: UUID) -> list[str]:
    return [e.type for e in studio.store.load(film)]


def test_a_flagged_film_is_held_before_any_stage_and_a_clean_one_runs(paused: Studio) -> None:
    held, clean = request(paused, FLAGGED), request(paused, "A quiet morning at sea.")
    settle(paused)
    assert types(paused, held) == ["FilmRequested", "FilmHeldForReview"]
    assert types(paused, clean)[-1] == "FilmCompleted"
    event = paused.store.load(held)[-1].payload
    assert event["matches"] == ["pipe bomb"] and "wires a pipe bomb under the bench" in event["excerpt"]
    row = paused.views.query("SELECT status, percent, eta_seconds FROM films WHERE id = %s", (str(held),))[0]
    assert row == {"status": "held", "percent": 0.0, "eta_seconds": None}


def test_approval_releases_the_film_into_the_pipeline(paused: Studio) -> None:
    film = request(paused, FLAGGED)
    settle(paused)
    paused.bus.handle(ApproveFilm(film_id=film, note="a thriller, fine"), actor="admin-1")
    settle(paused)
    assert types(paused, film)[-1] == "FilmCompleted"
    assert types(paused, film).count("FilmHeldForReview") == 1  # approval is not screened again
    queue = paused.views.query("SELECT status, decided_by, note FROM moderation WHERE film_id = %s", (str(film),))
    assert queue == [{"status": "approved", "decided_by": "admin-1", "note": "a thriller, fine"}]


def test_rejection_ends_the_film_with_the_note_for_its_creator(paused: Studio) -> None:
    film = request(paused, FLAGGED)
    settle(paused)
    with pytest.raises(Invalid, match="note"):
        paused.bus.handle(RejectFilm(film_id=film, note="  "))
    paused.bus.handle(RejectFilm(film_id=film, note="instructions for a weapon"))
    settle(paused)
    assert types(paused, film)[-1] == "FilmRejected"
    assert not any(t.startswith("Stage") for t in types(paused, film))
    row = paused.views.query("SELECT status, error, finished_at FROM films WHERE id = %s", (str(film),))[0]
    assert row["status"] == "rejected" and row["error"] == "Rejected in review: instructions for a weapon"
    assert row["finished_at"] is not None
    with pytest.raises(Conflict, match="not held for review"):
        paused.bus.handle(ApproveFilm(film_id=film))


def test_a_held_film_can_be_cancelled_and_leaves_the_queue(paused: Studio) -> None:
    film = request(paused, FLAGGED)
    settle(paused)
    paused.bus.handle(CancelFilm(film_id=film, reason="changed my mind"))
    settle(paused)
    assert paused.bus.state_of("film", film)[0].status == "cancelled"
    assert paused.views.query("SELECT status FROM moderation WHERE film_id = %s", (str(film),)) == [
        {"status": "cancelled"}
    ]


def test_an_empty_term_folder_turns_the_check_off(tmp_path: Path) -> None:
    (tmp_path / "terms").mkdir()
    settings = Settings(data_dir=tmp_path, environment="test", moderation_dir=tmp_path / "terms")
    studio = build_studio(settings, runner=runner, pipeline=DAG)
    try:
        studio.projector.setup()
        film = request(studio, FLAGGED)
        settle(studio)
        assert types(studio, film)[-1] == "FilmCompleted"
    finally:
        studio.stop()


# --- over HTTP ----------------------------------------------------------------------------------------


def held_film(client: TestClient, user: User) -> str:
    project = create_project(client, user, script=FLAGGED)
    film = generate_film(client, user, str(project["id"]))
    return str(film["film_id"])


def test_the_creator_sees_held_then_the_rejection_note(
    client: TestClient, admin: User, new_user: Callable[[], User]
) -> None:
    user = new_user()
    film_id = held_film(client, user)
    film = wait_until_status(client, user, film_id, "held")
    assert film["eta_seconds"] is None
    queue = client.get("/api/admin/moderation", params={"limit": 200}, headers=admin.headers)
    assert queue.status_code == 200
    item = next(i for i in queue.json()["items"] if i["film_id"] == film_id)
    assert item["matches"] == ["pipe bomb"] and "pipe bomb under the bench" in item["excerpt"]
    assert item["owner_email"] == user.email and item["title"] == "The Lighthouse" and item["status"] == "held"
    decided = client.post(f"/api/admin/moderation/{film_id}", json={"decision": "reject", "note": "weapon how-to"},
                          headers=admin.headers)  # fmt: skip
    assert decided.status_code == 202, decided.text
    film = wait_for_film(client, user, film_id)
    assert film["status"] == "rejected" and film["error"] == "Rejected in review: weapon how-to"
    again = client.post(f"/api/admin/moderation/{film_id}", json={"decision": "approve"}, headers=admin.headers)
    is_problem(again, 409)
    after = client.get("/api/admin/moderation", params={"limit": 200}, headers={
        **admin.headers, "X-Min-Position": str(decided.json()["position"])}).json()  # fmt: skip
    assert film_id not in {i["film_id"] for i in after["items"]}


def test_an_approved_film_is_made(client: TestClient, admin: User, new_user: Callable[[], User]) -> None:
    user = new_user()
    film_id = held_film(client, user)
    wait_until_status(client, user, film_id, "held")
    decided = client.post(f"/api/admin/moderation/{film_id}", json={"decision": "approve"}, headers=admin.headers)
    assert decided.status_code == 202, decided.text
    assert wait_for_film(client, user, film_id, timeout=60)["status"] == "completed"


def test_only_administrators_review_and_rejections_need_a_note(
    client: TestClient, admin: User, new_user: Callable[[], User]
) -> None:
    user = new_user()
    film_id = held_film(client, user)
    wait_until_status(client, user, film_id, "held")
    is_problem(client.get("/api/admin/moderation", headers=user.headers), 403)
    is_problem(client.post(f"/api/admin/moderation/{film_id}", json={"decision": "approve"}, headers=user.headers), 403)
    is_problem(client.post(f"/api/admin/moderation/{film_id}", json={"decision": "reject"}, headers=admin.headers), 422)
    is_problem(client.post(f"/api/admin/moderation/{film_id}", json={"decision": "maybe"}, headers=admin.headers), 422)
    is_problem(client.post(f"/api/admin/moderation/{uuid4()}", json={"decision": "approve"}, headers=admin.headers), 404)


def wait_until_status(client: TestClient, user: User, film_id: str, status: str, timeout: float = 15.0) -> dict:  # type: ignore[type-arg]
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        film = client.get(f"/api/films/{film_id}", headers=user.headers)
        if film.status_code == 200 and film.json()["status"] == status:
            return dict(film.json())
        time.sleep(0.05)
    raise AssertionError(f"film {film_id} never reached {status}")
