"""Builds the YouTube parts for a studio: vault, quota ledger, client, connect flow and the uploader."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from events.store import Tracking
from infra.youtube.client import YouTubeClient
from infra.youtube.config import YouTubeSettings
from infra.youtube.oauth import ConnectFlow
from infra.youtube.quota import QuotaLedger
from infra.youtube.vault import TokenVault
from processors.follower import Follower
from processors.youtube_uploader import TRIGGERS, YouTubeUploader, artifact_paths
from schemas.credits import credit_account_id
from schemas.envelope import Envelope

if TYPE_CHECKING:
    from infra.container import Studio

EXTRA = "youtube"
PUBLISHER_GROUP = "youtube-publishers"


@dataclass
class YouTube:
    """Everything YouTube publishing needs in one process."""

    settings: YouTubeSettings
    vault: TokenVault
    quota: QuotaLedger
    client: YouTubeClient
    connect: ConnectFlow

    def uploader(self, studio: Studio, name: str | None = None) -> YouTubeUploader:
        return YouTubeUploader(
            studio.bus, self.client, artifact_paths(studio.artifacts), name=name, allowed=plan_refusal(studio)
        )


def plan_refusal(studio: Studio) -> Callable[[str], str | None]:
    """Why an account's plan does not allow YouTube publishing (None when it does)."""

    def refusal(owner_id: str) -> str | None:
        catalogue = studio.catalogue
        state, _ = studio.bus.state_of("credit", credit_account_id(owner_id))
        plan = catalogue.plan(getattr(state, "plan", catalogue.default_plan))
        if "youtube" in plan.features:
            return None
        with_it = (
            " or ".join(p.name for p in catalogue.plans if "youtube" in p.features) or "a plan that has it"
        )
        return f"Publishing to YouTube is not part of the {plan.name} plan. Upgrade to {with_it} (GET /api/plans)."

    return refusal


def youtube_of(studio: Studio, settings: YouTubeSettings | None = None) -> YouTube:
    """The studio's YouTube parts, built once (tests pass settings pointing at the fake)."""
    existing = studio.extras.get(EXTRA)
    if isinstance(existing, YouTube) and settings is None:
        return existing
    settings = settings or YouTubeSettings()
    vault = TokenVault(studio.views, settings.vault_keys(studio.settings.jwt_secret))
    quota = QuotaLedger(studio.views, settings.daily_quota)
    vault.setup()
    quota.setup()
    youtube = YouTube(
        settings, vault, quota, YouTubeClient(settings, vault, quota), ConnectFlow(settings, vault)
    )
    studio.extras[EXTRA] = youtube
    return youtube


def publishing_followers(studio: Studio, name: str = "youtube-publisher") -> list[Follower]:
    """The uploader following the log in this process (embedded transport)."""
    uploader = youtube_of(studio).uploader(studio)
    return [Follower(name, studio.store, uploader.handle, types=TRIGGERS)]


def publisher_loop(studio: Studio, transport: str, name: str | None, stop: threading.Event) -> None:
    """Run the uploader until `stop`: following the event store, or in the Kafka consumer group."""
    uploader = youtube_of(studio).uploader(studio, name=name)
    if transport == "embedded":
        follower = Follower("youtube-publisher", studio.store, uploader.handle, types=TRIGGERS).start()
        stop.wait()
        follower.stop()
        return
    from infra.kafka.consumer import consume
    from infra.kafka.topics import Topics, ensure_topics

    settings = studio.settings
    topics = Topics(settings.kafka_topic_prefix, settings.kafka_partitions)
    ensure_topics(settings.kafka_bootstrap_servers, [topics.events], topics.partitions)

    def handle(event: Envelope, tracking: Tracking) -> None:
        # The events topic carries everything; skipping the rest needs no record (it has no effect).
        if event.type in TRIGGERS:
            uploader.handle(event, tracking)

    consume(settings.kafka_bootstrap_servers, PUBLISHER_GROUP, [topics.events], handle, stop)
