"""Event backbone benchmark: latency, throughput, replay speed and gateway reads, against targets.

Measures command-to-visible latency (embedded and Kafka transports), command throughput (SQLite,
PostgreSQL), projection replay speed and gateway read latency.

Prints progress on stderr and, as its last stdout line, one JSON object with every figure, its
target and a pass flag. Needs PostgreSQL (Debian package) and the bundled Tansu broker for the
PostgreSQL and Kafka parts; `--skip-postgres` runs the SQLite parts alone.

    .venv/bin/python bench/bench_events.py [--seconds 10] [--events 100000] [--pg-events 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from bisect import bisect_left
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from loadgen import http_fixed_rate, paced_threads, summary_ms  # noqa: E402

TARGETS = {
    "embedded_visible_p99_ms": 100.0,
    "kafka_visible_p99_ms": 250.0,
    "replay_events_per_s": 20_000.0,
    "gateway_read_p95_ms": 50.0,
}

DEFINITIONS = {
    "command_to_visible_embedded": (
        "from the command's scheduled issue time (open loop, 100/s, 4 client threads calling CommandBus.handle) "
        "until the client holds the Outcome AND every projection of the embedded projector has applied "
        "Outcome.position (ProjectionRunner.min_position() >= position)"
    ),
    "command_to_visible_kafka": (
        "from the scheduled issue time until BOTH (a) every event the command appended (its domain event and its "
        "CommandAccepted record, matched by causation_id) was consumed back from the events topic by a "
        "confluent-kafka consumer in the bench process, after the relay process read it from PostgreSQL and "
        "the broker confirmed it, and (b) the projector process (reading PostgreSQL) recorded a position >= "
        "Outcome.position for every projection; the parts are reported separately as relay_consumed_ms and "
        "projected_ms"
    ),
    "throughput": "CommandBus.handle calls completed per second by N threads (CreateProject then UpdateProject "
    "on the thread's own projects), no projector running; each command appends 2 events (event + idempotency record)",
    "replay": "events in the log / wall time of ProjectionRunner.rebuild(name) for every projection in turn "
    "(each rebuild drops its tables and reads the whole log through its type filter)",
    "gateway": "GET /api/projects and GET /api/films/{id} alternately at a fixed 200/s with a bearer token, "
    "uvicorn in a subprocess (as `filmstudio up`: embedded studio running, followers settled at the head of the "
    "log), a bare asyncio HTTP/1.1 keep-alive client (bench/loadgen.py; httpx cost ~6 ms of CPU per request here "
    "and became the bottleneck); latency from each request's scheduled send time to its complete response",
}

SPEC_SCRIPT = (
    "INT. KITCHEN - NIGHT\n\nMEERA stirs a pot. The radio hums an old film song.\n\n"
    "MEERA: You're late again.\n\nARJUN (O.S.): The train stopped at every station in the state.\n\n"
) * 3


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def process_cpu(pid: int) -> float:
    """User + system CPU seconds used so far by another process (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_pressure() -> float | None:
    """Share of the last 10 s in which some runnable task here waited for a CPU (Linux PSI), in %."""
    try:
        return float(Path("/proc/pressure/cpu").read_text().split()[1].split("=")[1])
    except (OSError, IndexError, ValueError):
        return None


def passes(value: float | None, target: float, *, at_most: bool) -> bool:
    if value is None:
        return False
    return value <= target if at_most else value >= target


# --- command traffic -------------------------------------------------------------------------------


@dataclass
class ProjectTraffic:
    """Realistic dashboard writes: new projects, and title/music edits of existing ones."""

    owner: uuid.UUID = field(default_factory=uuid.uuid4)
    pool: list[uuid.UUID] = field(default_factory=list)

    def command(self, i: int) -> Any:
        from schemas.commands import CreateProject, UpdateProject
        from schemas.film import FilmSpec

        if i % 2 == 0 or not self.pool:
            return CreateProject(owner_id=self.owner, spec=FilmSpec(title=f"Short {i}", script=SPEC_SCRIPT))
        project = self.pool[i % len(self.pool)]
        music = ("orchestral", "ambient", "raga")[i % 3]
        changes: dict[str, Any] = {"title": f"Take {i}"} if i % 4 == 1 else {"title": f"Cut {i}", "music": music}
        return UpdateProject(project_id=project, owner_id=self.owner, changes=changes)

    def warm_up(self, bus: Any, projects: int = 40) -> int:
        from schemas.commands import CreateProject
        from schemas.film import FilmSpec

        position = 0
        for i in range(projects):
            outcome = bus.handle(CreateProject(owner_id=self.owner, spec=FilmSpec(title=f"Pool {i}", script=SPEC_SCRIPT)))
            self.pool.append(outcome.aggregate_id)
            position = outcome.position
        return position


@dataclass(frozen=True)
class Sent:
    command_id: uuid.UUID
    scheduled: float
    accepted: float
    position: int
    events: int


def send_paced(bus: Any, traffic: ProjectTraffic, rate: float, seconds: float) -> tuple[list[Sent], float]:
    def work(i: int, at: float) -> Sent:
        command = traffic.command(i)
        outcome = bus.handle(command)
        # +1: the bus appends the command's idempotency record after its events, in the same transaction.
        return Sent(command.command_id, at, time.perf_counter(), outcome.position, len(outcome.events) + 1)

    return paced_threads(rate, seconds, work, clients=4)


class PositionWatch:
    """Samples a read model's applied position and remembers when each new value was first seen."""

    def __init__(self, current: Callable[[], int], wait: Callable[[int], object]) -> None:
        self.current = current
        self.wait = wait
        self.times: list[float] = []
        self.positions: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="position-watch", daemon=True)

    def _loop(self) -> None:
        last = -1
        while not self._stop.is_set():
            p = self.current()
            if p > last:
                self.times.append(time.perf_counter())
                self.positions.append(p)
                last = p
            self.wait(p + 1)

    def seen_at(self, position: int) -> float | None:
        i = bisect_left(self.positions, position)
        return self.times[i] if i < len(self.positions) else None

    def start(self) -> PositionWatch:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


