"""`python -m infra.cli` as real subprocesses against a temporary data dir with some history in it."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from confluent_kafka.admin import AdminClient, NewTopic

from infra.container import build_studio
from infra.settings import Settings
from projections.catalog import all_projections
from tests.support.history import DAG, make_history, runner
from tests.support.postgres import free_port

REPO = Path(__file__).resolve().parents[2]


def cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "infra.cli", *args],
        cwd=REPO,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def clean_env() -> dict[str, str]:
    """The test's environment without FILMSTUDIO_* leaking in, plus a wide terminal for error panels."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("FILMSTUDIO_") and k != "KAFKA_BOOTSTRAP_SERVERS"
    }
    return {**env, "FILMSTUDIO_STAGE_SET": "titlecards", "COLUMNS": "300", "TERMINAL_WIDTH": "300"}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir holding accounts, projects and films (completed and failed), with live read models."""
    path = tmp_path_factory.mktemp("studio")
    studio = build_studio(Settings(data_dir=path, stage_set="titlecards"), runner=runner, pipeline=DAG)
    studio.projector.setup()
    make_history(studio, password_hash="argon2-secret", delete_last=False)
    studio.stop()
    return path


def stored_events(data_dir: Path) -> list[Any]:
    studio = build_studio(Settings(data_dir=data_dir, stage_set="titlecards"), runner=runner, pipeline=DAG)
    try:
        return studio.store.read(after=0, limit=100_000)
    finally:
        studio.stop()


def views(data_dir: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(data_dir / "views.db") as db:
        return {
            t: db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ("projects", "films", "audit")
        }


def test_init_creates_the_stores_in_a_fresh_data_dir_and_can_run_again(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    first = cli("init", "--data-dir", str(fresh))
    assert first.returncode == 0, first.stderr
    assert "tables ready" in first.stdout
    assert (fresh / "events.db").stat().st_size > 0 and (fresh / "views.db").stat().st_size > 0
    with sqlite3.connect(fresh / "views.db") as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"projects", "films", "accounts", "audit"} <= tables
    assert cli("init", "--data-dir", str(fresh)).returncode == 0


def test_jsonl_export_holds_every_event_in_log_order(data_dir: Path, tmp_path: Path) -> None:
    events = stored_events(data_dir)
    out = tmp_path / "events.jsonl"
    done = cli("events", "export", "--out", str(out), "--format", "jsonl", "--data-dir", str(data_dir))
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == len(events) > 20
    assert f"wrote {len(events)} events" in done.stdout
    assert [r["position"] for r in rows] == [e.position for e in events]
    assert [r["type"] for r in rows] == [e.type for e in events]
    assert {"FilmCompleted", "FilmFailed", "StageCompleted"} <= {r["type"] for r in rows}


def test_exports_never_carry_password_hashes(data_dir: Path, tmp_path: Path) -> None:
    for fmt in ("jsonl", "parquet"):
        out = tmp_path / f"events.{fmt}"
        assert (
            cli(
                "events", "export", "--out", str(out), "--format", fmt, "--data-dir", str(data_dir)
            ).returncode
            == 0
        )
        assert b"argon2-secret" not in out.read_bytes()
    registered = json.loads((tmp_path / "events.jsonl").read_text().splitlines()[0])
    assert registered["type"] == "AccountRegistered"
    assert registered["payload"]["email"] == "meera@example.com"
    assert registered["payload"]["password_hash"] == "[redacted]"


def test_parquet_export_reads_back_with_typed_columns(data_dir: Path, tmp_path: Path) -> None:
    events = stored_events(data_dir)
    out = tmp_path / "events.parquet"
    done = cli("events", "export", "--out", str(out), "--format", "parquet", "--data-dir", str(data_dir))
    assert done.returncode == 0, done.stderr
    table = pq.read_table(out)
    assert table.num_rows == len(events)
    assert table.column("position").to_pylist() == [e.position for e in events]
    assert table.schema.field("occurred_at").type == pa.timestamp("us", tz="UTC")
    payloads = [json.loads(p) for p in table.column("payload").to_pylist()]
    films = [
        p for p, t in zip(payloads, table.column("type").to_pylist(), strict=True) if t == "FilmRequested"
    ]
    assert len(films) == 3 and all("spec" in p for p in films)


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_since_exports_only_the_events_after_that_position(data_dir: Path, tmp_path: Path, fmt: str) -> None:
    total = len(stored_events(data_dir))
    since = total // 2
    out = tmp_path / f"later.{fmt}"
    args = (
        "events",
        "export",
        "--out",
        str(out),
        "--format",
        fmt,
        "--since",
        str(since),
        "--data-dir",
        str(data_dir),
    )
    assert cli(*args).returncode == 0
    if fmt == "jsonl":
        positions = [json.loads(line)["position"] for line in out.read_text().splitlines()]
    else:
        positions = pq.read_table(out).column("position").to_pylist()
    assert positions == list(range(since + 1, total + 1))


def test_an_export_past_the_end_is_empty_but_keeps_its_columns(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "none.parquet"
    done = cli(
        "events",
        "export",
        "--out",
        str(out),
        "--format",
        "parquet",
        "--since",
        "100000",
        "--data-dir",
        str(data_dir),
    )
    assert done.returncode == 0 and "wrote 0 events" in done.stdout
    table = pq.read_table(out)
    assert table.num_rows == 0
    assert {"position", "type", "aggregate_id", "occurred_at", "payload"} <= set(table.schema.names)


def test_an_unknown_export_format_is_refused_with_the_choices(data_dir: Path, tmp_path: Path) -> None:
    done = cli(
        "events", "export", "--out", str(tmp_path / "x.csv"), "--format", "csv", "--data-dir", str(data_dir)
    )
    assert done.returncode == 2
    message = " ".join(done.stderr.replace("│", " ").split())
    assert "'csv' is not a format; choose from jsonl, parquet" in message
    assert not (tmp_path / "x.csv").exists()


def test_rebuilding_all_projections_prints_counts_and_restores_the_same_views(data_dir: Path) -> None:
    before = views(data_dir)
    events = stored_events(data_dir)
    done = cli("projections", "rebuild", "all", "--data-dir", str(data_dir))
    assert done.returncode == 0, done.stderr
    counts = {
        line.split(":")[0]: int(line.split()[1]) for line in done.stdout.splitlines() if "replayed" in line
    }
    assert set(counts) == {p.name for p in all_projections()}
    studio = build_studio(Settings(data_dir=data_dir, stage_set="titlecards"), runner=runner, pipeline=DAG)
    try:
        for name, projection in studio.projector.projections.items():
            relevant = [e for e in events if not projection.types or e.type in projection.types]
            assert counts[name] == len(relevant), name
    finally:
        studio.stop()
    assert views(data_dir) == before


def test_a_worker_for_unknown_stages_fails_naming_the_valid_ones(data_dir: Path) -> None:
    done = cli("worker", "--stages", "nonsense", "--data-dir", str(data_dir))
    assert done.returncode == 2
    message = " ".join(done.stderr.replace("│", " ").split())
    assert "--stages" in message
    assert "unknown stages ['nonsense']; choose from ['cards', 'titlecards']" in message


@pytest.fixture
def broker_process() -> Iterator[tuple[subprocess.Popen[str], int]]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "infra.cli", "broker", "--port", str(port)],
        cwd=REPO,
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield proc, port
    if proc.poll() is None:
        proc.kill()
        proc.wait(10)


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.kafka
def test_the_dev_broker_serves_kafka_admin_clients_and_stops_with_its_process(broker_process: Any) -> None:
    proc, port = broker_process
    deadline = time.monotonic() + 20
    while not port_open(port):
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
        assert time.monotonic() < deadline, "the broker did not open its port"
        time.sleep(0.05)
    admin = AdminClient({"bootstrap.servers": f"127.0.0.1:{port}"})
    metadata = admin.list_topics(timeout=10)
    assert len(metadata.brokers) == 1
    assert next(iter(metadata.brokers.values())).port == port
    admin.create_topics([NewTopic("cli-check", num_partitions=3, replication_factor=1)])["cli-check"].result(
        10
    )
    assert len(admin.list_topics(timeout=10).topics["cli-check"].partitions) == 3
    proc.terminate()  # what `docker stop` or Ctrl-C does: the broker itself must go, not only Python
    proc.wait(10)
    deadline = time.monotonic() + 5
    while port_open(port) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not port_open(port), "the broker outlived the `filmstudio broker` process"
