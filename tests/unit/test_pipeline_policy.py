"""The pipeline process manager: dependency order, parallel stages, retries with backoff, failure."""

from __future__ import annotations

import uuid

import pytest

from commands.bus import CommandBus
from events.backends import open_event_store
from processors.pipeline import MAX_ATTEMPTS, PipelineProcessor
from processors.stage_worker import StageWorker
from schemas.commands import CancelFilm, RequestFilm
from schemas.film import FilmSpec
from schemas.media import StageFailure

DAG = {"script": [], "voices": ["script"], "scenes": ["script"], "render": ["voices", "scenes"]}


class Drive:
    """Runs the pipeline processor and a worker over the log until nothing is left to do."""

    def __init__(self, runner, clock: list[float]) -> None:  # type: ignore[no-untyped-def]
        self.bus = CommandBus(open_event_store("memory://"))
        self.clock = clock
        self.slept: list[float] = []
        self.pipeline = PipelineProcessor(self.bus, clock=lambda: clock[0])
        self.worker = StageWorker(self.bus, runner, clock=lambda: clock[0], sleep=self._sleep)

    def _sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.clock[0] += seconds

    def run(self) -> None:
        from processors.follower import Follower

        followers = [
            Follower("pipeline", self.bus.store, self.pipeline.handle),
            Follower("worker", self.bus.store, self.worker.handle, types=("StageRequested",)),
        ]
        while sum(f.run_once() for f in followers):
            pass

    def request(self) -> uuid.UUID:
        command = RequestFilm(
            project_id=uuid.uuid4(), owner_id=uuid.uuid4(), spec=FilmSpec(script="x"), stages=DAG
        )
        return self.bus.handle(command).aggregate_id

    def types(self, film: uuid.UUID) -> list[str]:
        return [e.type for e in self.bus.store.load(film)]


def test_stages_run_in_dependency_order_and_receive_their_inputs() -> None:
    seen: list[tuple[str, set[str]]] = []

    def runner(stage, spec, inputs, progress):  # type: ignore[no-untyped-def]
        seen.append((stage, set(inputs)))
        return {"made_by": stage}

    drive = Drive(runner, [1000.0])
    film = drive.request()
    drive.run()
    order = [s for s, _ in seen]
    assert order[0] == "script" and order[-1] == "render"
    assert set(order[1:3]) == {"voices", "scenes"}
    assert dict(seen)["render"] == {"voices", "scenes"}
    assert drive.types(film)[-1] == "FilmCompleted"
    state, _ = drive.bus.state_of("film", film)
    assert state.status == "completed"


def test_independent_stages_are_requested_together_after_their_dependency() -> None:
    drive = Drive(lambda *a: {}, [0.0])
    film = drive.request()
    drive.run()
    events = drive.bus.store.load(film)
    requested = [e.payload["stage"] for e in events if e.type == "StageRequested"]
    completed_script = next(i for i, e in enumerate(events) if e.type == "StageCompleted")
    # Both of script's dependents are requested before either of them starts.
    after = [e for e in events[completed_script:] if e.type in ("StageRequested", "StageStarted")]
    assert [e.type for e in after[:2]] == ["StageRequested", "StageRequested"]
    assert requested == ["script", "voices", "scenes", "render"]


def test_a_retryable_failure_is_retried_with_exponential_backoff_then_succeeds() -> None:
    calls = {"voices": 0}

    def runner(stage, spec, inputs, progress):  # type: ignore[no-untyped-def]
        if stage == "voices":
            calls["voices"] += 1
            if calls["voices"] < 3:
                return StageFailure(reason="engine busy", retryable=True)
        return {}

    drive = Drive(runner, [0.0])
    film = drive.request()
    drive.run()
    assert calls["voices"] == 3
    assert drive.slept == [1.0, 2.0]
    assert drive.types(film)[-1] == "FilmCompleted"


def test_a_stage_that_keeps_failing_fails_the_film_after_three_retries_with_the_reason() -> None:
    def runner(stage, spec, inputs, progress):  # type: ignore[no-untyped-def]
        if stage == "scenes":
            raise RuntimeError("out of paint")
        return {}

    drive = Drive(runner, [0.0])
    film = drive.request()
    drive.run()
    events = drive.bus.store.load(film)
    failures = [e for e in events if e.type == "StageFailed"]
    assert len(failures) == MAX_ATTEMPTS
    assert events[-1].type == "FilmFailed"
    assert "scenes failed after 4 attempts" in events[-1].payload["reason"]
    assert "out of paint" in events[-1].payload["reason"]
    assert "render" not in {e.payload.get("stage") for e in events if e.type == "StageStarted"}


def test_a_permanent_failure_is_not_retried() -> None:
    def runner(stage, spec, inputs, progress):  # type: ignore[no-untyped-def]
        return StageFailure(reason="The script is empty.", retryable=False) if stage == "script" else {}

    drive = Drive(runner, [0.0])
    film = drive.request()
    drive.run()
    assert drive.types(film).count("StageFailed") == 1
    assert drive.bus.store.load(film)[-1].payload["reason"] == "script failed: The script is empty."


def test_cancel_stops_the_pipeline_and_a_late_result_is_ignored() -> None:
    drive_ref: list[Drive] = []

    def runner(stage, spec, inputs, progress):  # type: ignore[no-untyped-def]
        if stage == "voices":
            drive_ref[0].bus.handle(CancelFilm(film_id=film_id[0]))
        return {}

    drive = Drive(runner, [0.0])
    drive_ref.append(drive)
    film_id = [drive.request()]
    drive.run()
    types = drive.types(film_id[0])
    assert "FilmCancelled" in types and "FilmCompleted" not in types
    assert "render" not in {e.payload.get("stage") for e in drive.bus.store.load(film_id[0])}


def test_replaying_the_log_through_the_processor_issues_nothing_new() -> None:
    drive = Drive(lambda *a: {}, [0.0])
    film = drive.request()
    drive.run()
    head = drive.bus.store.last_position()
    fresh = PipelineProcessor(drive.bus)
    from events.store import Tracking

    for event in drive.bus.store.read(0, limit=1000):
        fresh.handle(event, Tracking("pipeline-replay", event.position or 0))
    new = [e.type for e in drive.bus.store.read(head, limit=100)]
    assert new == []
    assert drive.types(film)[-1] == "FilmCompleted"


@pytest.mark.parametrize("attempt", [1, 2])
def test_a_stale_attempt_result_is_ignored(attempt: int) -> None:
    from schemas.commands import CompleteStage

    drive = Drive(lambda *a: {}, [0.0])
    film = drive.request()
    drive.run()
    before = drive.bus.store.last_position()
    outcome = drive.bus.handle(
        CompleteStage(film_id=film, stage="script", attempt=attempt, output={}, seconds=1)
    )
    assert outcome.events == []
    assert drive.bus.store.last_position() == before  # nothing appended, not even a command record
