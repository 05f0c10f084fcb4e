"""Key frames for thumbnails: grab a frame with ffmpeg, score it, and pick a distinct few."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps


class FrameUnavailable(RuntimeError):
    """ffmpeg returned no picture at the requested time (past the end, or not a video)."""


def frame_at(video_path: Path | str, seconds: float) -> Image.Image:
    """The RGB frame shown at `seconds` into the video, decoded by ffmpeg."""
    with Image.open(io.BytesIO(frame_png(video_path, seconds))) as picture:
        return picture.convert("RGB")


def frame_png(video_path: Path | str, seconds: float) -> bytes:
    """The frame shown at `seconds` into the video as PNG bytes (ffmpeg seeks to the keyframe before it)."""
    cmd = [
        "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
        "-ss", f"{max(0.0, seconds):.3f}", "-i", str(video_path),
        "-frames:v", "1", "-f", "image2pipe", "-vcodec", "png", "-",
    ]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, check=False)
    if done.returncode != 0 or not done.stdout:
        detail = done.stderr.decode("utf-8", "replace")[-400:].strip() or "no frame at that time"
        raise FrameUnavailable(f"no frame at {seconds:.2f} s of {Path(video_path).name}: {detail}")
    return done.stdout


@dataclass(frozen=True)
class FrameScore:
    """How good a frame is as a thumbnail background, and a small signature to compare frames."""

    sharpness: float
    contrast: float
    brightness: float
    signature: np.ndarray

    @property
    def value(self) -> float:
        # Sharp, contrasty, mid-bright frames read best behind a title.
        exposure_penalty = max(0.0, abs(self.brightness - 120.0) - 70.0) / 40.0
        return float(np.log10(1.0 + self.sharpness) / 3.0 + self.contrast / 64.0 - exposure_penalty)


def score_frame(frame: Image.Image) -> FrameScore:
    """Sharpness (variance of the Laplacian), contrast (luma spread), brightness and a signature."""
    small = ImageOps.contain(frame.convert("RGB"), (480, 270))
    gray = np.asarray(small.convert("L"), dtype=np.float32)
    sharpness = float(cv2.Laplacian(gray, cv2.CV_32F).var())
    signature = np.asarray(small.resize((32, 18), Image.Resampling.BILINEAR), dtype=np.float32) / 255.0
    return FrameScore(sharpness, float(gray.std()), float(gray.mean()), signature)


def frame_distance(a: FrameScore, b: FrameScore) -> float:
    """Mean absolute difference of two frames' colour signatures, 0 (same) to 1."""
    return float(np.abs(a.signature - b.signature).mean())


def pick_frames(frames: Sequence[Image.Image], count: int = 3, min_distance: float = 0.06) -> list[int]:
    """Indices of the `count` best frames that differ from each other; repeats only if too few frames."""
    if not frames:
        return []
    scores = [score_frame(f) for f in frames]
    order = sorted(range(len(frames)), key=lambda i: scores[i].value, reverse=True)
    chosen: list[int] = []
    for threshold in (min_distance, min_distance / 3, 0.0):
        for i in order:
            if len(chosen) == count:
                return chosen
            if i not in chosen and all(frame_distance(scores[i], scores[j]) > threshold for j in chosen):
                chosen.append(i)
    while len(chosen) < count:
        chosen.append(order[len(chosen) % len(order)])  # fewer frames than thumbnails
    return chosen


def cover(frame: Image.Image, size: tuple[int, int], focus_x: float = 0.5, zoom: float = 1.0) -> Image.Image:
    """Scale and crop the frame to fill `size`, centred on `focus_x` (0 left .. 1 right)."""
    width, height = size
    scale = max(width / frame.width, height / frame.height) * zoom
    scaled = frame.convert("RGB").resize(
        (max(width, round(frame.width * scale)), max(height, round(frame.height * scale))),
        Image.Resampling.LANCZOS,
    )
    left = round((scaled.width - width) * min(max(focus_x, 0.0), 1.0))
    top = (scaled.height - height) // 2
    return scaled.crop((left, top, left + width, top + height))
