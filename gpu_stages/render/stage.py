"""The render stage: shots, animation, compositing and encoding of one rendition of the film."""

from __future__ import annotations

import dataclasses
import os
import tempfile
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Literal

import soundfile
from pydantic import BaseModel, Field

from gpu_stages.contract import ArtifactStore, ProgressFn, Stage, StageContext, run_cached
from gpu_stages.render.animate import Animator
from gpu_stages.render.compose import Compositor
from gpu_stages.render.encode import (
    EncodeError,
    EncodeSettings,
    encode,
    encode_audio,
    join_segments,
    ordered_frames,
)
from gpu_stages.render.frame_sizes import frame_size
from gpu_stages.render.images import ImageLibrary
from gpu_stages.render.placed import PlacedSegment, SegmentedRendition
from gpu_stages.render.podcast_layout import PodcastCompositor, PodcastLayout
from gpu_stages.render.segments import (
    SegmentCut,
    cut_segments,
    cut_times,
    segment_ass,
    segment_backdrops,
    segment_cast,
    segment_lines,
    segment_shots,
    segment_voices,
)
from gpu_stages.render.shots import MissingSprites, ShotList, plan_shots
from gpu_stages.render.verify import RenditionInvalid, verify_rendition
from gpu_stages.render.watermark import watermark_image
from schemas.media import (
    AspectRatio,
    Backdrops,
    Cast,
    Cue,
    Resolution,
    ScriptPlan,
    StageFailure,
    Timeline,
    VoiceTrack,
)

MAX_SEGMENTS_AT_ONCE = 4
"""Segments rendering side by side at most (each holds its decoded backdrops and sprites in memory)."""
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


class PictureInput(BaseModel):
    """What a film's (or a segment's) pictures are made of."""

    plan: ScriptPlan
    timeline: Timeline
    cast: Cast
    backdrops: Backdrops
    voices: VoiceTrack
    aspect: AspectRatio = "16:9"
    resolution: Resolution = "1080p"
    fps: Literal[24, 30] = 24
    ass: str | None = Field(None, description="artifact key of the ASS subtitles for this frame size")
    watermark: bool = False
    podcast: PodcastLayout | None = Field(None, description="podcast picture; None for an ordinary film")
    hosts: list[str] = Field([], description="podcast hosts in tile order")


class RenderInput(PictureInput):
    """A whole rendition: the pictures plus the mastered soundtrack they are timed to."""

    audio: str = Field(description="artifact key of the mixed WAV")
    cues: list[Cue] = Field([], description="the burned cues' exact times, in the ASS file's event order")


class SegmentInput(BaseModel):
    """One segment: its shots, lines and cues, every time counted from its start (`gpu_stages.render.segments`)."""

    shots: ShotList
    timeline: Timeline
    cast: Cast
    backdrops: Backdrops
    voices: VoiceTrack
    aspect: AspectRatio = "16:9"
    resolution: Resolution = "1080p"
    fps: Literal[24, 30] = 24
    ass: str | None = None
    watermark: bool = False
    podcast: PodcastLayout | None = None
    hosts: list[str] = []
    frames: int = Field(ge=1)


class SegmentVideo(BaseModel):
    """A rendered segment: an MP4 with video only, `frames` long."""

    video: str
    frames: int


def frame_count(seconds: float, fps: int) -> int:
    """Frames needed so the picture lasts as long as the audio (within half a frame)."""
    return max(1, round(seconds * fps))


def film_shots(
    inputs: PictureInput, settings: RenderSettings, cuts: frozenset[float] = frozenset()
) -> ShotList:
    """The whole rendition's shots (raises MissingSprites); `cuts` are segment starts."""
    moving = not settings.draft and inputs.podcast is None
    return plan_shots(
        inputs.timeline, inputs.plan, inputs.cast, inputs.aspect, moving_camera=moving, cuts=cuts
    )


def build_compositor(
    inputs: PictureInput, artifacts: ArtifactStore, settings: RenderSettings, seconds: float
) -> Compositor | PodcastCompositor:
    """Plan shots and animation for a whole film and wire the compositor (raises MissingSprites)."""
    shots = dataclasses.replace(film_shots(inputs, settings), duration=seconds)
    return compositor_for(inputs, shots, artifacts, settings, frame_count(seconds, inputs.fps))


