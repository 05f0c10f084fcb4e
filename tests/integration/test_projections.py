"""Read models: live and rebuilt-by-replay views are identical, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.container import build_studio
from infra.settings import Settings
from schemas.commands import RegisterAccount
from tests.support.history import DAG, make_history, runner


@pytest.fixture(params=["sqlite", "postgres"])
def studio(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        settings = Settings(data_dir=tmp_path)
    else:
        url = request.getfixturevalue("postgres_url")
        settings = Settings(data_dir=tmp_path, event_store_url=url, views_url=url)
    s = build_studio(settings, runner=runner, pipeline=DAG)
    s.projector.setup()
    yield s
    s.stop()


def snapshot(studio) -> dict[str, list[dict]]:  # type: ignore[no-untyped-def]
    tables = [t for p in studio.projector.projections.values() for t in p.tables]
    return {t: studio.views.query(f"SELECT * FROM {t} ORDER BY 1") for t in tables}


def test_every_projection_rebuilt_from_history_equals_the_live_one(studio) -> None:  # type: ignore[no-untyped-def]
    make_history(studio)
    live = snapshot(studio)
    assert len(live["projects"]) == 3 and len(live["films"]) == 3
    for name in studio.projector.projections:
        studio.projector.rebuild(name)
    assert snapshot(studio) == live


def test_film_view_shows_status_stage_percent_and_reason(studio) -> None:  # type: ignore[no-untyped-def]
    make_history(studio)
    films = {r["status"]: r for r in studio.views.query("SELECT * FROM films")}
    assert set(films) == {"completed", "failed"}
    assert films["completed"]["percent"] == 100.0 and films["completed"]["eta_seconds"] == 0.0
    failed = [r for r in studio.views.query("SELECT * FROM films WHERE status = 'failed'")]
    assert len(failed) == 1
    assert failed[0]["current_stage"] == "voices"
    assert "no voice for that language" in failed[0]["error"]
    assert 0 < failed[0]["percent"] < 100


def test_project_view_tracks_title_deletion_and_latest_film(studio) -> None:  # type: ignore[no-untyped-def]
    make_history(studio)
    rows = studio.views.query(
        "SELECT title, deleted, film_count, last_film_status FROM projects ORDER BY title"
    )
    assert [r["title"] for r in rows] == ["Film 0", "Film 1", "Film 2"]
    assert [r["deleted"] for r in rows] == [0, 0, 1]
    assert [r["last_film_status"] for r in rows] == ["completed", "failed", "completed"]


def test_audit_trail_lists_a_projects_history_in_order(studio) -> None:  # type: ignore[no-untyped-def]
    make_history(studio)
    project = studio.views.query("SELECT id FROM projects WHERE title = 'Film 1'")[0]["id"]
    trail = studio.views.query(
        "SELECT type, summary FROM audit WHERE project_id = %s ORDER BY position", (project,)
    )
    types = [r["type"] for r in trail]
    assert types[:3] == ["ProjectCreated", "ProjectUpdated", "FilmRequested"]
    assert types[-1] == "FilmFailed"
    assert any("voices failed: no voice for that language" in r["summary"] for r in trail)


def test_waiting_for_a_position_returns_once_projections_have_applied_it(studio) -> None:  # type: ignore[no-untyped-def]
    outcome = studio.bus.handle(RegisterAccount(email="x@example.com", display_name="X", password_hash="h"))
    assert studio.projector.wait_until(outcome.position, timeout=0.05) is False
    studio.projector.start()
    assert studio.projector.wait_until(outcome.position, timeout=5) is True
    assert studio.views.query("SELECT email FROM accounts")[0]["email"] == "x@example.com"
