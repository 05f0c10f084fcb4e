"""Credits on the scale-out transport (real processes, PostgreSQL, the bundled broker): queue priority
through the priority topics, and the credit saga surviving a kill -9 of the processors."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from commands.film_order import credit_state, order_film
from schemas.commands import CreateProject, RegisterAccount, RequestFilm
from schemas.credits import CreditsCaptured, credit_account_id
from schemas.film import FilmSpec
from tests.integration.test_kafka_transport import cluster, film_status  # noqa: F401  (the fixture)
from tests.support.processes import wait_for

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.slow]

SLOW_RENDER = "\n\n".join(f"Card {i}" for i in range(12))
"""Twelve cards over 600 s: a render that keeps the only worker busy for a good while."""


def request(studio: Any, script: str, priority: int, target: float | None = None) -> uuid.UUID:
    spec = FilmSpec(script=script, target_seconds=target)
    command = RequestFilm(
        project_id=uuid.uuid4(), owner_id=uuid.uuid4(), spec=spec, stages=studio.pipeline, priority=priority
    )
    return studio.bus.handle(command).aggregate_id


def logged(studio: Any, film: uuid.UUID, kind: str, stage: str) -> int | None:
    """The log position of the film's first `kind` event for the stage (aggregate loads carry none)."""
    for e in studio.store.read(after=0, limit=100_000, types=[kind]):
        if e.aggregate_id == film and e.payload["stage"] == stage:
            return int(e.position)
    return None


def started(studio: Any, film: uuid.UUID, stage: str) -> int | None:
    return logged(studio, film, "StageStarted", stage)


def stage_requested(studio: Any, film: uuid.UUID, stage: str) -> int | None:
    return logged(studio, film, "StageRequested", stage)


def relayed(studio: Any) -> int:
    """How far the relay has published the log (its position in the current generation)."""
    return int(studio.store.tracked(f"relay@{studio.store.tracked('relay-generation')}"))


def test_a_later_enterprise_films_stage_starts_before_an_earlier_free_films_on_kafka(cluster) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    procs, studio, _ = cluster
    procs.start("worker-a", "worker", "--name", "worker-a")
    blocker = request(studio, SLOW_RENDER, priority=0, target=600)
    wait_for(lambda: started(studio, blocker, "titlecards"), 90, "the blocker's render to start")
    free = request(studio, "Free card", priority=0)
    enterprise = request(studio, "Enterprise card", priority=3)
    last = wait_for(
        lambda: (
            (f := stage_requested(studio, free, "cards"))
            and (e := stage_requested(studio, enterprise, "cards"))
            and max(f, e)
        ),
        30,
        "both stage requests",
    )
    wait_for(lambda: relayed(studio) >= int(last), 30, "the relay to publish them")  # type: ignore[call-overload]
    time.sleep(1.0)  # the worker's consumers prefetch both while it renders
    assert started(studio, blocker, "titlecards") and not any(
        e.type == "StageCompleted" and e.payload["stage"] == "titlecards" for e in studio.store.load(blocker)
    ), "the blocker finished too early for the test to show anything; make its render longer"
    for film in (blocker, free, enterprise):
        done = lambda f=film: film_status(studio, f) == "completed"  # noqa: E731
        wait_for(done, 180, f"film {film} to complete")
    assert (started(studio, enterprise, "cards") or 0) < (started(studio, free, "cards") or 0)
    priorities = {e.payload["priority"] for e in studio.store.load(enterprise) if e.type == "StageRequested"}
    assert priorities == {3}


def test_a_film_is_captured_once_after_the_processors_are_killed_between_reserve_and_capture(cluster) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    procs, studio, _ = cluster
    account = studio.bus.handle(
        RegisterAccount(email="saga@example.com", display_name="S", password_hash="h")
    ).aggregate_id
    credit_state(studio.bus, account, studio.catalogue, datetime.now(UTC))  # this month's grant
    spec = FilmSpec(script=SLOW_RENDER, target_seconds=120)
    project = studio.bus.handle(CreateProject(owner_id=account, spec=spec)).aggregate_id
    procs.start("worker-a", "worker", "--name", "worker-a")
    film = order_film(
        studio.bus, studio.catalogue, studio.measure, command_id=uuid.uuid4(), owner_id=account,
        project_id=project, spec=spec, stages=studio.pipeline, actor="t",
    ).film_id  # fmt: skip
    wait_for(lambda: started(studio, film, "titlecards"), 90, "the render to start")
    procs.kill9("processors")  # reserved, rendering, not yet captured
    wait_for(
        lambda: any(
            e.type == "StageCompleted" and e.payload["stage"] == "titlecards" for e in studio.store.load(film)
        ),
        120,
        "the render to finish while the processors are down",
    )
    assert film_status(studio, film) != "completed"

    def ledger() -> list[Any]:
        return [e.event() for e in studio.store.load(credit_account_id(account))]

    assert not any(isinstance(e, CreditsCaptured) for e in ledger())
    procs.start("processors", "processors")
    wait_for(lambda: any(isinstance(e, CreditsCaptured) for e in ledger()), 120, "the capture after restart")
    time.sleep(3.0)  # redeliveries after the restart have had time to arrive
    events = ledger()
    assert sum(isinstance(e, CreditsCaptured) for e in events) == 1
    assert [e.type for e in studio.store.load(film)].count("FilmCompleted") == 1
    state, _ = studio.bus.state_of("credit", credit_account_id(account))
    assert (state.reserved, state.available) == (0, state.balance)
    assert state.reservations[str(film)].status == "captured"
