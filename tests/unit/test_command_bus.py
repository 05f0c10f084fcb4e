"""Command handling: validation against aggregates, idempotency and optimistic concurrency."""

from __future__ import annotations

import threading
import uuid

import pytest

from commands.account import account_id_for
from commands.bus import CommandBus
from commands.errors import Conflict, Invalid, NotFound
from events.backends import open_event_store
from schemas.commands import CreateProject, DeleteProject, LogIn, LogOut, RegisterAccount, UpdateProject
from schemas.film import FilmSpec


@pytest.fixture
def bus() -> CommandBus:
    return CommandBus(open_event_store("memory://"))


def register(bus: CommandBus, email: str = "asha@example.com") -> uuid.UUID:
    return bus.handle(RegisterAccount(email=email, display_name="Asha", password_hash="h")).aggregate_id


def test_an_email_can_register_only_once_whatever_its_case(bus: CommandBus) -> None:
    first = register(bus, "Asha@Example.com")
    assert first == account_id_for("asha@example.com")
    with pytest.raises(Conflict, match="already exists"):
        register(bus, "asha@EXAMPLE.com")


def test_a_repeated_command_id_returns_the_first_outcome_and_appends_nothing(bus: CommandBus) -> None:
    owner = register(bus)
    command = CreateProject(owner_id=owner, spec=FilmSpec(script="Hello"))
    first = bus.handle(command)
    head = bus.store.last_position()
    again = bus.handle(command)
    assert again.duplicate and not first.duplicate
    assert again.aggregate_id == first.aggregate_id and again.events == ["ProjectCreated"]
    assert bus.store.last_position() == head


def test_update_changes_only_what_differs_and_rejects_unknown_fields(bus: CommandBus) -> None:
    owner = register(bus)
    project = bus.handle(CreateProject(owner_id=owner, spec=FilmSpec(script="Hi", title="A"))).aggregate_id
    outcome = bus.handle(UpdateProject(project_id=project, owner_id=owner, changes={"title": "A", "fps": 30}))
    assert outcome.events == ["ProjectUpdated"]
    assert bus.store.load(project)[-1].payload["changes"] == {"fps": 30}
    with pytest.raises(Invalid, match="Unknown project fields: colour_grade"):
        bus.handle(UpdateProject(project_id=project, owner_id=owner, changes={"colour_grade": "teal"}))
    with pytest.raises(Invalid, match="not valid"):
        bus.handle(UpdateProject(project_id=project, owner_id=owner, changes={"target_seconds": 5}))


def test_another_creator_cannot_touch_a_project_and_learns_nothing_of_it(bus: CommandBus) -> None:
    owner, intruder = register(bus), register(bus, "ravi@example.com")
    project = bus.handle(CreateProject(owner_id=owner, spec=FilmSpec(script="Hi"))).aggregate_id
    with pytest.raises(NotFound):
        bus.handle(UpdateProject(project_id=project, owner_id=intruder, changes={"title": "mine"}))
    with pytest.raises(NotFound):
        bus.handle(DeleteProject(project_id=project, owner_id=intruder))
    assert len(bus.store.load(project)) == 1


def test_logging_out_an_unknown_session_changes_nothing(bus: CommandBus) -> None:
    account = register(bus)
    bus.handle(LogIn(account_id=account, session_id="s1"))
    assert bus.handle(LogOut(account_id=account, session_id="nope")).events == []
    assert bus.handle(LogOut(account_id=account, session_id="s1")).events == ["LoggedOut"]


def test_concurrent_updates_all_land_in_distinct_versions(bus: CommandBus) -> None:
    owner = register(bus)
    project = bus.handle(CreateProject(owner_id=owner, spec=FilmSpec(script="Hi"))).aggregate_id
    errors: list[Exception] = []

    def rename(i: int) -> None:
        try:
            bus.handle(UpdateProject(project_id=project, owner_id=owner, changes={"title": f"t{i}"}))
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=rename, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    versions = [e.aggregate_version for e in bus.store.load(project)]
    assert versions == list(range(1, 12))
