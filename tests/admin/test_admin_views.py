"""The admin read models (account status, moderation queue) equal their rebuild by replay, and the admin
queries run on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gateway.routes.admin import find_accounts, moderation_queue
from infra.container import Studio, build_studio
from infra.settings import Settings
from schemas.commands import (
    ApproveFilm,
    CreateProject,
    LogIn,
    RegisterAccount,
    ReinstateAccount,
    RejectFilm,
    RequestFilm,
    SuspendAccount,
)
from schemas.film import FilmSpec
from tests.support.history import DAG, runner


@pytest.fixture(params=["sqlite", "postgres"])
def studio(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Studio]:
    if request.param == "sqlite":
        settings = Settings(data_dir=tmp_path, environment="test")
    else:
        url = request.getfixturevalue("postgres_url")
        settings = Settings(data_dir=tmp_path, environment="test", event_store_url=url, views_url=url)
    s = build_studio(settings, runner=runner, pipeline=DAG)
    s.projector.setup()
    yield s
    s.stop()


def settle(studio: Studio) -> None:
    """Projections first each round: the suspension processor waits for them to reach its event."""
    followers = studio.embedded_followers()
    studio.projector.run_until_idle()
    while sum(f.run_once() for f in followers):
        studio.projector.run_until_idle()


def admin_history(studio: Studio) -> dict[str, Any]:
    bus = studio.bus
    ids = {
        name: bus.handle(RegisterAccount(email=f"{name}@example.com", display_name=name, password_hash="h")).aggregate_id
        for name in ("ana", "ben", "cy_d")
    }
    bus.handle(LogIn(account_id=ids["ana"], session_id="ana-1"))
    films = []
    for i, script in enumerate(["a pipe bomb", "a pipe bomb", "a calm sea"]):
        project = bus.handle(CreateProject(owner_id=ids["ben"], spec=FilmSpec(title=f"P{i}", script=script)))
        films.append(bus.handle(RequestFilm(project_id=project.aggregate_id, owner_id=ids["ben"],
                                            spec=FilmSpec(title=f"P{i}", script=script), stages=DAG)).aggregate_id)  # fmt: skip
    settle(studio)
    bus.handle(ApproveFilm(film_id=films[0], note="fiction"), actor="admin")
    bus.handle(SuspendAccount(account_id=ids["ana"], reason="spam"), actor="admin")
    bus.handle(SuspendAccount(account_id=ids["cy_d"], reason="abuse"), actor="admin")
    bus.handle(ReinstateAccount(account_id=ids["cy_d"], note="appeal"), actor="admin")
    settle(studio)
    return {"ids": ids, "films": films}


def snapshot(studio: Studio) -> dict[str, list[dict[str, Any]]]:
    tables = [t for p in studio.projector.projections.values() for t in p.tables]
    return {t: studio.views.query(f"SELECT * FROM {t} ORDER BY 1") for t in tables}


def test_admin_views_rebuilt_from_history_equal_the_live_ones(studio: Studio) -> None:
    admin_history(studio)
    live = snapshot(studio)
    assert len(live["account_status"]) == 2 and len(live["moderation"]) == 2
    for name in studio.projector.projections:
        studio.projector.rebuild(name)
    assert snapshot(studio) == live


def test_account_search_and_moderation_queue_on_each_database(studio: Studio) -> None:
    history = admin_history(studio)
    views = studio.views
    rows, total = find_accounts(views, "CY_", None, None, 10, 0)
    assert total == 1 and rows[0]["email"] == "cy_d@example.com" and rows[0]["status"] == "active"
    assert find_accounts(views, "y_", None, None, 10, 0)[1] == 1  # `_` is literal, not "any character"
    rows, total = find_accounts(views, None, "creator", "suspended", 10, 0)
    assert total == 1 and rows[0]["email"] == "ana@example.com" and rows[0]["status_reason"] == "spam"
    assert views.query("SELECT active FROM sessions WHERE session_id = 'ana-1'") == [{"active": 0}]
    held, _ = moderation_queue(views, "held", 10, 0)
    assert [r["film_id"] for r in held] == [str(history["films"][1])]
    assert held[0]["matches"] == ["pipe bomb"] and held[0]["owner_email"] == "ben@example.com"
    assert held[0]["title"] == "P1"
    approved, total = moderation_queue(views, "approved", 10, 0)
    assert total == 1 and approved[0]["note"] == "fiction" and approved[0]["decided_by"] == "admin"
    studio.bus.handle(RejectFilm(film_id=history["films"][1], note="no"))
    settle(studio)
    assert moderation_queue(views, "held", 10, 0) == ([], 0)
    statuses = {r["id"]: r["status"] for r in views.query("SELECT id, status FROM films")}
    assert [statuses[str(f)] for f in history["films"]] == ["completed", "rejected", "completed"]
    last = views.query("SELECT last_film_status FROM projects WHERE title = 'P1'")
    assert last == [{"last_film_status": "rejected"}]
