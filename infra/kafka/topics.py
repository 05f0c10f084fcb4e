"""Topic names, client settings and topic creation for the Kafka transport."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

RETENTION_MS = str(14 * 24 * 3600 * 1000)
PRIORITY_LEVELS = 4
"""Stage-request topics per stage, one per queue priority: 0 Free, 1 Standard, 2 Pro, 3 Enterprise."""


def priority_level(priority: int) -> int:
    """The topic level of a plan priority (higher priorities share the top level)."""
    return min(max(priority, 0), PRIORITY_LEVELS - 1)


@dataclass(frozen=True)
class Topics:
    """All topics of one studio deployment, derived from a prefix."""

    prefix: str = "filmstudio"
    partitions: int = 6

    @property
    def events(self) -> str:
        return f"{self.prefix}.events"

    @property
    def marker(self) -> str:
        """Written once when topics are created; never auto-created, so its absence means the broker lost them."""
        return f"{self.prefix}.relay-epoch"

    @property
    def salesforce_dead_letters(self) -> str:
        """Records Salesforce refused, parked by the mirror (docs/salesforce.md); the table is the index."""
        return f"{self.prefix}.salesforce.dead-letters"

    def stage_requests(self, stage: str, priority: int = 0) -> str:
        """Level 0 keeps the name it had before priorities, so requests in flight across an upgrade are
        still consumed; levels 1-3 add `.p1`..`.p3`."""
        level = priority_level(priority)
        base = f"{self.prefix}.stage-requests.{stage}"
        return base if level == 0 else f"{base}.p{level}"

    def stage_request_levels(self, stages: list[str]) -> list[list[str]]:
        """The stages' request topics grouped by level, highest level first (the order workers poll)."""
        return [[self.stage_requests(s, level) for s in stages] for level in reversed(range(PRIORITY_LEVELS))]

    def all(self, stages: list[str]) -> list[str]:
        levels = [topic for level in self.stage_request_levels(stages) for topic in level]
        return [self.events, self.marker, self.salesforce_dead_letters, *levels]


def client_config(bootstrap: str, **extra: Any) -> dict[str, Any]:
    """Settings that work with Apache Kafka and with the bundled Tansu dev broker alike."""
    return {"bootstrap.servers": bootstrap, "socket.connection.setup.timeout.ms": 5000, **extra}


def consumer_config(bootstrap: str, group: str, **extra: Any) -> dict[str, Any]:
    return client_config(
        bootstrap,
        **{
            "group.id": group,
            "enable.auto.commit": False,
            # Tansu's latest-offset lookup is wrong, so a new group reads from the start; tracking skips repeats.
            "auto.offset.reset": "earliest",
            "session.timeout.ms": 6000,
            "heartbeat.interval.ms": 1000,
            "fetch.wait.max.ms": 10,
            "max.poll.interval.ms": 1_800_000,
            **extra,
        },
    )


def producer_config(bootstrap: str) -> dict[str, Any]:
    return client_config(bootstrap, **{"enable.idempotence": True, "acks": "all", "linger.ms": 2})


def ensure_topics(
    bootstrap: str, names: list[str], partitions: int, timeout: float = 10.0, fix_partitions: bool = True
) -> list[str]:
    """Create missing topics (and, unless told not to, fix auto-created ones with the wrong partition
    count); return those created."""
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient(client_config(bootstrap))
    existing = admin.list_topics(timeout=timeout).topics
    wrong = [
        n for n in names if fix_partitions and n in existing and len(existing[n].partitions) != partitions
    ]
    if wrong:
        for future in admin.delete_topics(wrong, operation_timeout=timeout).values():
            future.result()
    missing = [n for n in names if n not in existing or n in wrong]
    if not missing:
        return []
    futures = admin.create_topics(
        [
            NewTopic(
                n, num_partitions=partitions, replication_factor=1, config={"retention.ms": RETENTION_MS}
            )
            for n in missing
        ],
        operation_timeout=timeout,
    )
    for future in futures.values():
        future.result()
    return missing


def topic_exists(bootstrap: str, name: str, timeout: float = 5.0) -> bool:
    from confluent_kafka.admin import AdminClient

    return name in AdminClient(client_config(bootstrap)).list_topics(timeout=timeout).topics
