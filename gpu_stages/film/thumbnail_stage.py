"""Thumbnails as a cached stage: frames of the finished film where no subtitle is on screen, titled three ways.

Candidate frames are decoded from the render segments that show them, each cached by its
segment's video and the time into it: after an edit, only frames of re-rendered segments are
decoded again, and a decode never seeks further than one short segment."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import ClassVar

from PIL import Image
from pydantic import BaseModel, Field

from gpu_stages.contract import Stage, StageContext, run_cached
from gpu_stages.thumbnails import (
    FrameUnavailable,
    NoFramesForThumbnails,
    TitleRenderFailed,
    frame_at,
    frame_png,
    make_thumbnails,
)
from schemas.media import Cue, StageFailure

CANDIDATES = 8
"""Frames decoded per film; the thumbnail picker keeps the three best distinct ones."""
EDGE = 0.4
"""Seconds skipped at the film's start and end (fade in and out)."""


class ThumbnailSettings(BaseModel):
    candidates: int = CANDIDATES
    images: int = Field(3, ge=1, le=3, description="thumbnails made; a draft needs one")


class FrameSource(BaseModel):
    """A candidate frame: a video (a render segment) and the seconds into it."""

    video: str
    seconds: float


class DecodedFrame(BaseModel):
    """A decoded candidate frame as a PNG artifact; None when the video has no frame there."""

    image: str | None


class ThumbnailInput(BaseModel):
    video: str = Field("", description="the whole film, read at `moments` when no `sources` are given")
    title: str
    language: str
    moments: list[float] = []
    sources: list[FrameSource] = Field([], description="candidate frames in the film's segments")


class FrameSettings(BaseModel):
    """Nothing to set: a frame is decoded as it is."""


class FrameStage(Stage[FrameSettings, FrameSource, DecodedFrame]):
    """Decode one candidate frame; cached, so an unchanged segment's frame is never decoded twice."""

    name: ClassVar[str] = "thumbnail_frame"
    version: ClassVar[str] = "1"

    def run(self, inputs: FrameSource, ctx: StageContext) -> DecodedFrame | StageFailure:
        try:
            png = frame_png(ctx.artifacts.path(inputs.video), inputs.seconds)
        except FrameUnavailable:
            return DecodedFrame(image=None)  # a moment past the last frame; the others suffice
        return DecodedFrame(image=ctx.artifacts.put_bytes(png, ".png"))


class Thumbnails(BaseModel):
    images: list[str]


def clear_moments(duration: float, cues: list[Cue], count: int = CANDIDATES) -> list[float]:
    """Times spread over the film, preferring gaps between subtitle cues so no caption is burned into a thumbnail."""
    start, end = EDGE, max(EDGE, duration - EDGE)
    gaps: list[tuple[float, float]] = []
    cursor = start
    for cue in sorted(cues, key=lambda c: c.start):
        if cue.start - cursor >= 0.12:
            gaps.append((cursor, min(cue.start, end)))
        cursor = max(cursor, cue.end)
    if end - cursor >= 0.12:
        gaps.append((cursor, end))
    moments = [round((a + b) / 2, 3) for a, b in gaps if b > a]
    if len(moments) < 3:
        # Too few clean gaps (captions everywhere): evenly spread moments, captions and all.
        moments += [round(start + (end - start) * (i + 0.5) / count, 3) for i in range(count)]
    if len(moments) > count:
        step = len(moments) / count
        moments = [moments[int(i * step)] for i in range(count)]
    return sorted(set(moments))


def _frame_or_none(video: Path, seconds: float) -> Image.Image | None:
    try:
        return frame_at(video, seconds)
    except FrameUnavailable:
        return None  # a moment past the last frame; the others suffice


class ThumbnailStage(Stage[ThumbnailSettings, ThumbnailInput, Thumbnails]):
    """Decodes candidate frames from the rendered MP4 and writes three titled 1280x720 JPEGs."""

    name: ClassVar[str] = "thumbnails"
    version: ClassVar[str] = "1"

    def run(self, inputs: ThumbnailInput, ctx: StageContext) -> Thumbnails | StageFailure:
        ctx.progress(0.1, "decoding candidate frames")
        # Each decode is its own ffmpeg seeking from the previous keyframe: two at a time halves the wait.
        with ThreadPoolExecutor(2) as pool:
            if inputs.sources:
                sources = inputs.sources[: self.settings.candidates]
                decoded = list(pool.map(lambda source: self._cached_frame(source, ctx), sources))
            else:
                video = ctx.artifacts.path(inputs.video)
                moments = inputs.moments[: self.settings.candidates]
                decoded = list(pool.map(lambda seconds: _frame_or_none(video, seconds), moments))
        frames = [frame for frame in decoded if frame is not None]
        ctx.progress(0.8, f"titling {self.settings.images} thumbnails")
        try:
            paths = make_thumbnails(
                frames, inputs.title, inputs.language, ctx.work_dir / "thumbnails", count=self.settings.images
            )
        except NoFramesForThumbnails:
            return StageFailure(
                reason="no frame of the rendered film could be decoded; render the film again"
            )
        except TitleRenderFailed as error:
            return StageFailure(reason=f"the title could not be drawn on the thumbnails: {error}")
        keys = [ctx.artifacts.put_file(path, ".jpg") for path in paths]
        ctx.progress(1.0, f"{len(keys)} thumbnails")
        return Thumbnails(images=keys)

    @staticmethod
    def _cached_frame(source: FrameSource, ctx: StageContext) -> Image.Image | None:
        decoded = run_cached(
            FrameStage(FrameSettings()),
            source,
            StageContext(ctx.artifacts, work_dir=ctx.work_dir),
            DecodedFrame,
        )
        if isinstance(decoded, StageFailure) or decoded.image is None:
            return None
        with Image.open(io.BytesIO(ctx.artifacts.path(decoded.image).read_bytes())) as picture:
            return picture.convert("RGB")
