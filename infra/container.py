"""The composition root: builds every component from settings, with overridable dependencies."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any

from commands.bus import CommandBus
from commands.plan_rules import ScriptMeasure
from events.backends import open_event_store
from events.recorder_store import RecorderEventStore
from gpu_stages.contract import ArtifactStore
from infra.film_length import measure_script
from infra.plan_catalogue import load_catalogue
from infra.settings import Settings
from processors.credit_saga import TRIGGERS as CREDIT_SAGA_TRIGGERS
from processors.credit_saga import CreditSaga
from processors.credit_sweeper import CreditSweeper
from processors.follower import Follower
from processors.pipeline import TRIGGERS as PIPELINE_TRIGGERS
from processors.pipeline import PipelineProcessor
from processors.priority_follower import PriorityFollower
from processors.stage_worker import StageRunner, StageWorker
from processors.suspension import TRIGGERS as SUSPENSION_TRIGGERS
from processors.suspension import SuspensionProcessor
from projections.base import ProjectionRunner
from projections.catalog import all_projections
from projections.database import ViewDatabase, open_views
from schemas.envelope import Envelope
from schemas.plans import Catalogue

CREDIT_SWEEPER = "credit-sweeper"


def stage_slot(event: Envelope, slots: int) -> int:
    """Which embedded worker slot runs a stage request: spread by film and stage, stable across restarts."""
    key = f"{event.aggregate_id}:{event.payload.get('stage', '')}".encode()
    return zlib.crc32(key) % slots


@dataclass
class Studio:
    """Everything one process of the studio needs, wired together."""

    settings: Settings
    store: RecorderEventStore
    bus: CommandBus
    views: ViewDatabase
    projector: ProjectionRunner
    artifacts: ArtifactStore
    runner: StageRunner
    pipeline: dict[str, list[str]]
    followers: list[Follower] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)
    catalogue: Catalogue = field(default_factory=load_catalogue)
    measure: ScriptMeasure = measure_script

    def pipeline_processor(self) -> PipelineProcessor:
        from infra.moderation.terms import content_check

        screen = content_check(self.settings.moderation_dir).screen
        return PipelineProcessor(self.bus, backoff_base=self.settings.retry_backoff_seconds, screen=screen)

    def suspension_processor(self) -> SuspensionProcessor:
        return SuspensionProcessor(self.bus, self.views, self.projector.wait_until)

    def stage_worker(self, stages: list[str] | None = None, name: str | None = None) -> StageWorker:
        return StageWorker(self.bus, self.runner, stages or (), name=name)

    def credit_saga(self) -> CreditSaga:
        return CreditSaga(self.bus, self.catalogue.cancel_policy)

    def credit_sweeper(self) -> CreditSweeper:
        return CreditSweeper(
            self.bus, self.views, self.catalogue.default_plan, self.settings.credit_sweep_seconds
        )

    def embedded_followers(self) -> list[Follower]:
        """The pipeline and suspension processors and the worker slots, following the log in this process."""
        pipeline = self.pipeline_processor()
        followers = [
            Follower("pipeline", self.store, pipeline.handle, types=PIPELINE_TRIGGERS),
            Follower("suspension", self.store, self.suspension_processor().handle, types=SUSPENSION_TRIGGERS),
            Follower("credit-saga", self.store, self.credit_saga().handle, types=CREDIT_SAGA_TRIGGERS),
        ]
        slots = max(1, self.settings.worker_slots)
        for slot in range(slots):
            worker = self.stage_worker(name=f"embedded-{slot}")
            followers.append(
                PriorityFollower(  # higher-priority (plan) stage requests first
                    f"worker:{slot}",
                    self.store,
                    worker.handle,
                    types=("StageRequested",),
                    accept=lambda e, s=slot: stage_slot(e, slots) == s,  # type: ignore[misc]
                )
            )
        followers.extend(self.publishing_followers())
        return followers

    def publishing_followers(self) -> list[Follower]:
        """The YouTube uploader and its publish-when-done policy."""
        from infra.youtube.wiring import publishing_followers

        return publishing_followers(self)

    def start_embedded(self) -> None:
        self.projector.setup()
        self.projector.start()
        self.followers = [f.start() for f in self.embedded_followers()]
        from infra.crm import embedded_crm  # Salesforce mirror and e-mail notifier, when configured

        self.extras["crm"] = [service.start() for service in embedded_crm(self)]
        self.extras[CREDIT_SWEEPER] = self.credit_sweeper().start()

    def stop(self) -> None:
        for follower in self.followers:
            follower.stop()
        for service in self.extras.get("crm", []):
            service.stop()
        if (sweeper := self.extras.pop(CREDIT_SWEEPER, None)) is not None:
            sweeper.stop()
        self.projector.stop()
        self.store.close()
        self.views.close()


def open_artifacts(settings: Settings) -> ArtifactStore:
    url = settings.resolved_storage_url()
    if url.startswith("file://"):
        from pathlib import Path

        from gpu_stages.contract import LocalArtifactStore

        return LocalArtifactStore(Path(url.removeprefix("file://")))
    if url.startswith("s3://"):
        from infra.storage_s3 import S3ArtifactStore

        return S3ArtifactStore.from_url(
            url, endpoint_url=settings.s3_endpoint_url, cache_dir=settings.data_dir / "cache"
        )
    raise ValueError(f"unsupported storage URL {url!r}: use file:///path or s3://bucket/prefix")


def choose_pipeline(settings: Settings, artifacts: ArtifactStore) -> tuple[StageRunner, dict[str, list[str]]]:
    """The stage set: the full film pipeline, or title cards (fast, for smoke tests)."""
    if settings.stage_set == "studio":
        try:
            from gpu_stages.film_pipeline import FILM_STAGES, FilmStageRunner
        except ImportError:
            pass
        else:
            return FilmStageRunner(artifacts, engines=settings.model_engines()), FILM_STAGES
    from gpu_stages.titlecards import TITLECARD_STAGES, TitleCardRunner

    return TitleCardRunner(artifacts), TITLECARD_STAGES


def build_studio(
    settings: Settings | None = None,
    *,
    runner: StageRunner | None = None,
    pipeline: dict[str, list[str]] | None = None,
    artifacts: ArtifactStore | None = None,
) -> Studio:
    """Build the studio from settings; tests pass fakes for the runner or the artifact store."""
    settings = settings or Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = open_event_store(settings.resolved_event_store_url(), create_tables=settings.create_tables)
    views = open_views(settings.resolved_views_url())
    artifacts = artifacts or open_artifacts(settings)
    if runner is None:
        runner, default_pipeline = choose_pipeline(settings, artifacts)
        pipeline = pipeline or default_pipeline
    assert pipeline is not None, "pass the pipeline with a custom runner"
    projector = ProjectionRunner(store, views, all_projections())
    bus = CommandBus(store)
    catalogue = load_catalogue(settings.plans_file)
    return Studio(settings, store, bus, views, projector, artifacts, runner, pipeline, catalogue=catalogue)
