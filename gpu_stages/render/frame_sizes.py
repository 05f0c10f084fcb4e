"""Output frame sizes for every aspect ratio and resolution the studio offers."""

from __future__ import annotations

from schemas.media import AspectRatio, Resolution

FRAME_SIZES: dict[tuple[AspectRatio, Resolution], tuple[int, int]] = {
    ("16:9", "1080p"): (1920, 1080),
    ("16:9", "720p"): (1280, 720),
    ("16:9", "480p"): (854, 480),
    ("9:16", "1080p"): (1080, 1920),
    ("9:16", "720p"): (720, 1280),
    ("9:16", "480p"): (480, 854),
    ("1:1", "1080p"): (1080, 1080),
    ("1:1", "720p"): (720, 720),
    ("1:1", "480p"): (480, 480),
}


def frame_size(aspect: AspectRatio, resolution: Resolution) -> tuple[int, int]:
    """Width and height in pixels (both even, as yuv420p needs)."""
    return FRAME_SIZES[(aspect, resolution)]
