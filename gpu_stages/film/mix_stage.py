"""The mix as a cached stage: voices on the timeline, music ducked under them, mastered to one WAV artifact."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel

from gpu_stages.contract import Stage, StageContext
from gpu_stages.mix.film_mix import MissingAudio, mix_film
from schemas.media import MusicScore, StageFailure, Timeline, VoiceTrack


class MixSettings(BaseModel):
    """The mix has no knobs of its own yet; loudness targets live in the mix package."""


class MixInput(BaseModel):
    timeline: Timeline
    voices: VoiceTrack
    score: MusicScore
    intro_outro: tuple[str, str] | None = None
    """Audio artifacts of a podcast's intro and outro music (played at the film's two ends)."""


class MixedAudio(BaseModel):
    """The mastered soundtrack: a 48 kHz stereo WAV artifact and what it measures."""

    audio: str
    duration: float
    integrated_lufs: float
    true_peak_dbtp: float


class MixStage(Stage[MixSettings, MixInput, MixedAudio]):
    """Mixes and masters the film's soundtrack with `gpu_stages.mix.mix_film`."""

    name: ClassVar[str] = "mix"
    version: ClassVar[str] = "1"

    def run(self, inputs: MixInput, ctx: StageContext) -> MixedAudio | StageFailure:
        ctx.progress(0.05, "mixing voices and music")
        out = ctx.work_dir / "mix.wav"
        try:
            report = mix_film(
                inputs.timeline,
                inputs.voices,
                inputs.score,
                ctx.artifacts,
                out,
                intro_outro=inputs.intro_outro,
            )
        except MissingAudio as error:
            return StageFailure(reason=str(error), retryable=False)
        key = ctx.artifacts.put_file(out, ".wav")
        out.unlink(missing_ok=True)
        ctx.progress(1.0, f"mixed at {report.integrated_lufs:.1f} LUFS")
        return MixedAudio(
            audio=key,
            duration=report.duration,
            integrated_lufs=report.integrated_lufs,
            true_peak_dbtp=report.true_peak_dbtp,
        )
