"""The CRM processes built from settings: the Salesforce mirror and the e-mail notifier, embedded or on Kafka."""

from __future__ import annotations

import threading
from typing import Any, Protocol

from infra.settings import Settings
from processors.backoff import Backoff
from processors.follower import Follower
from processors.notifier import NOTIFY_TYPES, Notifier, SmtpSender, create_outbox
from processors.salesforce_mapping import MIRRORED_TYPES
from processors.salesforce_mirror import MirrorConsumer, MirrorPusher, MirrorStore
from projections.database import ViewDatabase

MIRROR_GROUP = "salesforce-mirror"
NOTIFIER_GROUP = "notifier"


class Service(Protocol):
    def start(self) -> Any: ...
    def stop(self, timeout: float = 5.0) -> None: ...


def create_crm_tables(views: ViewDatabase) -> None:
    """The mirror's `sf_*` tables and the e-mail outbox (`filmstudio init`; the processes also make sure)."""
    MirrorStore(views).setup()
    create_outbox(views)


def mirror_parts(studio: Any, kafka: bool = False) -> tuple[MirrorConsumer, MirrorPusher]:
    """The mirror's consumer and pusher for a studio (Salesforce credentials from its settings); on Kafka,
    dead letters are also produced to the dead-letter topic."""
    from infra.salesforce.client import SalesforceClient

    settings: Settings = studio.settings
    store = MirrorStore(studio.views)
    store.setup()
    dead_letters = None
    if kafka:
        from infra.kafka.topics import Topics
        from infra.salesforce.dead_letter_topic import DeadLetterTopic

        topics = Topics(settings.kafka_topic_prefix, settings.kafka_partitions)
        dead_letters = DeadLetterTopic(
            settings.kafka_bootstrap_servers, topics.salesforce_dead_letters, settings.kafka_partitions
        )
    pusher = MirrorPusher(
        store,
        SalesforceClient.from_settings(settings),
        backoff=Backoff(settings.salesforce_backoff_seconds, settings.salesforce_backoff_max_seconds),
        batch=settings.salesforce_batch_size,
        dead_letters=dead_letters,
    )
    return MirrorConsumer(studio.store, store), pusher


def notifier_parts(studio: Any) -> tuple[Notifier, SmtpSender]:
    settings: Settings = studio.settings
    assert settings.smtp_host, "set FILMSTUDIO_SMTP_HOST to send e-mail"
    notifier = Notifier(studio.store, studio.views, settings.public_url)
    notifier.setup()
    sender = SmtpSender(
        studio.views,
        settings.smtp_host,
        settings.smtp_port,
        settings.email_from,
        username=settings.smtp_username,
        password=settings.smtp_password,
        starttls=settings.smtp_starttls,
    )
    return notifier, sender


def embedded_crm(studio: Any) -> list[Service]:
    """Followers and senders to run inside the embedded studio, for whatever is configured."""
    services: list[Service] = []
    if studio.settings.smtp_host:
        notifier, sender = notifier_parts(studio)
        services += [Follower(NOTIFIER_GROUP, studio.store, notifier.handle, NOTIFY_TYPES), sender]
    if studio.settings.salesforce_enabled:
        consumer, pusher = mirror_parts(studio)
        services += [Follower(MIRROR_GROUP, studio.store, consumer.handle, MIRRORED_TYPES), pusher]
    return services


def consume_events(studio: Any, group: str, handler: Any, stop: threading.Event) -> None:
    """Run a handler over the events topic in its own consumer group until `stop` is set."""
    from infra.kafka.consumer import consume
    from infra.kafka.topics import Topics

    settings: Settings = studio.settings
    topics = Topics(settings.kafka_topic_prefix, settings.kafka_partitions)
    consume(settings.kafka_bootstrap_servers, group, [topics.events], handler, stop)
