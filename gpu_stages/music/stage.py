"""The music stage: one cue per scene, composed in the chosen style or cut from the creator's upload."""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import ClassVar, Literal

import numpy as np
from pydantic import BaseModel

from gpu_stages.contract import Stage, StageContext
from gpu_stages.music.arrangement import SAMPLE_RATE, CueRequest
from gpu_stages.music.compose import DEFAULT_SOUNDFONT, write_cue
from gpu_stages.music.render import RenderFailed, write_wav
from gpu_stages.music.upload import MusicRejected, decode_upload, fit_length
from gpu_stages.timeline import EMPTY_SCENE_SECONDS, SCENE_LEAD_IN, SCENE_TAIL
from schemas.media import MusicCue, MusicScore, MusicStyle, Scene, ScriptPlan, StageFailure

WORDS_PER_SECOND = 2.6
"""Speaking rate used to estimate a scene's length before the voices exist."""


class MusicSettings(BaseModel):
    soundfont: str = str(DEFAULT_SOUNDFONT)
    seed: int = 0
    ending: Literal["cadence", "loop"] = "cadence"
    raga_instrument: Literal["auto", "sitar", "shehnai", "flute"] = "auto"


class MusicInput(BaseModel):
    plan: ScriptPlan
    style: MusicStyle
    upload: str | None = None
    """Artifact key (or file path) of the creator's MP3/WAV; required when style is 'upload'."""
    scene_seconds: dict[int, float] = {}
    """Scene index -> exact duration; scenes missing here use the plan's estimate."""


def estimate_scene_seconds(plan: ScriptPlan) -> dict[int, float]:
    """Per-scene lengths from word counts, laid out like the timeline and scaled to the plan's estimate."""
    raw = {scene.index: _scene_guess(scene, plan.pace) for scene in plan.scenes}
    total = sum(raw.values())
    scale = plan.estimated_seconds / total if plan.estimated_seconds > 0 and total > 0 else 1.0
    return {index: seconds * scale for index, seconds in raw.items()}


def _scene_guess(scene: Scene, pace: float) -> float:
    speech = sum(
        len(line.text.split()) / (WORDS_PER_SECOND * max(pace, 0.1)) + line.pause_after
        for line in scene.lines
    )
    return max(SCENE_LEAD_IN + speech + SCENE_TAIL, EMPTY_SCENE_SECONDS)


def scene_seed(plan: ScriptPlan, scene: Scene, style: str, seed: int) -> int:
    """Stable across processes (unlike hash()), so a re-run renders the same cue."""
    return (zlib.crc32(f"{plan.title}|{scene.index}|{style}".encode()) + seed * 7919) % (2**31)


class MusicStage(Stage[MusicSettings, MusicInput, MusicScore]):
    """Scores every scene. Style 'none' returns an empty score: the mix then plays voices alone."""

    name: ClassVar[str] = "music"
    version: ClassVar[str] = "1"

    def load(self) -> None:
        if not Path(self.settings.soundfont).is_file():
            raise FileNotFoundError(
                f"soundfont {self.settings.soundfont} is missing; install fluid-soundfont-gm"
            )

    def run(self, inputs: MusicInput, ctx: StageContext) -> MusicScore | StageFailure:
        if inputs.style == "none":
            return MusicScore(cues=[])
        ctx.work_dir.mkdir(parents=True, exist_ok=True)
        estimates = estimate_scene_seconds(inputs.plan)
        seconds = {s.index: inputs.scene_seconds.get(s.index, estimates[s.index]) for s in inputs.plan.scenes}
        try:
            if inputs.style == "upload":
                return self._from_upload(inputs, seconds, ctx)
            return self._compose(inputs, seconds, ctx)
        except MusicRejected as rejected:
            return StageFailure(reason=str(rejected), retryable=False)
        except RenderFailed as failed:
            return StageFailure(reason=f"the music could not be rendered: {failed}", retryable=True)

    def _compose(self, inputs: MusicInput, seconds: dict[int, float], ctx: StageContext) -> MusicScore:
        cues: list[MusicCue] = []
        scenes = inputs.plan.scenes
        for done, scene in enumerate(scenes):
            ctx.progress(done / len(scenes), f"composing music for scene {scene.index + 1}")
            request = CueRequest(
                style=inputs.style,
                mood=scene.mood,
                seconds=seconds[scene.index],
                seed=scene_seed(inputs.plan, scene, inputs.style, self.settings.seed),
                time_of_day=scene.time_of_day,
                ending=self.settings.ending,
                raga_instrument=self.settings.raga_instrument,
            )
            path = ctx.work_dir / f"cue-{scene.index}.wav"
            write_cue(request, path, soundfont=Path(self.settings.soundfont), work_dir=ctx.work_dir / "midi")
            key = ctx.artifacts.put_file(path, ".wav")
            cues.append(
                MusicCue(scene_index=scene.index, audio=key, duration=request.seconds, style=inputs.style)
            )
        ctx.progress(1.0, "music composed")
        return MusicScore(cues=cues)

    def _from_upload(self, inputs: MusicInput, seconds: dict[int, float], ctx: StageContext) -> MusicScore:
        """The upload plays continuously across the film; each scene's cue is its slice of it."""
        if not inputs.upload:
            raise MusicRejected(
                "the music style is 'upload' but no music file was uploaded; upload an MP3 or WAV."
            )
        source = (
            ctx.artifacts.path(inputs.upload) if ctx.artifacts.exists(inputs.upload) else Path(inputs.upload)
        )
        ctx.progress(0.1, "decoding the uploaded music")
        film = fit_length(decode_upload(source), sum(seconds.values()))
        cues: list[MusicCue] = []
        elapsed = 0.0
        for scene in inputs.plan.scenes:
            # boundaries from the running total, so rounding never drifts across many scenes
            first, elapsed = round(elapsed * SAMPLE_RATE), elapsed + seconds[scene.index]
            piece = np.ascontiguousarray(film[first : round(elapsed * SAMPLE_RATE)])
            length = len(piece)
            path = write_wav(ctx.work_dir / f"upload-{scene.index}.wav", piece)
            key = ctx.artifacts.put_file(path, ".wav")
            cues.append(
                MusicCue(scene_index=scene.index, audio=key, duration=length / SAMPLE_RATE, style="upload")
            )
        ctx.progress(1.0, "music ready")
        return MusicScore(cues=cues)