def compositor_for(
    inputs: PictureInput | SegmentInput,
    shots: ShotList,
    artifacts: ArtifactStore,
    settings: RenderSettings,
    count: int,
) -> Compositor | PodcastCompositor:
    """Wire animation and the compositor for planned shots, `count` frames long."""
    draft = settings.draft
    width, height = frame_size(inputs.aspect, "480p" if draft else inputs.resolution)
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


def encode_settings(settings: RenderSettings, width: int, height: int, fps: int) -> EncodeSettings:
    """x264 settings for a rendition; every segment of it uses exactly these, so they join without re-encoding."""
    draft = settings.draft
    return EncodeSettings(
        width,
        height,
        fps,
        preset="ultrafast" if draft else settings.preset,
        crf=26 if draft else settings.crf,
        tune="animation" if settings.tune_animation and not draft else None,
    )


class SegmentStage(Stage[RenderSettings, SegmentInput, SegmentVideo]):
    """Composite and encode one segment (video only); cached by exactly what its pixels depend on."""

    name = "render_segment"
    version = "2"

    def run(self, inputs: SegmentInput, ctx: StageContext) -> SegmentVideo | StageFailure:
        resolution: Resolution = "480p" if self.settings.draft else inputs.resolution
        width, height = frame_size(inputs.aspect, resolution)
        compositor = compositor_for(inputs, inputs.shots, ctx.artifacts, self.settings, inputs.frames)
        output = Path(ctx.work_dir) / "segment.mp4"
        try:
            encode(
                ordered_frames(compositor.frame, inputs.frames, self.settings.workers),
                inputs.frames,
                encode_settings(self.settings, width, height, inputs.fps),
                None,
                output,
                ctx.artifacts.path(inputs.ass) if inputs.ass else None,
                lambda fraction: ctx.progress(fraction, "rendering"),
            )
        except EncodeError as error:
            output.unlink(missing_ok=True)
            return StageFailure(reason=f"encoding failed: {error}", retryable=True)
        except BaseException:  # cancelled: leave no half-written segment behind
            output.unlink(missing_ok=True)
            raise
        key = ctx.artifacts.put_file(output, ".mp4")
        output.unlink(missing_ok=True)
        return SegmentVideo(video=key, frames=inputs.frames)