def wait_for(predicate: Callable[[], object], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


# --- 1. embedded transport -------------------------------------------------------------------------


def embedded_latency(workdir: Path, rate: float, seconds: float, followers: bool = True) -> dict[str, Any]:
    """`followers=False` starts the projector alone: a diagnostic that isolates the followers' cost."""
    from infra.container import build_studio
    from infra.settings import Settings

    data = workdir / ("embedded" if followers else "embedded-projector-only")
    studio = build_studio(Settings(data_dir=data, stage_set="titlecards", environment="test"))
    if followers:
        studio.start_embedded()
    else:
        studio.projector.setup()
        studio.projector.start()
    try:
        traffic = ProjectTraffic()
        studio.projector.wait_until(traffic.warm_up(studio.bus), timeout=10)
        projector = studio.projector
        watch = PositionWatch(projector.min_position, lambda p: projector.wait_until(p, timeout=0.05)).start()
        cpu = time.process_time()
        sent, dispatched = send_paced(studio.bus, traffic, rate, seconds)
        cpu = time.process_time() - cpu
        wait_for(lambda: projector.min_position() >= max(s.position for s in sent), 10)
        time.sleep(0.1)
        watch.stop()
    finally:
        studio.stop()
    visible, missing = [], 0
    for s in sent:
        seen = watch.seen_at(s.position)
        if seen is None:
            missing += 1
        else:
            visible.append(max(seen, s.accepted) - s.scheduled)
    result = {
        "store": "sqlite (events.db + views.db, WAL)",
        "running": "projector, pipeline follower, 2 worker followers" if followers else "projector only (diagnostic)",
        "rate_per_s": rate,
        "seconds": seconds,
        "commands": len(sent),
        "dispatched_per_s": round(dispatched, 1),
        "accepted_ms": summary_ms([s.accepted - s.scheduled for s in sent]),
        "visible_ms": summary_ms(visible),
        "not_visible_within_10s": missing,
        "process_cpu_ms_per_command": round(1000 * cpu / len(sent), 2),
    }
    p99 = result["visible_ms"].get("p99")
    result |= {"target_p99_ms": TARGETS["embedded_visible_p99_ms"],
               "pass": passes(p99, TARGETS["embedded_visible_p99_ms"], at_most=True) and not missing}
    return result


# --- 2. Kafka transport ----------------------------------------------------------------------------


class TopicWatch:
    """A confluent-kafka consumer of the events topic: when each command's events came back."""

    def __init__(self, bootstrap: str, topic: str) -> None:
        from confluent_kafka import Consumer

        from infra.kafka.topics import consumer_config

        self.consumer = Consumer(consumer_config(bootstrap, f"bench-watch-{uuid.uuid4().hex[:8]}"))
        self.topic = topic
        self.assigned = threading.Event()
        self.seen: dict[str, tuple[int, float]] = {}
        """causation id -> (events consumed, time of the last)"""
        self.messages = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="topic-watch", daemon=True)

    def _loop(self) -> None:
        self.consumer.subscribe([self.topic], on_assign=lambda _c, _p: self.assigned.set())
        try:
            while not self._stop.is_set():
                message = self.consumer.poll(0.05)
                if message is None or message.error():
                    continue
                now = time.perf_counter()
                causation = json.loads(message.value()).get("causation_id")
                count, _ = self.seen.get(causation, (0, 0.0))
                self.seen[causation] = (count + 1, now)
                self.messages += 1
        finally:
            self.consumer.close()

    def done_at(self, command_id: uuid.UUID, events: int) -> float | None:
        count, at = self.seen.get(str(command_id), (0, 0.0))
        return at if count >= events else None

    def start(self) -> TopicWatch:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)


