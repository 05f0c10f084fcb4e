"""Thumbnails as a cached stage: frames of the finished film where no subtitle is on screen, titled three ways."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import ClassVar

from PIL import Image
from pydantic import BaseModel, Field

from gpu_stages.contract import Stage, StageContext
from gpu_stages.thumbnails import (
    FrameUnavailable,
    NoFramesForThumbnails,
    TitleRenderFailed,
    frame_at,
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


class ThumbnailInput(BaseModel):
    video: str
    title: str
    language: str
    moments: list[float]


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
        video = ctx.artifacts.path(inputs.video)
        moments = inputs.moments[: self.settings.candidates]
        ctx.progress(0.1, f"decoding {len(moments)} candidate frames")
        # Each decode is its own ffmpeg seeking from the previous keyframe: two at a time halves the wait.
        with ThreadPoolExecutor(2) as pool:
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
