"""The relay: publishes the event store's notification log to Kafka, at least once, in order.

Its position is recorded in the event store only after the broker confirmed every message of a
batch. If the broker lost its topics (a restart of an in-memory broker), the relay starts a new
generation and republishes the whole log; consumers skip what they already did.
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import suppress
from typing import Any

from events.store import AlreadyTracked, EventStore, Tracking
from infra.kafka.topics import Topics, ensure_topics, producer_config, topic_exists
from schemas.envelope import Envelope

log = logging.getLogger(__name__)

GENERATION = "relay-generation"


class DeliveryFailed(Exception):
    """The broker did not confirm a message; the batch will be sent again."""


class Relay:
    def __init__(
        self, store: EventStore, bootstrap: str, topics: Topics, stages: list[str], batch: int = 500
    ) -> None:
        from confluent_kafka import Producer

        self.store = store
        self.bootstrap = bootstrap
        self.topics = topics
        self.stages = stages
        self.batch = batch
        self.producer = Producer(producer_config(bootstrap))
        self._stop = threading.Event()
        self.republished = 0
        self._added_checked = False

    @property
    def name(self) -> str:
        return f"relay@{self.store.tracked(GENERATION)}"

    def check_topics(self) -> bool:
        """Make sure the topics exist; True when they had to be (re)created, i.e. a new generation."""
        if topic_exists(self.bootstrap, self.topics.marker):
            if not self._added_checked:
                # Topics a newer release added (the priority levels) are created without a new generation.
                ensure_topics(
                    self.bootstrap, self.topics.all(self.stages), self.topics.partitions, fix_partitions=False
                )
                self._added_checked = True
            return False
        created = ensure_topics(self.bootstrap, self.topics.all(self.stages), self.topics.partitions)
        generation = self.store.tracked(GENERATION) + 1
        if self.store.tracked(self.name) > 0:
            log.warning(
                "the broker lost the topics %s; republishing the log as generation %d", created, generation
            )
        with suppress(AlreadyTracked):
            self.store.track(Tracking(GENERATION, generation))
        self.producer.produce(self.topics.marker, value=str(generation).encode())
        self.producer.flush(10)
        return True

    def destinations(self, event: Envelope) -> list[tuple[str, bytes]]:
        out = [(self.topics.events, str(event.aggregate_id).encode())]
        if event.type == "StageRequested":
            stage, priority = event.payload["stage"], int(event.payload.get("priority", 0))
            topic = self.topics.stage_requests(stage, priority)
            out.append((topic, f"{event.aggregate_id}:{stage}".encode()))
        return out

    def publish_once(self) -> int:
        """Send one batch; record the position only once every message is confirmed."""
        name = self.name
        after = self.store.tracked(name)
        events = self.store.read(after=after, limit=self.batch)
        if not events:
            return 0
        errors: list[Any] = []

        def delivered(error: Any, _message: Any) -> None:
            if error is not None:
                errors.append(error)

        for event in events:
            value = event.model_dump_json().encode()
            headers: list[tuple[str, str | bytes | None]] = [
                ("type", event.type.encode()),
                ("position", str(event.position).encode()),
            ]
            for topic, key in self.destinations(event):
                self.producer.produce(topic, key=key, value=value, headers=headers, on_delivery=delivered)
                self.producer.poll(0)
        remaining = self.producer.flush(15)
        if remaining or errors:
            raise DeliveryFailed(f"{remaining} messages unconfirmed, errors: {errors[:3]}")
        self.republished += len(events) if after == 0 and name != "relay@1" else 0
        self.store.track(Tracking(name, events[-1].position or after))
        return len(events)

    def run(self, check_every: float = 1.0) -> None:
        last_check = 0.0
        while not self._stop.is_set():
            try:
                if time.monotonic() - last_check > check_every:
                    self.check_topics()
                    last_check = time.monotonic()
                if self.publish_once() == 0:
                    self.store.wait_for_events(self.store.tracked(self.name), timeout=0.2)
            except Exception:
                log.exception("relay batch failed; retrying")
                last_check = 0.0
                self._stop.wait(0.5)

    def stop(self) -> None:
        self._stop.set()