def _exists(topic_exists: Callable[..., bool], bootstrap: str, topic: str) -> bool:
    try:
        return topic_exists(bootstrap, topic, timeout=3)
    except Exception:  # the broker is still starting: metadata requests time out
        return False


def kafka_latency(pg_url: str, workdir: Path, rate: float, seconds: float) -> dict[str, Any]:
    from infra.broker import start_broker
    from infra.container import build_studio
    from infra.kafka.topics import Topics, topic_exists
    from infra.settings import Settings
    from tests.support.postgres import create_database, free_port
    from tests.support.processes import Processes

    db = create_database(pg_url, "kafka_bench")
    port = free_port()
    bootstrap = f"127.0.0.1:{port}"
    broker = start_broker(port)
    data = workdir / "kafka"
    settings = Settings(data_dir=data, event_store_url=db, views_url=db, stage_set="titlecards", environment="test")
    studio = build_studio(settings)  # creates the tables once, before the processes start
    studio.projector.setup()
    env = {
        "FILMSTUDIO_EVENT_STORE_URL": db,
        "FILMSTUDIO_VIEWS_URL": db,
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "FILMSTUDIO_STAGE_SET": "titlecards",
        "FILMSTUDIO_DATA_DIR": str(data),
        "FILMSTUDIO_ENVIRONMENT": "test",
    }
    (workdir / "logs").mkdir(exist_ok=True)
    procs = Processes(env, workdir / "logs")
    topics = Topics(settings.kafka_topic_prefix, settings.kafka_partitions)
    watch: TopicWatch | None = None
    projected: PositionWatch | None = None
    try:
        for name, args in (("relay", ["relay"]), ("projector", ["projector"]), ("processors", ["processors"]),
                           ("worker", ["worker", "--name", "bench-worker"])):
            procs.start(name, *args)
        if not wait_for(lambda: _exists(topic_exists, bootstrap, topics.marker), 60):
            raise RuntimeError("the relay did not create the topics within 60 s:\n" + procs.log("relay")[-2000:])
        watch = TopicWatch(bootstrap, topics.events).start()
        if not watch.assigned.wait(30):
            raise RuntimeError("the bench consumer got no partitions within 30 s")
        traffic = ProjectTraffic()
        warm = traffic.warm_up(studio.bus)
        projector = studio.projector
        ok = wait_for(lambda: projector.min_position() >= warm and watch.messages >= 2 * len(traffic.pool), 60)
        if not ok:
            raise RuntimeError("warm-up commands never became visible:\n" + procs.log("projector")[-2000:])
        projected = PositionWatch(projector.min_position, lambda _p: time.sleep(0.005)).start()
        started = time.perf_counter()
        cpu_before = {name: process_cpu(proc.pid) for name, proc in procs.running.items()}
        sent, dispatched = send_paced(studio.bus, traffic, rate, seconds)
        cpu = {name: round(process_cpu(proc.pid) - cpu_before[name], 2) for name, proc in procs.running.items()}
        wait_for(
            lambda: projector.min_position() >= max(s.position for s in sent)
            and all(watch.done_at(s.command_id, s.events) for s in sent),
            15,
        )
        time.sleep(0.1)
        log(f"kafka load: {len(sent)} commands in {time.perf_counter() - started:.1f} s")
    finally:
        if projected is not None:
            projected.stop()
        if watch is not None:
            watch.stop()
        procs.stop_all()
        broker.kill()
        broker.wait(5)
        studio.stop()
    relay_ms, projected_ms, visible_ms, missing = [], [], [], 0
    for s in sent:
        consumed = watch.done_at(s.command_id, s.events)
        applied = projected.seen_at(s.position)
        if consumed is None or applied is None:
            missing += 1
            continue
        relay_ms.append(consumed - s.scheduled)
        projected_ms.append(max(applied, s.accepted) - s.scheduled)
        visible_ms.append(max(consumed, applied, s.accepted) - s.scheduled)
    result = {
        "store": "postgresql 15 (fsync off) + relay + Tansu broker + projector, faust processors, 1 worker",
        "rate_per_s": rate,
        "seconds": seconds,
        "commands": len(sent),
        "dispatched_per_s": round(dispatched, 1),
        "accepted_ms": summary_ms([s.accepted - s.scheduled for s in sent]),
        "relay_consumed_ms": summary_ms(relay_ms),
        "projected_ms": summary_ms(projected_ms),
        "visible_ms": summary_ms(visible_ms),
        "not_visible_within_15s": missing,
        "process_cpu_seconds_during_load": cpu,
    }
    p99 = result["visible_ms"].get("p99")
    result |= {"target_p99_ms": TARGETS["kafka_visible_p99_ms"],
               "pass": passes(p99, TARGETS["kafka_visible_p99_ms"], at_most=True) and not missing}
    return result


