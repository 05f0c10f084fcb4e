"""Health: the gateway's /healthz and /readyz, the processes' tiny endpoint, and the probes in deploy/."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from infra.health import HealthServer, Probe, Progress
from infra.settings import Settings
from schemas.commands import RegisterAccount
from tests.gateway.conftest import is_problem, make_app, make_studio, stop

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
LONG_RUNNING = {"relay", "processors", "worker", "projector"}


def get(url: str) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


# --- the gateway --------------------------------------------------------------------------------------


def test_gateway_is_alive_and_ready_with_its_projection_lag(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ready" and body["lag"] >= 0 and "accounts" in body["positions"]
    assert body["head"] >= max(body["positions"].values())


def test_readyz_answers_503_when_the_read_models_are_behind_more_than_asked(tmp_path: Path) -> None:
    studio = make_studio(tmp_path, workers=False)
    studio.projector.stop()  # nothing applies new events now
    try:
        studio.bus.handle(RegisterAccount(email="late@example.com", display_name="L", password_hash="h"))
        with TestClient(make_app(studio)) as c:
            assert c.get("/readyz").json()["lag"] >= 1
            body = is_problem(c.get("/readyz", params={"max_lag": 0}), 503)
            assert "projector" in body["detail"]
            assert c.get("/healthz").status_code == 200  # liveness never depends on the databases
    finally:
        stop(studio)


# --- the processes' endpoint ----------------------------------------------------------------------------


def test_process_endpoint_reports_position_head_and_lag() -> None:
    progress = Progress()
    progress.record(7)
    server = HealthServer(Probe("worker", progress, lambda: 10), port=0, host="127.0.0.1").start()
    try:
        base = f"http://127.0.0.1:{server.port}"
        status, body = get(f"{base}/healthz")
        assert status == 200 and body["role"] == "worker" and (body["position"], body["head"], body["lag"]) == (7, 10, 3)
        assert get(f"{base}/readyz")[0] == 200
        assert get(f"{base}/nope")[0] == 404
    finally:
        server.stop()


def test_a_stalled_relay_fails_liveness_and_one_that_keeps_up_does_not() -> None:
    now, position = [0.0], [5]
    probe = Probe("relay", lambda: position[0], lambda: 9, stall_seconds=60, clock=lambda: now[0])
    assert probe.report()[0] is True
    now[0] = 61.0
    alive, ready, report = probe.report()
    assert (alive, ready, report["status"]) == (False, False, "stalled")
    position[0] = 6  # it moved: alive again, and the stall clock restarts
    assert probe.report()[0] is True
    position[0], now[0] = 9, 500.0  # caught up: idle is fine
    assert probe.report()[0] is True


def test_an_unreadable_store_makes_a_process_unready_but_not_dead() -> None:
    def broken() -> int:
        raise ConnectionError("connection refused")

    alive, ready, report = Probe("projector", broken, broken, stall_seconds=1).report()
    assert (alive, ready) == (True, False) and "connection refused" in report["error"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_projector_process_serves_its_health_on_the_configured_port(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "FILMSTUDIO_HEALTH_PORT": str(port), "FILMSTUDIO_ENVIRONMENT": "test",
           "FILMSTUDIO_STAGE_SET": "titlecards"}  # fmt: skip
    cli = [sys.executable, "-m", "infra.cli"]
    subprocess.run([*cli, "init", "--data-dir", str(tmp_path)], env=env, check=True, capture_output=True, timeout=120)
    process = subprocess.Popen([*cli, "projector", "--data-dir", str(tmp_path)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = get(f"http://127.0.0.1:{port}/readyz")
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "the projector never opened its health port"
                time.sleep(0.2)
        assert status == 200 and body["role"] == "projector" and body["lag"] == 0
    finally:
        process.terminate()
        process.wait(timeout=20)


# --- deploy/ --------------------------------------------------------------------------------------------


def k8s_containers() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc and doc["kind"] == "Deployment":
                found += [(doc["metadata"]["name"], c) for c in doc["spec"]["template"]["spec"]["containers"]]
    return found


def test_every_k8s_process_is_probed_on_a_port_and_path_the_code_serves() -> None:
    config = next(
        d for d in yaml.safe_load_all((DEPLOY / "k8s" / "configmap.yaml").read_text()) if d and d["kind"] == "ConfigMap"
    )
    health_port = int(config["data"]["FILMSTUDIO_HEALTH_PORT"])
    assert Settings(health_port=health_port, _env_file=None).health_port == health_port  # type: ignore[call-arg]
    roles = set()
    for name, container in k8s_containers():
        role = container["args"][0]
        roles.add(role)
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        live, ready = container["livenessProbe"]["httpGet"], container["readinessProbe"]["httpGet"]
        assert (live["path"], ready["path"]) == ("/healthz", "/readyz"), name
        if role == "gateway":
            assert live["port"] == ready["port"] == "http" and ports["http"] == int(container["args"][-1])
        else:
            assert role in LONG_RUNNING and live["port"] == ready["port"] == "health", name
            assert ports["health"] == health_port, name
    assert roles == LONG_RUNNING | {"gateway"}


def test_every_compose_process_has_a_healthcheck_on_its_endpoint() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    port = compose["x-studio"]["environment"]["FILMSTUDIO_HEALTH_PORT"]
    for name, service in compose["services"].items():
        if "build" not in service or service["command"][0] == "init":
            continue
        check = " ".join(service["healthcheck"]["test"])
        role = service["command"][0]
        expected = "127.0.0.1:8000/readyz" if role == "gateway" else f"127.0.0.1:{port}/readyz"
        assert expected in check, name


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_the_gateway_probe_paths_are_routes_of_the_app(client: TestClient, path: str) -> None:
    assert path in client.get("/openapi.json").json()["paths"]
