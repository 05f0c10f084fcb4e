"""Scale-out transport: PostgreSQL + the Kafka-protocol broker + relay, faust processors and workers
as separate processes. Kills and broker restarts lose no event and repeat no effect."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.broker import start_broker
from infra.container import build_studio
from infra.settings import Settings
from schemas.commands import RequestFilm
from schemas.film import FilmSpec
from tests.support.postgres import free_port
from tests.support.processes import Processes, wait_for

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def cluster(postgres_url: str, tmp_path: Path) -> Iterator[tuple[Processes, object, int]]:
    port = free_port()
    broker = start_broker(port)
    env = {
        "FILMSTUDIO_EVENT_STORE_URL": postgres_url,
        "FILMSTUDIO_VIEWS_URL": postgres_url,
        "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{port}",
        "FILMSTUDIO_STAGE_SET": "titlecards",
        "FILMSTUDIO_DATA_DIR": str(tmp_path / "data"),
        "FILMSTUDIO_KAFKA_PARTITIONS": "4",
        "FILMSTUDIO_RETRY_BACKOFF_SECONDS": "0.2",
    }
    settings = Settings(
        data_dir=tmp_path / "data",
        event_store_url=postgres_url,
        views_url=postgres_url,
        stage_set="titlecards",
    )
    studio = build_studio(settings)  # creates the tables once, before any worker starts
    studio.projector.setup()
    procs = Processes(env, tmp_path)
    procs.start("relay", "relay")
    procs.start("processors", "processors")
    procs.start("projector", "projector")
    yield procs, studio, port
    procs.stop_all()
    for log in sorted(tmp_path.glob("*.log")):  # shown by pytest only when the test failed
        print(f"===== {log.name}\n{log.read_text(errors='replace')[-3000:]}")
    broker.kill()
    broker.wait(5)
    studio.stop()


def request_film(studio, script: str, target: float | None = None) -> uuid.UUID:  # type: ignore[no-untyped-def]
    spec = FilmSpec(script=script, target_seconds=target)
    command = RequestFilm(project_id=uuid.uuid4(), owner_id=uuid.uuid4(), spec=spec, stages=studio.pipeline)
    return studio.bus.handle(command).aggregate_id


def film_status(studio, film: uuid.UUID) -> str | None:  # type: ignore[no-untyped-def]
    rows = studio.views.query("SELECT status FROM films WHERE id = %s", (str(film),))
    return rows[0]["status"] if rows else None


def effects(studio, film: uuid.UUID) -> Counter[str]:  # type: ignore[no-untyped-def]
    return Counter(
        f"{e.type}:{e.payload.get('stage', '')}"
        for e in studio.store.load(film)
        if e.type in ("StageRequested", "StageCompleted", "FilmCompleted")
    )


def test_films_complete_across_processes_and_two_workers_share_the_stages(cluster) -> None:  # type: ignore[no-untyped-def]
    procs, studio, _ = cluster
    procs.start("worker-a", "worker", "--name", "worker-a")
    procs.start("worker-b", "worker", "--name", "worker-b")
    films = [request_film(studio, f"Card {i}\n\nSecond card") for i in range(8)]
    for film in films:
        wait_for(lambda f=film: film_status(studio, f) == "completed", 90, f"film {film} to complete")
    workers = {e.payload["worker"] for f in films for e in studio.store.load(f) if e.type == "StageStarted"}
    assert workers == {"worker-a", "worker-b"}
    for film in films:
        assert effects(studio, film) == Counter(
            {
                "StageRequested:cards": 1,
                "StageRequested:titlecards": 1,
                "StageCompleted:cards": 1,
                "StageCompleted:titlecards": 1,
                "FilmCompleted:": 1,
            }
        )


def test_killing_a_worker_mid_stage_still_completes_the_film_once(cluster) -> None:  # type: ignore[no-untyped-def]
    procs, studio, _ = cluster
    procs.start("worker-a", "worker", "--name", "worker-a")
    procs.start("worker-b", "worker", "--name", "worker-b")
    film = request_film(studio, "\n\n".join(f"Card {i}" for i in range(12)), target=600)

    def started_render() -> str | None:
        for e in studio.store.load(film):
            if e.type == "StageStarted" and e.payload["stage"] == "titlecards":
                return str(e.payload["worker"])
        return None

    victim = wait_for(started_render, 60, "the render stage to start")
    procs.kill9(str(victim))
    wait_for(lambda: film_status(studio, film) == "completed", 120, "the film to complete after the kill")
    starts = [
        e.payload["worker"]
        for e in studio.store.load(film)
        if e.type == "StageStarted" and e.payload["stage"] == "titlecards"
    ]
    assert starts[0] == victim and starts[-1] != victim
    assert effects(studio, film)["StageCompleted:titlecards"] == 1
    assert effects(studio, film)["FilmCompleted:"] == 1


def test_relay_kill_and_broker_restart_lose_nothing_and_repeat_nothing(cluster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    procs, studio, port = cluster
    procs.start("worker-a", "worker", "--name", "worker-a")
    first = [request_film(studio, f"Before {i}") for i in range(4)]
    procs.kill9("relay")
    during = [request_film(studio, f"While the relay is down {i}") for i in range(3)]
    procs.start("relay", "relay")
    for film in first + during:
        wait_for(lambda f=film: film_status(studio, f) == "completed", 90, f"film {film}")
    # The broker loses every topic, message and committed offset.
    procs.running.pop("relay").kill()
    import subprocess

    subprocess.run(["pkill", "-9", "-f", f"tcp://127.0.0.1:{port}"], check=False)
    procs.running["broker"] = start_broker(port)  # stopped with the other processes
    procs.start("relay", "relay")
    after = [request_film(studio, f"After the restart {i}") for i in range(3)]
    for film in after:
        wait_for(lambda f=film: film_status(studio, f) == "completed", 120, f"film {film} after the restart")
    for film in first + during + after:
        counts = effects(studio, film)
        assert counts["FilmCompleted:"] == 1, counts
        assert counts["StageCompleted:titlecards"] == 1, counts
    assert "republishing" in procs.log("relay")


def test_http_to_events_to_kafka_processors_to_projections(cluster) -> None:  # type: ignore[no-untyped-def]
    """The same gateway over the scale-out transport: HTTP command in, film visible in the read model."""
    from fastapi.testclient import TestClient

    from gateway.app import create_app

    procs, studio, _ = cluster
    procs.start("worker-a", "worker", "--name", "worker-a")
    with TestClient(create_app(studio)) as client:
        creds = {"email": "kafka@example.com", "password": "correct horse", "display_name": "K"}
        assert client.post("/api/auth/register", json=creds).status_code == 201
        login = client.post("/api/auth/login", json={"email": creds["email"], "password": creds["password"]})
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        created = client.post(
            "/api/projects", json={"title": "Kafka", "script": "One\n\nTwo"}, headers=headers
        )
        assert created.status_code == 202, created.text
        film = client.post(f"/api/projects/{created.json()['id']}/films", headers=headers).json()

        def finished() -> dict | None:  # type: ignore[type-arg]
            body = client.get(f"/api/films/{film['film_id']}", headers=headers).json()
            return body if body.get("status") == "completed" else None

        body = wait_for(finished, 90, "the film to complete through Kafka")
        assert body["percent"] == 100.0  # type: ignore[index]
        listed = client.get(
            "/api/projects", headers={**headers, "X-Min-Position": str(created.json()["position"])}
        )
        assert [p["title"] for p in listed.json()["items"]] == ["Kafka"]
