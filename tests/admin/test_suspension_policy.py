"""The suspension processor cancels a suspended account's unfinished films, once, and only those."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from events.store import Tracking
from infra.container import Studio, build_studio
from infra.settings import Settings
from processors.follower import Follower
from processors.suspension import REASON, TRIGGERS
from schemas.commands import (
    CancelFilm,
    RegisterAccount,
    ReinstateAccount,
    RequestFilm,
    SuspendAccount,
)
from schemas.film import FilmSpec
from tests.support.history import DAG, runner


@pytest.fixture
def studio(tmp_path: Path) -> Iterator[Studio]:
    s = build_studio(Settings(data_dir=tmp_path, environment="test"), runner=runner, pipeline=DAG)
    s.projector.setup()
    yield s
    s.stop()


def owner(studio: Studio) -> UUID:
    email = f"{uuid4().hex[:8]}@example.com"
    return studio.bus.handle(RegisterAccount(email=email, display_name="O", password_hash="h")).aggregate_id


def request(studio: Studio, owner_id: UUID) -> UUID:
    command = RequestFilm(project_id=uuid4(), owner_id=owner_id, spec=FilmSpec(script="fine"), stages=DAG)
    return studio.bus.handle(command).aggregate_id


def drive(studio: Studio) -> Follower:
    """Projections to rest, then the suspension processor over everything it has not seen."""
    studio.projector.run_until_idle()
    follower = Follower("suspension", studio.store, studio.suspension_processor().handle, types=TRIGGERS)
    follower.run_until_idle()
    return follower


def status(studio: Studio, film: UUID) -> str:
    return str(studio.bus.state_of("film", film)[0].status)


def test_suspending_cancels_the_accounts_running_films_and_no_one_elses(studio: Studio) -> None:
    creator, bystander = owner(studio), owner(studio)
    films = [request(studio, creator) for _ in range(2)]
    finished = request(studio, creator)
    studio.bus.handle(CancelFilm(film_id=finished, owner_id=creator))
    other = request(studio, bystander)
    studio.bus.handle(SuspendAccount(account_id=creator, reason="spam"))
    drive(studio)
    assert [status(studio, f) for f in films] == ["cancelled", "cancelled"]
    assert studio.store.load(films[0])[-1].payload["reason"] == REASON
    assert studio.store.load(films[0])[-1].actor == "suspension"
    assert status(studio, other) == "running"
    # The already-cancelled film got no second cancellation.
    assert [e.type for e in studio.store.load(finished)].count("FilmCancelled") == 1


def test_a_redelivered_suspension_cancels_nothing_twice(studio: Studio) -> None:
    creator = owner(studio)
    film = request(studio, creator)
    studio.bus.handle(SuspendAccount(account_id=creator, reason="spam"))
    drive(studio)
    suspended = studio.store.read(after=0, types=("AccountSuspended",))[0]
    before = studio.store.last_position()
    processor = studio.suspension_processor()
    processor.handle(suspended, Tracking("suspension-replay", suspended.position or 0))
    assert studio.store.last_position() - before <= 1  # at most the replay's own tracking record
    assert [e.type for e in studio.store.load(film)].count("FilmCancelled") == 1


def test_a_film_requested_while_suspended_is_cancelled_as_it_arrives(studio: Studio) -> None:
    creator = owner(studio)
    studio.bus.handle(SuspendAccount(account_id=creator, reason="spam"))
    drive(studio)
    racing = request(studio, creator)  # e.g. a request that was in flight when the suspension landed
    drive(studio)
    assert status(studio, racing) == "cancelled"


def test_films_requested_after_reinstatement_are_left_alone_even_when_the_processor_lags(studio: Studio) -> None:
    creator = owner(studio)
    before = request(studio, creator)
    studio.bus.handle(SuspendAccount(account_id=creator, reason="spam"))
    studio.bus.handle(ReinstateAccount(account_id=creator))
    after = request(studio, creator)
    drive(studio)  # the processor sees the suspension only now, after the reinstatement
    assert status(studio, before) == "cancelled"
    assert status(studio, after) == "running"


def test_a_suspended_account_opens_no_session_in_the_aggregate(studio: Studio) -> None:
    from commands.errors import Suspended
    from schemas.commands import LogIn

    creator = owner(studio)
    studio.bus.handle(LogIn(account_id=creator, session_id="s1"))
    studio.bus.handle(SuspendAccount(account_id=creator, reason="spam"))
    account = studio.bus.state_of("account", creator)[0]
    assert account.suspended and account.sessions == frozenset()
    with pytest.raises(Suspended, match="spam"):
        studio.bus.handle(LogIn(account_id=creator, session_id="s2"))
    studio.projector.run_until_idle()
    assert studio.views.query("SELECT active FROM sessions WHERE session_id = 's1'") == [{"active": 0}]
