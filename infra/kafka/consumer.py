"""A consumer-group loop (confluent-kafka) that hands each event to a handler, then commits.

Used by stage workers: partitions spread the work over processes; a killed worker's partitions
move to the others, which resume from the last committed offset. Effects are recorded with a
per-partition tracking position in the event store, so a message seen twice is done once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

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
    from confluent_kafka import Consumer

    consumer = Consumer(consumer_config(bootstrap, group))

    def assigned(_consumer: Any, partitions: list[Any]) -> None:
        log.info("%s assigned %s", group, [(p.topic, p.partition) for p in partitions])
        if on_assign is not None:
            on_assign([p.partition for p in partitions])

    consumer.subscribe(topics, on_assign=assigned)
    try:
        while not stop.is_set():
            _handle(consumer, consumer.poll(0.2), group, handler)
    finally:
        consumer.close()


def level_group(group: str, level: int) -> str:
    """Level 0 keeps the group's own name (and so its committed offsets from before priorities)."""
    return group if level == 0 else f"{group}.p{level}"


def consume_by_priority(
    bootstrap: str,
    group: str,
    levels: list[list[str]],
    handler: Handler,
    stop: threading.Event,
    join_timeout: float = 15.0,
) -> None:
    """Strict priority over topic levels (highest first): one consumer per level, each in its own group,
    and a level is served only when every higher one has nothing fetched.

    Lag figures cannot drive this (the dev broker reports wrong end offsets), so each level's consumer
    keeps prefetching in the background and the loop asks the higher ones first each time a worker is free.
    Work starts once every level has its partitions, so the first pick is already a priority pick.
    """
    from confluent_kafka import Consumer

    joined: set[int] = set()
    consumers: list[tuple[str, Any]] = []
    for index, topics in enumerate(levels):
        name = level_group(group, len(levels) - 1 - index)
        consumer = Consumer(consumer_config(bootstrap, name))

        def assigned(_consumer: Any, partitions: list[Any], index: int = index, name: str = name) -> None:
            log.info("%s assigned %s", name, [(p.topic, p.partition) for p in partitions])
            joined.add(index)

        consumer.subscribe(topics, on_assign=assigned)
        consumers.append((name, consumer))
    try:
        deadline = time.monotonic() + join_timeout
        while len(joined) < len(consumers) and time.monotonic() < deadline and not stop.is_set():
            for _, consumer in consumers:
                _handle(consumer, consumer.poll(0.05), "", None)  # joins; nothing is handled before all did
        while not stop.is_set():
            for name, consumer in consumers:
                if _handle(consumer, consumer.poll(0), name, handler):
                    break
            else:
                stop.wait(0.02)
    finally:
        for _, consumer in consumers:
            consumer.close()


def _handle(consumer: Any, message: Any, group: str, handler: Handler | None) -> bool:
    """Hand one polled message to the handler, then commit; True when a message was handled."""
    from confluent_kafka import KafkaError, KafkaException

    if message is None:
        return False
    if message.error():
        if message.error().code() != KafkaError._PARTITION_EOF:
            log.warning("consumer %s: %s", group, message.error())
        return False
    if handler is None:
        # Joining: put the fetch position back so the message is seen again once every level has joined.
        from confluent_kafka import TopicPartition

        consumer.seek(TopicPartition(message.topic(), message.partition(), message.offset()))
        return False
    envelope = Envelope.model_validate_json(message.value())
    assert envelope.position is not None
    handler(envelope, Tracking(tracking_name(group, message.topic(), message.partition()), envelope.position))
    try:
        consumer.commit(message=message, asynchronous=False)
    except KafkaException as error:
        # The effect is already recorded with its tracking position: a redelivery is skipped.
        log.warning("consumer %s could not commit (%s); the message may be seen again", group, error)
    return True
