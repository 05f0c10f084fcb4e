"""One contract, three back ends: in-memory, SQLite and PostgreSQL behave the same."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from events.backends import open_event_store
from events.recorder_store import RecorderEventStore
from events.store import AlreadyTracked, ConcurrencyConflict, Tracking
from schemas.envelope import Envelope, wrap
from schemas.events import ProjectCreated, ProjectDeleted, ProjectUpdated
from schemas.film import FilmSpec


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RecorderEventStore]:
    if request.param == "memory":
        url = "memory://"
    elif request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/events.db"
    else:
        url = request.getfixturevalue("postgres_url")
    s = open_event_store(url)
    yield s
    s.close()


def created(aggregate_id: uuid.UUID, version: int = 1) -> Envelope:
    return wrap(
        ProjectCreated(owner_id="u1", spec=FilmSpec(script="Hello")),
        aggregate_id=aggregate_id,
        aggregate_version=version,
    )


def updated(aggregate_id: uuid.UUID, version: int, title: str) -> Envelope:
    return wrap(
        ProjectUpdated(changes={"title": title}), aggregate_id=aggregate_id, aggregate_version=version
    )


def test_appended_events_get_increasing_positions_and_load_in_order(store: RecorderEventStore) -> None:
    a = uuid.uuid4()
    stored = store.append([created(a), updated(a, 2, "x"), updated(a, 3, "y")])
    positions = [e.position for e in stored]
    assert positions == sorted(positions) and len(set(positions)) == 3
    loaded = store.load(a)
    assert [e.aggregate_version for e in loaded] == [1, 2, 3]
    assert loaded[2].payload["changes"] == {"title": "y"}
    assert store.last_position() == positions[-1]


def test_second_writer_of_the_same_version_is_refused_and_nothing_is_stored(
    store: RecorderEventStore,
) -> None:
    a = uuid.uuid4()
    store.append([created(a)])
    store.append([updated(a, 2, "first")])
    with pytest.raises(ConcurrencyConflict):
        store.append([updated(a, 2, "second"), updated(a, 3, "third")])
    assert [e.payload.get("changes") for e in store.load(a)][1:] == [{"title": "first"}]


def test_a_batch_across_aggregates_is_atomic(store: RecorderEventStore) -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    store.append([created(a)])
    with pytest.raises(ConcurrencyConflict):
        store.append([created(b), created(a)])  # a's version 1 is taken: b must not appear either
    assert store.load(b) == []


def test_read_filters_by_type_and_pages_after_a_position(store: RecorderEventStore) -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    store.append([created(a), updated(a, 2, "t")])
    store.append([created(b)])
    store.append([wrap(ProjectDeleted(), aggregate_id=a, aggregate_version=3)])
    everything = store.read(after=0, limit=100)
    assert [e.type for e in everything] == [
        "ProjectCreated",
        "ProjectUpdated",
        "ProjectCreated",
        "ProjectDeleted",
    ]
    only_created = store.read(after=0, limit=100, types=["ProjectCreated"])
    assert [e.aggregate_id for e in only_created] == [a, b]
    page = store.read(after=everything[1].position or 0, limit=1)
    assert [e.position for e in page] == [everything[2].position]


def test_tracking_is_recorded_with_the_effect_and_a_replay_is_refused(store: RecorderEventStore) -> None:
    a = uuid.uuid4()
    store.append([created(a)], tracking=Tracking("processor", 7))
    assert store.tracked("processor") == 7
    with pytest.raises(AlreadyTracked):
        store.append([updated(a, 2, "again")], tracking=Tracking("processor", 7))
    assert len(store.load(a)) == 1  # the effect of the duplicate was not stored
    store.track(Tracking("processor", 9))
    assert store.tracked("processor") == 9
    assert store.tracked("someone-else") == 0


def test_concurrent_writers_to_one_aggregate_never_share_a_version(store: RecorderEventStore) -> None:
    a = uuid.uuid4()
    store.append([created(a)])
    wins: list[int] = []
    errors: list[Exception] = []

    def writer(i: int) -> None:
        try:
            store.append([updated(a, 2, f"w{i}")])
            wins.append(i)
        except ConcurrencyConflict:
            pass
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(wins) == 1
    assert len(store.load(a)) == 2


def test_old_event_versions_are_upcast_on_read(store: RecorderEventStore) -> None:
    a = uuid.uuid4()
    old = Envelope(
        type="ProjectCreated",
        schema_version=1,
        aggregate_type="project",
        aggregate_id=a,
        aggregate_version=1,
        payload={"owner_id": "u1", "title": "Old", "script": "Once upon a time"},
    )
    store.append([old])
    loaded = store.load(a)[0]
    assert loaded.schema_version == 2
    event = loaded.event()
    assert isinstance(event, ProjectCreated)
    assert (event.spec.title, event.spec.script) == ("Old", "Once upon a time")
    assert store.read(0)[0].schema_version == 2


def test_waiting_for_events_wakes_on_append(store: RecorderEventStore) -> None:
    head = store.last_position()
    assert store.wait_for_events(head, timeout=0.05) is False
    timer = threading.Timer(0.05, lambda: store.append([created(uuid.uuid4())]))
    timer.start()
    assert store.wait_for_events(head, timeout=5.0) is True
    timer.join()
