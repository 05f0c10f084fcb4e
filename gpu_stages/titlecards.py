"""A minimal real pipeline: the script's paragraphs as title cards over a soft tone, encoded by ffmpeg.

Used by tests of the backbone and as the `titlecards` stage set; the studio stage set is the full
film pipeline.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Any

from gpu_stages.contract import ArtifactStore, ProgressFn
from schemas.film import FilmSpec
from schemas.media import StageFailure

TITLECARD_STAGES: dict[str, list[str]] = {"cards": [], "titlecards": ["cards"]}
CARD_SECONDS = 2.0
FONT = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"


def split_cards(script: str, limit: int = 12) -> list[str]:
    """Non-empty paragraphs, each shortened to fit one card."""
    cards = [" ".join(p.split())[:90] for p in script.split("\n\n") if p.strip()]
    return cards[:limit]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(":", "\\:").replace("'", "\u2019").replace("%", "\\%")


def render_cards(
    cards: list[str], out: Path, seconds: float = CARD_SECONDS, width: int = 640, height: int = 360
) -> None:
    duration = seconds * len(cards)
    draws = []
    for i, card in enumerate(cards):
        start, end = i * seconds, (i + 1) * seconds
        draws.append(
            f"drawtext=fontfile={FONT}:text='{_escape(card)}':fontcolor=white:fontsize={height // 14}:"
            f"x=(w-text_w)/2:y=(h-text_h)/2:enable='between(t,{start},{end})'"
        )
    cmd = [
        "ffmpeg", "-nostdin", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"color=c=0x1d2b53:s={width}x{height}:d={duration}:r=24",
        "-f", "lavfi", "-i", f"sine=frequency=220:duration={duration}:sample_rate=48000",
        "-vf", ",".join(draws) if draws else "null",
        "-af", "volume=0.08",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "96k", "-movflags", "+faststart", str(out),
    ]  # fmt: skip
    subprocess.run(cmd, check=True, capture_output=True)


class TitleCardRunner:
    """A `StageRunner` for the title-card pipeline."""

    def __init__(self, artifacts: ArtifactStore) -> None:
        self.artifacts = artifacts

    def __call__(
        self, stage: str, spec: FilmSpec, inputs: dict[str, Any], progress: ProgressFn
    ) -> dict[str, Any] | StageFailure:
        if stage == "cards":
            cards = split_cards(spec.script)
            if not cards:
                return StageFailure(
                    reason="The script is empty. Write at least one line, then generate again."
                )
            return {"cards": cards}
        if stage == "titlecards":
            cards = inputs["cards"]["cards"]
            seconds = spec.target_seconds / len(cards) if spec.target_seconds else CARD_SECONDS
            progress(0.1, "encoding title cards")
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / "film.mp4"
                try:
                    render_cards(cards, out, seconds)
                except subprocess.CalledProcessError as error:
                    return StageFailure(
                        reason=f"ffmpeg failed: {error.stderr.decode()[-300:]}", retryable=True
                    )
                key = self.artifacts.put_file(out, ".mp4")
            return {"video": key, "duration": seconds * len(cards)}
        return StageFailure(reason=f"unknown stage {stage!r}")
