"""The render stage: shots, animation, compositing and encoding of one rendition of the film."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Literal

import soundfile
from pydantic import BaseModel, Field

from gpu_stages.contract import ArtifactStore, Stage, StageContext
from gpu_stages.render.animate import Animator
from gpu_stages.render.compose import Compositor
from gpu_stages.render.encode import EncodeError, EncodeSettings, encode, ordered_frames
from gpu_stages.render.frame_sizes import frame_size
from gpu_stages.render.images import ImageLibrary
from gpu_stages.render.podcast_layout import PodcastCompositor, PodcastLayout
from gpu_stages.render.shots import MissingSprites, plan_shots
from gpu_stages.render.verify import RenditionInvalid, verify_rendition
from gpu_stages.render.watermark import watermark_image
from schemas.media import (
    AspectRatio,
    Backdrops,
    Cast,
    Rendition,
    Resolution,
    ScriptPlan,
    StageFailure,
    Timeline,
    VoiceTrack,
)

TIMELINE_SLACK = 1.0
"""Seconds the mixed audio may differ from the timeline before the mix is considered stale."""


class RenderSettings(BaseModel):
    """Encoder and effect settings; `draft` renders a quick 480p preview with fewer effects."""

    preset: str = "veryfast"
    crf: int = Field(20, ge=0, le=51)
    tune_animation: bool = True
    draft: bool = False
    workers: int = Field(2, ge=1, le=16, description="compositing threads working ahead of ffmpeg")
    watermark_text: str = "AI Film Studio"


class RenderInput(BaseModel):
    plan: ScriptPlan
    timeline: Timeline
    cast: Cast
    backdrops: Backdrops
    voices: VoiceTrack
    audio: str = Field(description="artifact key of the mixed WAV")
    aspect: AspectRatio = "16:9"
    resolution: Resolution = "1080p"
    fps: Literal[24, 30] = 24
    ass: str | None = Field(None, description="artifact key of the ASS subtitles for this frame size")
    watermark: bool = False
    podcast: PodcastLayout | None = Field(None, description="podcast picture; None for an ordinary film")
    hosts: list[str] = Field([], description="podcast hosts in tile order")


def frame_count(seconds: float, fps: int) -> int:
    """Frames needed so the picture lasts as long as the audio (within half a frame)."""
    return max(1, round(seconds * fps))


def build_compositor(
    inputs: RenderInput, artifacts: ArtifactStore, settings: RenderSettings, seconds: float
) -> Compositor | PodcastCompositor:
    """Plan shots and animation for the inputs and wire the compositor (raises MissingSprites)."""
    draft = settings.draft
    width, height = frame_size(inputs.aspect, "480p" if draft else inputs.resolution)
    moving = not draft and inputs.podcast is None
    shots = plan_shots(inputs.timeline, inputs.plan, inputs.cast, inputs.aspect, moving_camera=moving)
    shots = dataclasses.replace(shots, duration=seconds)
    count = frame_count(seconds, inputs.fps)
    animator = Animator(inputs.timeline, inputs.voices, inputs.cast, inputs.fps, count, lively=not draft)
    watermark = watermark_image(settings.watermark_text, height) if inputs.watermark else None
    library = ImageLibrary(artifacts.path)
    if inputs.podcast is not None:
        return PodcastCompositor(
            (width, height),
            inputs.aspect,
            inputs.hosts,
            shots,
            inputs.cast,
            inputs.backdrops,
            library,
            animator,
            watermark,
            inputs.podcast,
        )
    return Compositor((width, height), shots, inputs.cast, inputs.backdrops, library, animator, watermark)


class RenderStage(Stage[RenderSettings, RenderInput, Rendition]):
    """Composite every frame in numpy and encode H.264/AAC MP4 in one ffmpeg run."""

    name = "render"
    version = "1"

    def run(self, inputs: RenderInput, ctx: StageContext) -> Rendition | StageFailure:
        draft = self.settings.draft
        resolution: Resolution = "480p" if draft else inputs.resolution
        width, height = frame_size(inputs.aspect, resolution)
        missing = [k for k in self._needed_artifacts(inputs) if not ctx.artifacts.exists(k)]
        if missing:
            return StageFailure(
                reason=f"render inputs are missing from the artifact store: {', '.join(missing[:5])}"
            )
        audio_path = ctx.artifacts.path(inputs.audio)
        try:
            audio_seconds = float(soundfile.info(str(audio_path)).duration)
        except RuntimeError as error:
            return StageFailure(reason=f"the mixed audio {inputs.audio} cannot be read: {error}")
        if abs(audio_seconds - inputs.timeline.duration) > TIMELINE_SLACK:
            return StageFailure(
                reason=f"the mixed audio lasts {audio_seconds:.2f} s but the timeline {inputs.timeline.duration:.2f} s; "
                "mix the audio again from the current timeline"
            )
        try:
            compositor = build_compositor(inputs, ctx.artifacts, self.settings, audio_seconds)
        except MissingSprites as error:
            return StageFailure(reason=str(error))
        count = frame_count(audio_seconds, inputs.fps)
        settings = EncodeSettings(
            width,
            height,
            inputs.fps,
            preset="ultrafast" if draft else self.settings.preset,
            crf=26 if draft else self.settings.crf,
            tune="animation" if self.settings.tune_animation and not draft else None,
        )
        output = Path(ctx.work_dir) / f"film-{inputs.aspect.replace(':', 'x')}-{resolution}.mp4"
        reported = [-1.0]

        def progress(fraction: float) -> None:
            if fraction - reported[0] >= 0.01 or fraction >= 1.0:  # about a hundred updates per film
                reported[0] = fraction
                ctx.progress(
                    fraction,
                    f"rendering {inputs.aspect} {resolution}: {round(fraction * count)}/{count} frames",
                )

        try:
            encode(
                ordered_frames(compositor.frame, count, self.settings.workers),
                count,
                settings,
                audio_path,
                output,
                ctx.artifacts.path(inputs.ass) if inputs.ass else None,
                progress,
            )
            probed = verify_rendition(output, width, height, inputs.fps, audio_seconds)
        except EncodeError as error:
            output.unlink(missing_ok=True)
            return StageFailure(reason=f"encoding failed: {error}", retryable=True)
        except RenditionInvalid as error:
            output.unlink(missing_ok=True)
            return StageFailure(reason=f"the rendered film is not as asked: {error}")
        except BaseException:  # cancelled: leave no half-written film behind
            output.unlink(missing_ok=True)
            raise
        key = ctx.artifacts.put_file(output, ".mp4")
        output.unlink(missing_ok=True)
        return Rendition(
            aspect=inputs.aspect,
            resolution=resolution,
            video=key,
            duration=round(probed.video_seconds, 3),
            width=width,
            height=height,
        )

    @staticmethod
    def _needed_artifacts(inputs: RenderInput) -> list[str]:
        keys = [inputs.audio] + ([inputs.ass] if inputs.ass else [])
        for backdrop in inputs.backdrops.scenes:
            keys += backdrop.layers
        for sprites in inputs.cast.characters:
            keys += [*sprites.bodies.values(), *sprites.mouths.values(), sprites.blink]
        return keys