class RenderStage(Stage[RenderSettings, RenderInput, SegmentedRendition]):
    """Render each scene as its own cached segment, join them without re-encoding, add the mixed audio.

    `segments` counts segments rendered and reused from the cache ("rendered", "reused").
    """

    name = "render"
    version = "3"

    def __init__(self, settings: RenderSettings) -> None:
        super().__init__(settings)
        self.segment_stage = SegmentStage(settings)
        self.segments: Counter[str] = Counter()
        self._count_lock = threading.Lock()

    def run(self, inputs: RenderInput, ctx: StageContext) -> SegmentedRendition | StageFailure:
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
        count = frame_count(audio_seconds, inputs.fps)
        label = f"{inputs.aspect} {resolution}"
        # The soundtrack's AAC is encoded while the segments render, so the join only copies streams.
        aac = Path(ctx.work_dir) / "soundtrack.m4a"
        audio_job = encode_audio(audio_path, aac)
        try:
            segments = self._segments(inputs, count, ctx, label)
        except BaseException:
            audio_job.kill()
            audio_job.wait()
            raise
        _, audio_errors = audio_job.communicate()
        if isinstance(segments, StageFailure):
            return segments
        parts = [ctx.artifacts.path(segment.video) for segment, _ in segments]
        output = Path(ctx.work_dir) / f"film-{inputs.aspect.replace(':', 'x')}-{resolution}.mp4"
        try:
            if audio_job.returncode != 0:
                raise EncodeError(
                    f"encoding the soundtrack failed: {audio_errors.decode(errors='replace')[-1500:]}"
                )
            join_segments(parts, aac, output)
            probed = verify_rendition(output, width, height, inputs.fps, audio_seconds)
        except EncodeError as error:
            output.unlink(missing_ok=True)
            return StageFailure(reason=f"encoding failed: {error}", retryable=True)
        except RenditionInvalid as error:
            output.unlink(missing_ok=True)
            return StageFailure(reason=f"the rendered film is not as asked: {error}")
        key = ctx.artifacts.put_file(output, ".mp4")
        output.unlink(missing_ok=True)
        ctx.progress(1.0, f"rendered {label}: {count}/{count} frames")
        return SegmentedRendition(
            aspect=inputs.aspect,
            resolution=resolution,
            video=key,
            duration=round(probed.video_seconds, 3),
            width=width,
            height=height,
            segments=[
                PlacedSegment(
                    video=segment.video, start=cut.start, first_frame=cut.first_frame, frames=cut.frames
                )
                for segment, cut in segments
            ],
        )

    def _segments(
        self, inputs: RenderInput, count: int, ctx: StageContext, label: str
    ) -> list[tuple[SegmentVideo, SegmentCut]] | StageFailure:
        """Every segment with its cut, in film order; uncached ones render side by side, one per core (up to 4).

        One x264 process per segment drains its last frames and starts up with the cores half idle;
        a second segment rendering meanwhile keeps them busy."""
        cuts = cut_segments(inputs.timeline, inputs.plan, inputs.fps, count)
        try:
            shots = film_shots(inputs, self.settings, cut_times(cuts))
        except MissingSprites as error:
            return StageFailure(reason=str(error))
        rendered = [0.0] * len(cuts)
        guard = threading.Lock()

        def progress_of(n: int, frames: int) -> ProgressFn:
            def progress(fraction: float, _message: str) -> None:
                with guard:
                    rendered[n] = fraction * frames
                    done = sum(rendered)
                ctx.progress(0.98 * done / count, f"rendering {label}: {round(done)}/{count} frames")

            return progress

        at_once = max(1, min(len(cuts), os.cpu_count() or 1, MAX_SEGMENTS_AT_ONCE))
        with ThreadPoolExecutor(at_once, thread_name_prefix="segment") as pool:
            futures = [
                pool.submit(self._segment, inputs, shots, cut, count, ctx, progress_of(n, cut.frames))
                for n, cut in enumerate(cuts)
            ]
            try:
                results = [future.result() for future in futures]
            finally:
                for future in futures:
                    future.cancel()
        for result in results:
            if isinstance(result, StageFailure):
                return result
        return [(r, cut) for r, cut in zip(results, cuts, strict=True) if not isinstance(r, StageFailure)]

    def _segment(
        self,
        inputs: RenderInput,
        film: ShotList,
        cut: SegmentCut,
        count: int,
        ctx: StageContext,
        progress: ProgressFn,
    ) -> SegmentVideo | StageFailure:
        """The segment from the cache, or rendered now."""
        timeline = segment_lines(inputs.timeline, cut, inputs.fps)
        shots = dataclasses.replace(
            segment_shots(film, cut, inputs.fps),
            fade_in=cut.first_frame == 0,
            fade_out=cut.first_frame + cut.frames == count,
        )
        ass = None
        if inputs.ass:
            text = ctx.artifacts.path(inputs.ass).read_text(encoding="utf-8")
            cues = inputs.cues or None
            ass = ctx.artifacts.put_bytes(
                segment_ass(text, cut.start, cut.frames / inputs.fps, cues).encode("utf-8"), ".ass"
            )
        request = SegmentInput(
            shots=shots,
            timeline=timeline,
            cast=segment_cast(inputs.cast, shots, inputs.hosts),
            backdrops=segment_backdrops(inputs.backdrops, shots),
            voices=segment_voices(inputs.voices, timeline),
            aspect=inputs.aspect,
            resolution=inputs.resolution,
            fps=inputs.fps,
            ass=ass,
            watermark=inputs.watermark,
            podcast=inputs.podcast,
            hosts=inputs.hosts,
            frames=cut.frames,
        )
        root = getattr(ctx.artifacts, "root", None)
        key = self.segment_stage.cache_key(request)
        reused = root is not None and (Path(root) / "cache" / SegmentStage.name / f"{key}.json").exists()
        work = Path(tempfile.mkdtemp(prefix="segment-", dir=ctx.work_dir))  # segments render side by side
        result = run_cached(
            self.segment_stage, request, StageContext(ctx.artifacts, progress, work), SegmentVideo
        )
        if not isinstance(result, StageFailure):
            with self._count_lock:
                self.segments["reused" if reused else "rendered"] += 1
        return result

    @staticmethod
    def _needed_artifacts(inputs: RenderInput) -> list[str]:
        keys = [inputs.audio] + ([inputs.ass] if inputs.ass else [])
        for backdrop in inputs.backdrops.scenes:
            keys += backdrop.layers
        for sprites in inputs.cast.characters:
            keys += [*sprites.bodies.values(), *sprites.mouths.values(), sprites.blink]
        return keys