# --- 3. throughput ---------------------------------------------------------------------------------


def command_throughput(url: str, threads: int, seconds: float) -> dict[str, Any]:
    from commands.bus import CommandBus
    from events.backends import open_event_store
    from schemas.commands import CreateProject, UpdateProject
    from schemas.film import FilmSpec

    store = open_event_store(url)
    bus = CommandBus(store)
    counts = [0] * threads
    conflicts = [0] * threads
    start_line = threading.Barrier(threads + 1)
    stop = threading.Event()

    def client(k: int) -> None:
        owner = uuid.uuid4()
        mine: list[uuid.UUID] = []
        start_line.wait()
        i = 0
        while not stop.is_set():
            try:
                if i % 2 == 0:
                    mine.append(bus.handle(CreateProject(owner_id=owner, spec=FilmSpec(title=f"T{i}", script=SPEC_SCRIPT))).aggregate_id)
                else:
                    bus.handle(UpdateProject(project_id=mine[-1], owner_id=owner, changes={"title": f"U{i}"}))
                counts[k] += 1
            except Exception:  # counted, not fatal: the figure is completed commands
                conflicts[k] += 1
            i += 1

    workers = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(threads)]
    for w in workers:
        w.start()
    start_line.wait()
    started = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for w in workers:
        w.join(30)
    elapsed = time.perf_counter() - started
    store.close()
    return {
        "threads": threads,
        "seconds": round(elapsed, 2),
        "commands": sum(counts),
        "commands_per_s": round(sum(counts) / elapsed, 1),
        "events_per_s": round(2 * sum(counts) / elapsed, 1),
        "failed": sum(conflicts),
    }


# --- 4. replay -------------------------------------------------------------------------------------

STAGES: dict[str, list[str]] = {
    "script": [],
    "cast": ["script"],
    "voices": ["script"],
    "music": ["script"],
    "scenes": ["script"],
    "render": ["cast", "voices", "music", "scenes"],
    "subtitles": ["render"],
    "thumbnails": ["render"],
}
BENCH_EMAIL = "bench@example.com"
BENCH_SESSION = "bench-session-0001"


