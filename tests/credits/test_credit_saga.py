"""The credit saga end to end on a real event store: concurrency, crashes between steps, settle rules."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest

from commands.errors import PaymentRequired
from commands.film_order import credit_state, order_film
from events.store import Tracking
from infra.container import Studio, build_studio
from infra.plan_catalogue import DEFAULT_PLANS_FILE
from infra.settings import Settings
from processors.credit_saga import CreditSaga
from processors.follower import Follower
from schemas.commands import CancelFilm, CreateProject, RegisterAccount
from schemas.credits import (
    AdjustCredits,
    CreditsCaptured,
    CreditsReleased,
    ReserveCredits,
    credit_account_id,
)
from schemas.envelope import DomainEvent
from schemas.film import FilmSpec
from tests.credits.test_credit_account import ledger_sum
from tests.support.history import DAG, runner

SPEC = FilmSpec(script="The keeper wakes.", target_seconds=60, resolution="720p")  # 3 credits


def make_studio(tmp_path: Path, event_store_url: str | None = None) -> Studio:
    settings = Settings(
        data_dir=tmp_path,
        environment="test",
        plans_file=DEFAULT_PLANS_FILE,
        event_store_url=event_store_url,
        retry_backoff_seconds=0.01,
    )
    studio = build_studio(settings, runner=runner, pipeline=DAG)
    studio.projector.setup()
    return studio


@pytest.fixture
def studio(tmp_path: Path) -> Iterator[Studio]:
    s = make_studio(tmp_path)
    yield s
    s.stop()


def creator(studio: Studio, credits: int) -> tuple[uuid.UUID, uuid.UUID]:
    """An account holding `credits` available credits (its free grant plus an adjustment), and a project."""
    email = f"{uuid.uuid4().hex[:8]}@example.com"
    account = studio.bus.handle(
        RegisterAccount(email=email, display_name="C", password_hash="h")
    ).aggregate_id
    granted = credit_state(studio.bus, account, studio.catalogue, datetime.now(UTC)).available
    if credits != granted:
        studio.bus.handle(
            AdjustCredits(account_id=account, credits=credits - granted, reason="test", admin_id=account)
        )
    project = studio.bus.handle(CreateProject(owner_id=account, spec=SPEC)).aggregate_id
    return account, project


def ledger(studio: Studio, account: uuid.UUID) -> list[DomainEvent]:
    return [e.event() for e in studio.store.load(credit_account_id(account))]


def order(studio: Studio, account: uuid.UUID, project: uuid.UUID) -> str:
    try:
        order_film(
            studio.bus,
            studio.catalogue,
            studio.measure,
            command_id=uuid.uuid4(),
            owner_id=account,
            project_id=project,
            spec=SPEC,
            stages=studio.pipeline,
            actor=str(account),
        )
    except PaymentRequired:
        return "refused"
    return "accepted"


def run_followers(followers: list[Follower]) -> None:
    while sum(f.run_once() for f in followers):
        pass


def fifty_concurrent_orders(studio: Studio) -> None:
    account, project = creator(studio, 10)
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(lambda _: order(studio, account, project), range(50)))
    assert results.count("accepted") == 3 and results.count("refused") == 47  # 3 x 3 credits of 10
    state, _ = studio.bus.state_of("credit", credit_account_id(account))
    assert (state.available, state.reserved) == (1, 9)
    assert ledger_sum(ledger(studio, account)) == state.balance == 10
    run_followers(studio.embedded_followers())
    state, _ = studio.bus.state_of("credit", credit_account_id(account))
    assert (state.balance, state.available, state.reserved) == (1, 1, 0), "three films captured"
    assert ledger_sum(ledger(studio, account)) == state.balance


def test_fifty_concurrent_orders_accept_exactly_what_the_account_affords(studio: Studio) -> None:
    fifty_concurrent_orders(studio)


def test_fifty_concurrent_orders_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    s = make_studio(tmp_path, postgres_url)
    try:
        fifty_concurrent_orders(s)
    finally:
        s.stop()


def test_a_crash_after_reserving_requests_the_film_once_the_saga_resumes(studio: Studio) -> None:
    account, project = creator(studio, 10)
    film = uuid.uuid4()
    # The gateway died right after the reservation: no RequestFilm was sent.
    studio.bus.handle(
        ReserveCredits(
            account_id=account,
            reservation_id=film,
            credits=3,
            project_id=project,
            owner_id=account,
            spec=SPEC,
            stages=DAG,
        )
    )
    assert studio.bus.state_of("film", film)[0].status == "none"
    run_followers(studio.embedded_followers())
    assert studio.bus.state_of("film", film)[0].status == "completed"
    captured = [e for e in ledger(studio, account) if isinstance(e, CreditsCaptured)]
    assert [c.reservation_id for c in captured] == [str(film)]
    state, _ = studio.bus.state_of("credit", credit_account_id(account))
    assert (state.balance, state.available, state.reserved) == (7, 7, 0)


class Crash(Exception):
    """Injected between the film's completion and the capture."""


