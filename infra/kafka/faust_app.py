"""The pipeline processor as a stateless faust-streaming agent over the events topic."""

from __future__ import annotations

import asyncio
from typing import Any

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

    class QuickFetchThread(AIOKafkaConsumerThread):  # type: ignore[misc]
        def _create_worker_consumer(self, transport: Any) -> Any:
            consumer = super()._create_worker_consumer(transport)
            consumer._fetch_max_wait_ms = FETCH_WAIT_MS
            return consumer

    class QuickFetchConsumer(Consumer):  # type: ignore[misc]
        def _new_consumer_thread(self) -> Any:
            return QuickFetchThread(self, loop=self.loop, beacon=self.beacon)

    class QuickFetchTransport(Transport):  # type: ignore[misc]
        Consumer = QuickFetchConsumer

    return QuickFetchTransport


def create_faust_app(
    processor: PipelineProcessor,
    bootstrap: str,
    topics: Topics,
    app_id: str = "filmstudio-pipeline",
    datadir: str | None = None,
) -> Any:
    """A faust App whose one agent turns film events into the next commands."""
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

    return app


_transport: Any = None