@dataclass
class History:
    """Writes a realistic log fast: whole stories of accounts, projects and films, batched appends."""

    store: Any
    batch: int = 1000
    pending: list[Any] = field(default_factory=list)
    events: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    bench_films: list[str] = field(default_factory=list)
    rng: random.Random = field(default_factory=lambda: random.Random(7))

    def add(self, event: Any, aggregate_id: uuid.UUID, version: int, command: str, actor: str) -> None:
        from schemas.envelope import wrap
        from schemas.events import CommandAccepted

        command_id = uuid.uuid4()
        self.pending.append(wrap(event, aggregate_id=aggregate_id, aggregate_version=version,
                                 causation_id=command_id, actor=actor))
        self.counts[event.type] = self.counts.get(event.type, 0) + 1
        if command:
            outcome = {"aggregate_id": str(aggregate_id), "version": version, "position": 0, "events": [event.type]}
            self.pending.append(wrap(CommandAccepted(command_type=command, outcome=outcome),
                                     aggregate_id=uuid.uuid4(), aggregate_version=1, causation_id=command_id,
                                     actor=actor))
            self.counts["CommandAccepted"] = self.counts.get("CommandAccepted", 0) + 1
        if len(self.pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.store.append(self.pending)
            self.events += len(self.pending)
            self.pending = []

    def key(self) -> str:
        return f"{self.rng.getrandbits(256):064x}"

    def film(self, project: uuid.UUID, owner: str, spec: Any, fail: bool) -> uuid.UUID:
        from schemas.events import (
            FilmCompleted,
            FilmFailed,
            FilmRequested,
            StageCompleted,
            StageFailed,
            StageProgressed,
            StageRequested,
            StageStarted,
        )

        film = uuid.uuid4()
        v = 1
        self.add(FilmRequested(project_id=str(project), owner_id=owner, spec=spec, stages=STAGES), film, v, "RequestFilm", owner)
        outputs: dict[str, dict[str, Any]] = {}
        failing = self.rng.choice(list(STAGES)) if fail else None
        for stage, deps in STAGES.items():
            worker = f"worker-{self.rng.randrange(4)}"
            steps: list[tuple[Any, str]] = [
                (StageRequested(stage=stage, attempt=1, inputs={d: outputs[d] for d in deps}), "RequestStage"),
                (StageStarted(stage=stage, attempt=1, worker=worker), "StartStage"),
                *[(StageProgressed(stage=stage, attempt=1, fraction=f, message=f"{stage} {int(100 * f)}%"), "")
                  for f in (0.25, 0.5, 0.75)],
            ]
            if stage == failing:
                steps += [(StageFailed(stage=stage, attempt=1, reason="no voice for that language", retryable=False), "FailStage"),
                          (FilmFailed(stage=stage, reason="no voice for that language"), "FailFilm")]
            else:
                outputs[stage] = {"file": self.key() + ".bin", "manifest": self.key() + ".json"}
                steps.append((StageCompleted(stage=stage, attempt=1, output=outputs[stage],
                                             seconds=round(self.rng.uniform(2, 60), 1)), "CompleteStage"))
            for event, command in steps:
                v += 1
                self.add(event, film, v, command, worker if command in ("StartStage", "CompleteStage", "FailStage") else "system")
            if stage == failing:
                return film
        v += 1
        self.add(FilmCompleted(outputs=outputs, seconds=sum(self.rng.uniform(2, 60) for _ in STAGES)), film, v,
                 "CompleteFilm", "system")
        return film

    def account(self, email: str, projects: int, session: str | None = None) -> None:
        from commands.account import account_id_for
        from schemas.events import AccountRegistered, LoggedIn, ProjectCreated, ProjectUpdated
        from schemas.film import FilmSpec

        account = account_id_for(email)
        owner = str(account)
        self.add(AccountRegistered(email=email, display_name=email.split("@")[0], password_hash="$argon2id$bench"),
                 account, 1, "RegisterAccount", "anonymous")
        self.add(LoggedIn(session_id=session or uuid.uuid4().hex), account, 2, "LogIn", "anonymous")
        for p in range(projects):
            project = uuid.uuid4()
            spec = FilmSpec(title=f"Project {p}", script=SPEC_SCRIPT)
            self.add(ProjectCreated(owner_id=owner, spec=spec), project, 1, "CreateProject", owner)
            self.add(ProjectUpdated(changes={"title": f"Project {p} (final)"}), project, 2, "UpdateProject", owner)
            self.add(ProjectUpdated(changes={"music": "ambient"}), project, 3, "UpdateProject", owner)
            for _ in range(1 if session else self.rng.choice((1, 1, 2))):
                film = self.film(project, owner, spec, fail=self.rng.random() < 0.1)
                if session:
                    self.bench_films.append(str(film))

    def write(self, target: int) -> None:
        self.account(BENCH_EMAIL, 25, session=BENCH_SESSION)
        n = 0
        while self.events + len(self.pending) < target:
            n += 1
            self.account(f"creator{n}@example.com", self.rng.choice((1, 2, 3, 4)))
        self.flush()


def replay(store_url: str, views_url: str, events: int) -> dict[str, Any]:
    """Write `events` of history, then rebuild every projection from it and time that."""
    from events.backends import open_event_store
    from projections.base import ProjectionRunner
    from projections.catalog import all_projections
    from projections.database import open_views

    store = open_event_store(store_url)
    history = History(store)
    started = time.perf_counter()
    history.write(events)
    written = time.perf_counter() - started
    views = open_views(views_url)
    runner = ProjectionRunner(store, views, all_projections())
    runner.setup()
    per: dict[str, Any] = {}
    cpu = time.process_time()
    started = time.perf_counter()
    for name in runner.projections:
        t = time.perf_counter()
        applied = runner.rebuild(name)
        seconds = time.perf_counter() - t
        per[name] = {"events_applied": applied, "seconds": round(seconds, 2),
                     "log_events_per_s": round(history.events / seconds)}
    total = time.perf_counter() - started
    cpu = time.process_time() - cpu
    films = views.query("SELECT status, COUNT(*) AS n FROM films GROUP BY status")
    log_size = store.last_position()
    store.close()
    views.close()
    rate = history.events / total
    return {
        "log_events": history.events,
        "last_position": log_size,
        "event_types": dict(sorted(history.counts.items())),
        "write_seconds": round(written, 1),
        "write_events_per_s": round(history.events / written),
        "rebuild_seconds": round(total, 2),
        "events_per_s": round(rate),
        "rebuild_cpu_seconds": round(cpu, 2),
        "events_per_cpu_second": round(history.events / cpu),
        "per_projection": per,
        "films_by_status": {r["status"]: r["n"] for r in films},
        "target_events_per_s": TARGETS["replay_events_per_s"],
        "pass": passes(rate, TARGETS["replay_events_per_s"], at_most=False),
        "bench_films": history.bench_films,
    }


# --- 5. gateway ------------------------------------------------------------------------------------


def serve_gateway(data_dir: Path, port: int) -> None:
    """Subprocess entry: the embedded studio with its gateway, as `filmstudio up` runs it."""
    import uvicorn

    from gateway.app import create_app
    from infra.container import build_studio
    from infra.settings import Settings

    studio = build_studio(Settings(data_dir=data_dir, stage_set="titlecards", environment="test"))
    studio.start_embedded()
    try:
        uvicorn.run(create_app(studio), host="127.0.0.1", port=port, log_level="warning")
    finally:
        studio.stop()


@contextmanager
def gateway_process(data_dir: Path, logs: Path) -> Iterator[tuple[str, int]]:
    import httpx

    from tests.support.postgres import free_port

    port = free_port()
    out = (logs / "gateway.log").open("wb")
    proc = subprocess.Popen([sys.executable, __file__, "serve-gateway", str(data_dir), str(port)], cwd=ROOT,
                            stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        up = wait_for(lambda: _answers(httpx, url + "/openapi.json"), 60)
        if not up:
            raise RuntimeError("the gateway did not start:\n" + (logs / "gateway.log").read_text()[-3000:])
        yield url, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _answers(httpx: Any, url: str) -> bool:
    try:
        return bool(httpx.get(url, timeout=2).status_code == 200)
    except httpx.HTTPError:
        return False


def settle_followers(data_dir: Path) -> None:
    """Put the embedded processors and workers at the head of the generated log, as in a studio that has
    been running all along; otherwise the gateway process would spend the run re-processing history."""
    from events.store import AlreadyTracked, Tracking
    from infra.container import build_studio
    from infra.settings import Settings

    studio = build_studio(Settings(data_dir=data_dir, stage_set="titlecards", environment="test"))
    head = studio.store.last_position()
    for follower in studio.embedded_followers():
        with suppress(AlreadyTracked):
            studio.store.track(Tracking(follower.name, head))
    studio.stop()


def gateway_reads(data_dir: Path, logs: Path, films: list[str], rate: float, seconds: float) -> dict[str, Any]:
    import httpx

    from commands.account import account_id_for
    from gateway.security import Tokens
    from infra.settings import Settings

    token = Tokens.from_settings(Settings(environment="test")).issue(account_id_for(BENCH_EMAIL), BENCH_SESSION)
    headers = {"Authorization": f"Bearer {token.access_token}"}
    settle_followers(data_dir)
    with gateway_process(data_dir, logs) as (url, pid):
        routes = {"/api/projects": None, f"/api/films/{films[0]}": None}
        for route in routes:
            routes[route] = httpx.get(url + route, headers=headers, timeout=10).status_code
        paths = []
        if routes["/api/projects"] == 200:
            paths.append("/api/projects")
        if routes[f"/api/films/{films[0]}"] == 200:
            paths += [f"/api/films/{f}" for f in films[:20]]
        if not paths:
            paths, note = ["/openapi.json"], "dashboard routes missing: measured GET /openapi.json"
        else:
            note = "GET /api/projects (20 newest of 25) and GET /api/films/{id} (20 films) alternately"
        # Alternate list and film reads: the list first, then the films in turn.
        mix = [p for f in paths[1:] for p in (paths[0], f)] if len(paths) > 1 else paths
        server_cpu, client_cpu = process_cpu(pid), time.process_time()
        result = asyncio.run(http_fixed_rate(url, mix, rate, seconds, headers))
        server_cpu, client_cpu = process_cpu(pid) - server_cpu, time.process_time() - client_cpu
        result["server_cpu_ms_per_request"] = round(1000 * server_cpu / result["requests"], 2)
        result["client_cpu_ms_per_request"] = round(1000 * client_cpu / result["requests"], 2)
    p95 = result["latency_ms_from_schedule"].get("p95")
    return {
        "routes": note,
        "route_status_before_load": routes,
        "rate_per_s": rate,
        "seconds": seconds,
        **result,
        "target_p95_ms": TARGETS["gateway_read_p95_ms"],
        "pass": passes(p95, TARGETS["gateway_read_p95_ms"], at_most=True) and set(result["statuses"]) == {"200"},
    }


# --- main ------------------------------------------------------------------------------------------


def section(results: dict[str, Any], path: tuple[str, ...], run: Callable[[], dict[str, Any]]) -> None:
    """Run one part; a failure is reported in the JSON instead of stopping the others."""
    started = time.perf_counter()
    load, pressure = round(os.getloadavg()[0], 1), cpu_pressure()
    log(f"{'/'.join(path)} ...")
    try:
        value = run()
    except Exception as error:  # the other figures are still worth having
        value = {"error": f"{type(error).__name__}: {error}"[:2000], "pass": False}
    value["wall_seconds"] = round(time.perf_counter() - started, 1)
    value["loadavg_1m_at_start"] = load
    value["cpu_pressure_pct_at_start"] = pressure
    node = results
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value
    log(f"{'/'.join(path)}: {json.dumps({k: v for k, v in value.items() if k != 'event_types'})[:600]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="length of each fixed-rate run")
    parser.add_argument("--rate", type=float, default=100, help="commands per second for latency")
    parser.add_argument("--gateway-rate", type=float, default=200)
    parser.add_argument("--threads", type=int, default=4, help="client threads for throughput")
    parser.add_argument("--throughput-seconds", type=float, default=5)
    parser.add_argument("--events", type=int, default=100_000, help="history size for the SQLite replay")
    parser.add_argument("--pg-events", type=int, default=100_000, help="history size for the PostgreSQL replay (0: skip)")
    parser.add_argument("--skip-postgres", action="store_true", help="SQLite parts only (no PostgreSQL, no Kafka)")
    parser.add_argument("--no-diagnostics", dest="diagnostics", action="store_false",
                        help="skip the embedded run without followers")
    parser.add_argument("--only", default="", help="comma-separated parts: embedded,kafka,throughput,replay,gateway")
    args = parser.parse_args()
    only = set(filter(None, args.only.split(",")))

    def wanted(part: str) -> bool:
        return not only or part in only

    started = time.perf_counter()
    results: dict[str, Any] = {
        "bench": "events",
        "machine": {
            "cpus": os.cpu_count(),
            "loadavg_at_start": [round(x, 1) for x in os.getloadavg()],
            "cpu_pressure_pct_at_start": cpu_pressure(),
            "note": "shared machine: other engineers' jobs run at the same time; cpu_pressure_pct is the share of "
            "time some task waited for a CPU (PSI some avg10). Latencies are inflated when it is high",
        },
        "definitions": DEFINITIONS,
    }
    workdir = Path(tempfile.mkdtemp(prefix="bench-events-"))
    (workdir / "logs").mkdir()
    if wanted("embedded"):
        section(results, ("command_to_visible", "embedded"), lambda: embedded_latency(workdir, args.rate, args.seconds))
        if args.diagnostics:
            section(results, ("command_to_visible", "embedded_projector_only"),
                    lambda: embedded_latency(workdir, args.rate, args.seconds / 2, followers=False))
    if wanted("throughput"):
        section(results, ("throughput", "sqlite"),
                lambda: command_throughput(f"sqlite:///{workdir}/throughput/events.db", args.threads, args.throughput_seconds))
    replay_dir = workdir / "replay"
    if wanted("replay") or wanted("gateway"):
        section(results, ("replay", "sqlite"),
                lambda: replay(f"sqlite:///{replay_dir}/events.db", f"sqlite:///{replay_dir}/views.db", args.events))
    films = results.get("replay", {}).get("sqlite", {}).pop("bench_films", [])
    if wanted("gateway"):
        section(results, ("gateway",),
                lambda: gateway_reads(replay_dir, workdir / "logs", films, args.gateway_rate, args.seconds))
    if not args.skip_postgres and (wanted("kafka") or wanted("throughput") or (wanted("replay") and args.pg_events)):
        from tests.support.postgres import create_database, running_postgres

        with running_postgres() as pg:
            if wanted("kafka"):
                section(results, ("command_to_visible", "kafka"), lambda: kafka_latency(pg, workdir, args.rate, args.seconds))
            if wanted("throughput"):
                section(results, ("throughput", "postgres"),
                        lambda: command_throughput(create_database(pg, "throughput"), args.threads, args.throughput_seconds))
            if wanted("replay") and args.pg_events:
                def pg_replay() -> dict[str, Any]:
                    url = create_database(pg, "replay")
                    value = replay(url, url, args.pg_events)
                    value.pop("bench_films", None)
                    return value

                section(results, ("replay", "postgres"), pg_replay)
    results["machine"]["loadavg_at_end"] = [round(x, 1) for x in os.getloadavg()]
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    results["targets"] = TARGETS
    results["summary"] = summarise(results)
    shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(results))


def summarise(results: dict[str, Any]) -> dict[str, Any]:
    """The headline figure of each part beside its target."""
    ctv = results.get("command_to_visible", {})
    replays = results.get("replay", {})
    out: dict[str, Any] = {}
    for transport in ("embedded", "kafka"):
        if transport in ctv:
            part = ctv[transport]
            out[f"{transport}_visible_p99_ms"] = {"value": part.get("visible_ms", {}).get("p99"),
                                                   "p50": part.get("visible_ms", {}).get("p50"),
                                                   "target": part.get("target_p99_ms"), "pass": part["pass"]}
    for backend, part in results.get("throughput", {}).items():
        out[f"throughput_{backend}_commands_per_s"] = {"value": part.get("commands_per_s"), "target": None}
    for backend, part in replays.items():
        out[f"replay_{backend}_events_per_s"] = {"value": part.get("events_per_s"),
                                                 "target": TARGETS["replay_events_per_s"], "pass": part["pass"]}
    if "gateway" in results:
        part = results["gateway"]
        out["gateway_read_p95_ms"] = {"value": part.get("latency_ms_from_schedule", {}).get("p95"),
                                      "target": TARGETS["gateway_read_p95_ms"], "pass": part["pass"]}
    return out


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "serve-gateway":
        serve_gateway(Path(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
