"""Check a rendered film with ffprobe: H.264 + AAC present, size, frame rate and duration as asked."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

DURATION_TOLERANCE = 0.1


class RenditionInvalid(Exception):
    """The output file is not what was asked for; the message lists every problem."""


@dataclass(frozen=True)
class ProbedVideo:
    video_codec: str | None
    audio_codec: str | None
    width: int
    height: int
    fps: float
    video_seconds: float
    audio_seconds: float


def probe(path: Path) -> ProbedVideo:
    """Read streams, size, frame rate and durations with ffprobe."""
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RenditionInvalid(f"ffprobe cannot read {path.name}: {result.stderr.strip()[-400:]}")
    info = json.loads(result.stdout)
    streams = info.get("streams", [])
    video: dict[str, Any] = next((s for s in streams if s.get("codec_type") == "video"), {})
    audio: dict[str, Any] = next((s for s in streams if s.get("codec_type") == "audio"), {})
    container = float(info.get("format", {}).get("duration", 0.0))
    return ProbedVideo(
        video_codec=video.get("codec_name"),
        audio_codec=audio.get("codec_name"),
        width=int(video.get("width", 0)),
        height=int(video.get("height", 0)),
        fps=float(Fraction(video.get("avg_frame_rate", "0/1")))
        if video.get("avg_frame_rate", "0/0") != "0/0"
        else 0.0,
        video_seconds=float(video.get("duration", container)),
        audio_seconds=float(audio.get("duration", container)),
    )


def problems(found: ProbedVideo, width: int, height: int, fps: int, audio_seconds: float) -> list[str]:
    """Everything that differs from the request (empty when the file is right)."""
    issues = []
    if found.video_codec != "h264":
        issues.append(f"video stream is {found.video_codec or 'missing'}, expected h264")
    if found.audio_codec != "aac":
        issues.append(f"audio stream is {found.audio_codec or 'missing'}, expected aac")
    if (found.width, found.height) != (width, height):
        issues.append(f"frame is {found.width}x{found.height}, expected {width}x{height}")
    if abs(found.fps - fps) > 0.01:
        issues.append(f"frame rate is {found.fps:.3f}, expected {fps}")
    for label, seconds in (("video", found.video_seconds), ("audio", found.audio_seconds)):
        if abs(seconds - audio_seconds) > DURATION_TOLERANCE:
            issues.append(f"{label} lasts {seconds:.3f} s but the mixed audio lasts {audio_seconds:.3f} s")
    return issues


def verify_rendition(path: Path, width: int, height: int, fps: int, audio_seconds: float) -> ProbedVideo:
    """Probe the file and raise RenditionInvalid listing what is wrong."""
    found = probe(path)
    issues = problems(found, width, height, fps, audio_seconds)
    if issues:
        raise RenditionInvalid(f"{path.name}: " + "; ".join(issues))
    return found
