"""The pipeline (and suspension) processors as stateless faust-streaming agents over the events topic."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from events.store import Tracking
from infra.kafka.consumer import tracking_name
from infra.kafka.topics import Topics
from processors.pipeline import TRIGGERS, PipelineProcessor
from schemas.envelope import Envelope

FETCH_WAIT_MS = 10
"""faust's consumer waits 1.5 s per fetch; on a quiet topic that is 1.5 s added to every hop."""


def quick_fetch_transport() -> type:
    """The aiokafka transport with a short fetch wait (faust exposes no setting for it)."""
    from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread, Consumer, Transport

    class QuickFetchThread(AIOKafkaConsumerThread):
        def _create_worker_consumer(self, transport: Any) -> Any:
            consumer = super()._create_worker_consumer(transport)
            consumer._fetch_max_wait_ms = FETCH_WAIT_MS
            return consumer

    class QuickFetchConsumer(Consumer):
        def _new_consumer_thread(self) -> Any:
            return QuickFetchThread(self, loop=self.loop, beacon=self.beacon)

    class QuickFetchTransport(Transport):
        Consumer = QuickFetchConsumer

    return QuickFetchTransport


class EventProcessor(Protocol):
    """A further processor with its own agent on the events topic (the suspension policy)."""

    name: str
    triggers: tuple[str, ...]

    def handle(self, event: Envelope, tracking: Tracking) -> None: ...


def create_faust_app(
    processor: PipelineProcessor,
    bootstrap: str,
    topics: Topics,
    app_id: str = "filmstudio-pipeline",
    datadir: str | None = None,
    others: Sequence[EventProcessor] = (),
    on_handled: Callable[[int], None] | None = None,
) -> Any:
    """A faust App whose agents turn events into the next commands: the pipeline's, and one per other
    processor; `on_handled` hears each handled position (for the health endpoint)."""
    import faust
    from faust.transport.drivers import TRANSPORTS

    TRANSPORTS.aliases["filmstudio"] = f"{__name__}:_transport"
    global _transport
    _transport = quick_fetch_transport()
    app = faust.App(
        app_id,
        broker=f"filmstudio://{bootstrap}",
        value_serializer="raw",
        consumer_auto_offset_reset="earliest",
        topic_allow_declare=False,
        topic_disable_leader=True,
        web_enabled=False,
        broker_session_timeout=6.0,
        broker_heartbeat_interval=1.0,
        broker_commit_every=1,
        producer_acks=1,
        # faust keeps table state under its datadir (default: the working directory); keep it with our data.
        datadir=datadir or f"{app_id}-data",
    )
    events = app.topic(topics.events, value_serializer="raw", partitions=topics.partitions)

    @app.agent(events)
    async def pipeline(stream: Any) -> None:
        async for event in stream.events():
            # The relay's `type` header lets us skip most events without parsing them.
            kind = dict(event.headers or {}).get("type")
            if kind is not None and kind.decode() not in TRIGGERS:
                continue
            envelope = Envelope.model_validate_json(event.value)
            if envelope.type not in TRIGGERS or envelope.position is None:
                continue
            name = tracking_name("pipeline", event.message.topic, event.message.partition)
            # The handler does blocking database work: keep it off the event loop.
            await asyncio.to_thread(processor.handle, envelope, Tracking(name, envelope.position))
            if on_handled is not None:
                on_handled(envelope.position)

    for other in others:
        _add_agent(app, events, other, on_handled)
    return app


def _add_agent(app: Any, events: Any, processor: EventProcessor, on_handled: Callable[[int], None] | None) -> None:
    """An agent (named after the processor) that hands it the events it triggers on."""

    async def agent(stream: Any) -> None:
        async for event in stream.events():
            kind = dict(event.headers or {}).get("type")
            if kind is not None and kind.decode() not in processor.triggers:
                continue
            envelope = Envelope.model_validate_json(event.value)
            if envelope.type not in processor.triggers or envelope.position is None:
                continue
            name = tracking_name(processor.name, event.message.topic, event.message.partition)
            await asyncio.to_thread(processor.handle, envelope, Tracking(name, envelope.position))
            if on_handled is not None:
                on_handled(envelope.position)

    app.agent(events, name=processor.name)(agent)


_transport: Any = None
