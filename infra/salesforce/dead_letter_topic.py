"""The Kafka dead-letter topic of the Salesforce mirror: each parked record as one message, with headers
saying which record it is and why Salesforce refused it (the `sf_dead_letters` table stays the index)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from infra.kafka.topics import ensure_topics, producer_config

HEADER_PREFIX = "filmstudio-"


def letter_headers(letter: dict[str, Any]) -> list[tuple[str, bytes]]:
    """Why a record was parked, readable without parsing the value (kcat -f '%h', a console consumer)."""
    values = {
        "dead-letter-id": letter["id"],
        "reason": "rejected-by-salesforce",
        "error": letter["error"],
        "sobject": letter["sobject"],
        "external-id": letter["external_id"],
        "version": letter["version"],
        "last-event": letter["last_event"],
        "last-position": letter["last_position"],
        "failed-at": letter["failed_at"],
        "replay": f"POST /api/admin/salesforce/dead-letters/{letter['id']}/replay",
    }
    return [(HEADER_PREFIX + name, str(value).encode()) for name, value in values.items()]


class DeadLetterTopic:
    """Produces dead letters to `<prefix>.salesforce.dead-letters`, keyed by record, confirmed by the broker."""

    def __init__(self, bootstrap: str, topic: str, partitions: int, timeout: float = 15.0) -> None:
        self.bootstrap = bootstrap
        self.topic = topic
        self.partitions = partitions
        self.timeout = timeout
        self._producer: Any = None

    def _ready(self) -> Any:
        if self._producer is None:
            from confluent_kafka import Producer

            # The relay creates it too; a mirror started before the relay's first run must not auto-create it.
            ensure_topics(self.bootstrap, [self.topic], self.partitions, fix_partitions=False)
            self._producer = Producer(producer_config(self.bootstrap))
        return self._producer

    def publish(self, letters: Sequence[dict[str, Any]]) -> None:
        producer = self._ready()
        errors: list[Any] = []

        def delivered(error: Any, _message: Any) -> None:
            if error is not None:
                errors.append(error)

        for letter in letters:
            producer.produce(
                self.topic,
                key=f"{letter['sobject']}:{letter['external_id']}".encode(),
                value=json.dumps(letter, sort_keys=True, default=str).encode(),
                headers=letter_headers(letter),
                on_delivery=delivered,
            )
            producer.poll(0)
        remaining = producer.flush(self.timeout)
        if remaining or errors:
            raise ConnectionError(f"{remaining} dead letters unconfirmed, errors: {errors[:3]}")
