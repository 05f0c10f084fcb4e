"""A consumer-group loop (confluent-kafka) that hands each event to a handler, then commits.

Used by stage workers: partitions spread the work over processes; a killed worker's partitions
move to the others, which resume from the last committed offset. Effects are recorded with a
per-partition tracking position in the event store, so a message seen twice is done once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from events.store import Tracking
from infra.kafka.topics import consumer_config
from schemas.envelope import Envelope

log = logging.getLogger(__name__)

Handler = Callable[[Envelope, Tracking], None]


def tracking_name(consumer: str, topic: str, partition: int) -> str:
    """Positions increase within a partition (the relay publishes in log order), so track per partition."""
    return f"{consumer}:{topic}:{partition}"


def consume(
    bootstrap: str,
    group: str,
    topics: list[str],
    handler: Handler,
    stop: threading.Event,
    on_assign: Callable[[list[int]], None] | None = None,
) -> None:
    from confluent_kafka import Consumer, KafkaError, KafkaException

    consumer = Consumer(consumer_config(bootstrap, group))

    def assigned(_consumer: object, partitions: list) -> None:  # type: ignore[type-arg]
        log.info("%s assigned %s", group, [(p.topic, p.partition) for p in partitions])
        if on_assign is not None:
            on_assign([p.partition for p in partitions])

    consumer.subscribe(topics, on_assign=assigned)
    try:
        while not stop.is_set():
            message = consumer.poll(0.2)
            if message is None:
                continue
            if message.error():
                if message.error().code() != KafkaError._PARTITION_EOF:
                    log.warning("consumer %s: %s", group, message.error())
                continue
            envelope = Envelope.model_validate_json(message.value())
            assert envelope.position is not None
            handler(
                envelope,
                Tracking(tracking_name(group, message.topic(), message.partition()), envelope.position),
            )
            try:
                consumer.commit(message=message, asynchronous=False)
            except KafkaException as error:
                # The effect is already recorded with its tracking position: a redelivery is skipped.
                log.warning("consumer %s could not commit (%s); the message may be seen again", group, error)
    finally:
        consumer.close()
