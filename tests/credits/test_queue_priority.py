"""Queue priority on the embedded transport: a later Enterprise film's stage starts before an earlier Free one's."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from commands.film_order import credit_state, order_film
from events.store import Tracking
from infra.container import Studio, build_studio
from infra.plan_catalogue import DEFAULT_PLANS_FILE
from infra.settings import Settings
from processors.priority_follower import PriorityFollower
from schemas.commands import CreateProject, RegisterAccount
from schemas.credits import AdjustCredits, ChangePlan
from schemas.envelope import Envelope
from schemas.film import FilmSpec
from schemas.media import StageFailure

PIPELINE: dict[str, list[str]] = {"work": []}


class GatedRunner:
    """Runs stages in call order; the film titled 'blocker' holds the only worker slot until released."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.release = threading.Event()

    def __call__(
        self, stage: str, spec: FilmSpec, inputs: dict[str, Any], progress: Any
    ) -> dict[str, Any] | StageFailure:
        self.started.append(spec.title)
        if spec.title == "blocker":
            self.release.wait(30)
        return {"stage": stage}


@pytest.fixture
def gated(tmp_path: Path) -> Iterator[tuple[Studio, GatedRunner]]:
    runner = GatedRunner()
    settings = Settings(data_dir=tmp_path, environment="test", plans_file=DEFAULT_PLANS_FILE, worker_slots=1)
    studio = build_studio(settings, runner=runner, pipeline=PIPELINE)
    studio.start_embedded()
    yield studio, runner
    runner.release.set()
    studio.stop()


def creator(studio: Studio, plan: str) -> tuple[uuid.UUID, uuid.UUID]:
    account = studio.bus.handle(
        RegisterAccount(email=f"{uuid.uuid4().hex[:8]}@example.com", display_name="C", password_hash="h")
    ).aggregate_id
    credit_state(studio.bus, account, studio.catalogue, datetime.now(UTC))  # this month's grant
    if plan != "free":
        studio.bus.handle(ChangePlan(account_id=account, plan=plan))
        studio.bus.handle(AdjustCredits(account_id=account, credits=30, reason="test", admin_id=account))
    spec = FilmSpec(script="One line.", target_seconds=30, resolution="720p")
    project = studio.bus.handle(CreateProject(owner_id=account, spec=spec)).aggregate_id
    return account, project


def order(studio: Studio, plan: str, title: str) -> uuid.UUID:
    account, project = creator(studio, plan)
    spec = FilmSpec(title=title, script="One line.", target_seconds=30, resolution="720p")
    return order_film(
        studio.bus, studio.catalogue, studio.measure, command_id=uuid.uuid4(), owner_id=account,
        project_id=project, spec=spec, stages=studio.pipeline, actor="t",
    ).film_id  # fmt: skip


def requested(studio: Studio, film: uuid.UUID) -> list[Envelope]:
    return [e for e in studio.store.load(film) if e.type == "StageRequested"]


def wait(predicate: Any, what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def test_a_later_enterprise_films_stage_starts_before_an_earlier_free_films(
    gated: tuple[Studio, GatedRunner],
) -> None:
    studio, runner = gated
    order(studio, "free", "blocker")
    wait(lambda: runner.started == ["blocker"], "the blocker to hold the slot")
    free = order(studio, "free", "free")
    standard = order(studio, "standard", "standard")
    enterprise = order(studio, "enterprise", "enterprise")
    wait(lambda: all(requested(studio, f) for f in (free, standard, enterprise)), "the stage requests")
    assert [requested(studio, f)[0].payload["priority"] for f in (free, standard, enterprise)] == [0, 1, 3]
    runner.release.set()
    wait(lambda: len(runner.started) == 4, "every film's stage to run")
    assert runner.started == ["blocker", "enterprise", "standard", "free"]
    for film in (free, standard, enterprise):
        wait(lambda f=film: studio.bus.state_of("film", f)[0].status == "completed", f"film {film}")


def test_a_request_run_ahead_is_not_run_again_when_the_position_reaches_it_or_after_a_restart(
    tmp_path: Path,
) -> None:
    """Positions only record a done prefix: what ran ahead is skipped in memory, and after a restart the
    handler sees it again without a record (the film aggregate then appends nothing)."""
    studio = build_studio(
        Settings(data_dir=tmp_path, environment="test"), runner=GatedRunner(), pipeline=PIPELINE
    )
    try:
        store = studio.store
        calls: list[tuple[str, int | None]] = []

        def handler(event: Envelope, tracking: Tracking | None) -> None:
            calls.append((event.payload["stage"], None if tracking is None else tracking.position))
            if tracking is not None:
                store.track(tracking)

        from schemas.envelope import wrap
        from schemas.events import StageRequested

        def request(stage: str, priority: int) -> int:
            event = StageRequested(stage=stage, attempt=1, inputs={}, priority=priority)
            stored = store.append([wrap(event, aggregate_id=uuid.uuid4(), aggregate_version=1)])
            return stored[-1].position or 0

        low, high = request("low", 0), request("high", 3)
        follower = PriorityFollower("slot", store, handler, types=("StageRequested",))
        follower.run_until_idle()
        assert calls == [("high", None), ("low", low)]
        assert store.tracked("slot") == high, "the position moved over the request run ahead"

        again = request("again-low", 0)
        request("again-high", 3)
        crashed = PriorityFollower(
            "slot2", store, lambda e, t: calls.append(("crashed", None)), types=("StageRequested",)
        )
        crashed.run_once()  # ran the high one ahead, then the process died
        calls.clear()
        restarted = PriorityFollower("slot2", store, handler, types=("StageRequested",))
        restarted.run_until_idle()
        # Everything from the recorded position is seen again, the high ones still first.
        assert [c[0] for c in calls] == ["high", "again-high", "low", "again-low"]
        assert store.tracked("slot2") == store.last_position() and again < store.last_position()
    finally:
        studio.stop()
