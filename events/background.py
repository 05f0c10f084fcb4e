"""A step repeated on a daemon thread until stopped: the run loop of followers, projectors and senders."""

from __future__ import annotations

import logging
import threading
from typing import Self

log = logging.getLogger(__name__)


class BackgroundLoop:
    """Runs `step()` over and over on a daemon thread; `start()` and `stop()` it from the owner.

    `step()` does one pass and returns how many seconds to wait before the next (0: go on at once). A step
    that raises is logged and retried after `retry_seconds`: one bad event or row must never stop a process.
    """

    retry_seconds = 1.0

    def __init__(self, thread_name: str) -> None:
        self.thread_name = thread_name
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def step(self) -> float:
        """One pass of the loop; returns the pause before the next."""
        raise NotImplementedError

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                pause = self.step()
            except Exception:
                log.exception("%s failed; retrying in %.0f s", self.thread_name, self.retry_seconds)
                pause = self.retry_seconds
            if pause > 0:
                self._stop.wait(pause)

    def start(self) -> Self:
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
