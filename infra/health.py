"""A tiny HTTP health endpoint for the long-running processes (relay, processors, worker, projector).

`GET /healthz` (liveness) and `GET /readyz` (readiness) answer JSON: the role, the last log position the
process has processed, the log head and the lag between them. Liveness fails (503) only when a process
that should keep up has stalled: behind the head and no progress for `stall_seconds`; a restart is the
cure then. Readiness fails (503) when the event store cannot be read.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

log = logging.getLogger(__name__)

STALL_SECONDS = 120.0
"""How long the relay or projector may stay behind without moving before it counts as stalled."""


class Progress:
    """The last position a consumer handled, recorded in memory by its handler (workers, processors)."""

    def __init__(self) -> None:
        self.position = 0
        self._lock = threading.Lock()

    def record(self, position: int | None) -> None:
        with self._lock:
            self.position = max(self.position, position or 0)

    def __call__(self) -> int:
        return self.position


class Probe:
    """Liveness and readiness of one process, from the position it reached and the log head."""

    def __init__(
        self,
        role: str,
        position: Callable[[], int],
        head: Callable[[], int],
        stall_seconds: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.role = role
        self.position = position
        self.head = head
        self.stall_seconds = stall_seconds
        self.clock = clock
        self._last: tuple[int, float] | None = None
        self._lock = threading.Lock()

    def report(self) -> tuple[bool, bool, dict[str, Any]]:
        """(alive, ready, report)."""
        try:
            position, head = self.position(), self.head()
        except Exception as error:  # the store is down: not ready, but a restart would not help
            return True, False, {"role": self.role, "status": "unready", "error": f"{type(error).__name__}: {error}"}
        now = self.clock()
        with self._lock:
            if self._last is None or position != self._last[0]:
                self._last = (position, now)
            idle = now - self._last[1]
        lag = max(0, head - position)
        stalled = self.stall_seconds is not None and lag > 0 and idle > self.stall_seconds
        report = {
            "role": self.role,
            "status": "stalled" if stalled else "ok",
            "position": position,
            "head": head,
            "lag": lag,
            "seconds_since_progress": round(idle, 1),
        }
        return not stalled, not stalled, report


class HealthServer:
    """Serves a probe over HTTP in a daemon thread; port 0 picks a free port (see `.port`)."""

    def __init__(self, probe: Probe, port: int, host: str = "0.0.0.0") -> None:
        self.probe = probe

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                if path not in ("/healthz", "/readyz"):
                    self._send(404, {"detail": "Use /healthz (liveness) or /readyz (readiness)."})
                    return
                alive, ready, report = probe.report()
                self._send(200 if (alive if path == "/healthz" else ready) else 503, report)

            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                """Silent: orchestrators probe every few seconds."""
                pass

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="health", daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> HealthServer:
        self._thread.start()
        log.info("%s health endpoint on port %d", self.probe.role, self.port)
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def serve_health(port: int, probe: Probe) -> HealthServer | None:
    """Start the endpoint on FILMSTUDIO_HEALTH_PORT; None when it is 0 (off)."""
    return HealthServer(probe, port).start() if port else None
