"""Webhook delivery as Stripe does it: signed JSON POSTs, retried on failure, in no guaranteed order."""

from __future__ import annotations

import hashlib
import hmac
import json
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx

from tests.support.fakes.stripe_objects import Obj

Transport = Callable[[bytes, dict[str, str]], int]
"""Sends one webhook body with its headers; returns the receiver's HTTP status."""


def signature_header(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """`Stripe-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "t.payload" under the endpoint secret>`."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def http_transport(url: str, timeout: float = 10.0) -> Transport:
    """POSTs to a webhook endpoint over HTTP."""

    def post(body: bytes, headers: dict[str, str]) -> int:
        try:
            return httpx.post(url, content=body, headers=headers, timeout=timeout).status_code
        except httpx.HTTPError:
            return 0

    return post


@dataclass(frozen=True)
class Delivery:
    """One attempt to deliver an event, and what the endpoint answered (0: unreachable)."""

    event_id: str
    type: str
    status: int


@dataclass
class WebhookSender:
    """Signs and sends events; `auto` sends each in the background as it happens, else they wait in `outbox`."""

    secret: str
    transport: Transport | None = None
    auto: bool = True
    retries: int = 3
    retry_delay: float = 0.2
    deliveries: list[Delivery] = field(default_factory=list)
    outbox: list[Obj] = field(default_factory=list)
    _queue: queue.Queue[Obj | None] = field(default_factory=queue.Queue)
    _thread: threading.Thread | None = None
    _busy: int = 0
    _lock: threading.Condition = field(default_factory=threading.Condition)

    def body(self, event: Obj) -> bytes:
        # Stripe sends pretty-printed JSON; the signature covers these exact bytes.
        return json.dumps(event, indent=2).encode()

    def deliver(self, event: Obj, *, secret: str | None = None, timestamp: int | None = None) -> int:
        """Sends one event now, signed with the endpoint's secret (or another one, to test rejection)."""
        if self.transport is None:
            raise RuntimeError("no webhook endpoint: pass --webhook-url or a transport")
        body = self.body(event)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            "Stripe-Signature": signature_header(body, secret or self.secret, timestamp),
        }
        status = self.transport(body, headers)
        with self._lock:
            self.deliveries.append(Delivery(event["id"], event["type"], status))
        return status

    def replay(self, event: Obj) -> int:
        """Delivers an event again, as Stripe does after a timeout or from `stripe events resend`."""
        return self.deliver(event)

    def send_in_order(self, events: Sequence[Obj]) -> list[int]:
        """Delivers the given events in exactly this order (e.g. reversed, to test reordering)."""
        return [self.deliver(e) for e in events]

    def flush(self) -> list[int]:
        """Delivers everything waiting in the outbox, oldest first, and empties it."""
        waiting, self.outbox = self.outbox, []
        return self.send_in_order(waiting)

    def enqueue(self, event: Obj) -> None:
        if not self.auto or self.transport is None:
            self.outbox.append(event)
            return
        with self._lock:
            self._busy += 1
        self._queue.put(event)
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="stripe-webhooks", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while (event := self._queue.get()) is not None:
            for attempt in range(self.retries + 1):
                if 200 <= self.deliver(event) < 300:
                    break
                time.sleep(self.retry_delay * (attempt + 1))
            with self._lock:
                self._busy -= 1
                self._lock.notify_all()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Waits until every queued event was delivered (or gave up); False on timeout."""
        with self._lock:
            return self._lock.wait_for(lambda: self._busy == 0, timeout)

    def stop(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(5)
            self._thread = None
