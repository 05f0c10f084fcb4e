"""What the render stage hands on: a rendition and where each of its segments sits (light: no media imports)."""

from __future__ import annotations

from pydantic import BaseModel

from schemas.media import Rendition


class PlacedSegment(BaseModel):
    """Where a segment sits in the film: its video, the film time its content counts from, its frames."""

    video: str
    start: float
    first_frame: int
    frames: int


class SegmentedRendition(Rendition):
    """A rendition and the segments it was joined from (thumbnails decode frames from those)."""

    segments: list[PlacedSegment] = []