def test_a_saga_killed_before_capture_captures_exactly_once_after_restart(studio: Studio) -> None:
    account, project = creator(studio, 10)
    assert order(studio, account, project) == "accepted"
    others = [f for f in studio.embedded_followers() if f.name != "credit-saga"]
    run_followers(others)  # the film completes while the saga is down

    crashing = CreditSaga(studio.bus, "capture")
    real_handle = studio.bus.handle

    def crash_on_capture(command, **kw):  # type: ignore[no-untyped-def]
        if type(command).__name__ == "CaptureCredits":
            raise Crash
        return real_handle(command, **kw)

    crashing.bus = type("CrashingBus", (), {"handle": staticmethod(crash_on_capture), "state_of": studio.bus.state_of,
                                            "track_alone": studio.bus.track_alone})()  # fmt: skip
    with pytest.raises(Crash):
        Follower(
            "credit-saga", studio.store, crashing.handle, types=("CreditsReserved", "FilmCompleted")
        ).run_once()
    state, _ = studio.bus.state_of("credit", credit_account_id(account))
    assert state.reserved == 3, "nothing lost: still held"

    restarted = CreditSaga(studio.bus, "capture")
    run_followers(
        [Follower("credit-saga", studio.store, restarted.handle, types=("CreditsReserved", "FilmCompleted"))]
    )
    # Redelivery of every event again (a consumer group rewound) changes nothing.
    for envelope in studio.store.read(after=0, limit=10_000, types=["CreditsReserved", "FilmCompleted"]):
        restarted.handle(envelope, Tracking("rewound", envelope.position or 0))
    events = ledger(studio, account)
    assert sum(isinstance(e, CreditsCaptured) for e in events) == 1
    state, _ = studio.bus.state_of("credit", credit_account_id(account))
    assert (state.balance, state.available, state.reserved) == (7, 7, 0)
    assert ledger_sum(events) == state.balance


def test_a_failed_film_releases_its_credits(studio: Studio) -> None:
    account, project = creator(studio, 10)
    failing = SPEC.model_copy(update={"script": "please fail"})
    order_film(
        studio.bus, studio.catalogue, studio.measure, command_id=uuid.uuid4(), owner_id=account,
        project_id=project, spec=failing, stages=studio.pipeline, actor="t",
    )  # fmt: skip
    run_followers(studio.embedded_followers())
    released = [e for e in ledger(studio, account) if isinstance(e, CreditsReleased)]
    assert len(released) == 1 and "failed" in released[0].reason
    state, _ = studio.bus.state_of("credit", credit_account_id(account))
    assert (state.balance, state.available) == (10, 10)


@pytest.mark.parametrize(("policy", "available"), [("capture", 7), ("release", 10)])
def test_a_cancelled_film_follows_the_catalogues_cancel_policy(
    studio: Studio, policy: str, available: int
) -> None:
    account, project = creator(studio, 10)
    o = order_film(
        studio.bus, studio.catalogue, studio.measure, command_id=uuid.uuid4(), owner_id=account,
        project_id=project, spec=SPEC, stages=studio.pipeline, actor="t",
    )  # fmt: skip
    studio.bus.handle(CancelFilm(film_id=o.film_id, owner_id=account))
    saga = CreditSaga(studio.bus, policy)  # type: ignore[arg-type]
    run_followers([Follower("saga-" + policy, studio.store, saga.handle, types=("FilmCancelled",))])
    state, _ = studio.bus.state_of("credit", credit_account_id(account))
    assert (state.available, state.reserved) == (available, 0)
