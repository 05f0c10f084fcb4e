"""The voices stage: each line of a script plan becomes a levelled 24 kHz WAV with word and viseme timings."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, Field

from gpu_stages.contract import Stage, StageContext
from gpu_stages.voice.assets import KokoroAssets, default_dir
from gpu_stages.voice.casting import choose_voice, spread_voices
from gpu_stages.voice.espeak_engine import EspeakEngine
from gpu_stages.voice.kokoro_engine import KokoroEngine
from gpu_stages.voice.line_cache import LineIndex
from gpu_stages.voice.presets import UnknownPreset, VoicePreset
from gpu_stages.voice.prosody import MAX_SPEED, MIN_SPEED
from gpu_stages.voice.synthesis import EngineUnavailable
from gpu_stages.voice.voicing import SAMPLE_RATE, LineVoicer
from schemas.film import VoiceChoice
from schemas.media import Character, ScriptPlan, StageFailure, VoicedLine, VoiceTrack

log = logging.getLogger(__name__)


class VoiceSettings(BaseModel):
    """Where the Kokoro assets and the line index live, and the loudness every line is levelled to."""

    kokoro_dir: str | None = Field(
        None, description="None: $FILMSTUDIO_KOKORO_DIR or ~/.cache/filmstudio/kokoro"
    )
    index_path: str | None = Field(default=None, description="None: <artifact root>/index/voice-lines.json")
    target_lufs: float = -20.0
    kokoro_threads: int = Field(default=1, ge=0, description="onnxruntime intra-op threads (0: one per core)")


class VoiceInput(BaseModel):
    """The analysed script, the creator's voice choices, and whether this is a fast draft."""

    plan: ScriptPlan
    voices: list[VoiceChoice] = []
    draft: bool = Field(default=False, description="espeak-ng for every line: fast, robotic")
    distinct: bool = Field(
        default=False, description="podcast hosts: voices sharing a gender get another pitch and variant"
    )


def cast_voices(
    plan: ScriptPlan, choices: list[VoiceChoice], *, distinct: bool = False
) -> dict[str, VoicePreset]:
    """Speaker id -> preset; creator choices first, then distinct presets for everyone else.

    `distinct` also spreads voices that share a gender and language apart (podcast hosts).
    """
    by_id = {c.id: c for c in plan.characters}
    speakers = [c.id for c in plan.characters]
    for scene in plan.scenes:
        for line in scene.lines:
            if line.speaker not in by_id:
                by_id[line.speaker] = Character(
                    id=line.speaker, name=line.speaker.title(), is_narrator=line.speaker == "narrator"
                )
                speakers.append(line.speaker)
    chosen = {c.character_id: c for c in choices}
    cast: dict[str, VoicePreset] = {}
    # creator-picked presets are reserved first; the narrator, who speaks most, picks next
    ordered = sorted(
        speakers,
        key=lambda s: (not (chosen.get(s) and chosen[s].preset), not by_id[s].is_narrator),
    )
    for speaker in ordered:
        preset = choose_voice(
            by_id[speaker], plan.language, chosen.get(speaker), taken={p.id for p in cast.values()}
        )
        cast[speaker] = preset
    if distinct:
        picked = {s for s, c in chosen.items() if c.preset}
        return spread_voices({s: cast[s] for s in speakers}, fixed=picked)
    return cast


class VoiceStage(Stage[VoiceSettings, VoiceInput, VoiceTrack]):
    """Kokoro-82M voices (espeak-ng for Arabic, drafts, or when Kokoro's assets are missing)."""

    name: ClassVar[str] = "voices"
    version: ClassVar[str] = "1"

    def __init__(self, settings: VoiceSettings | None = None) -> None:
        super().__init__(settings or VoiceSettings())
        root = Path(self.settings.kokoro_dir).expanduser() if self.settings.kokoro_dir else default_dir()
        self.kokoro = KokoroEngine(KokoroAssets(root), threads=self.settings.kokoro_threads)
        self.espeak = EspeakEngine()
        self._voicers: dict[str, LineVoicer] = {}

    def load(self) -> None:
        """Open espeak-ng; Kokoro opens on its first line (a draft never needs its ~300 MB model)."""
        self.espeak.load()
        problem = self.kokoro.problem()
        if problem:
            log.warning("%s; voices will use espeak-ng", problem)

    def voicer(self, ctx: StageContext) -> LineVoicer:
        """The line voicer for this artifact store; its index sits beside the artifacts, so it outlives us."""
        path: Path | None = None
        if self.settings.index_path:
            path = Path(self.settings.index_path)
        elif getattr(ctx.artifacts, "root", None) is not None:
            path = Path(ctx.artifacts.root) / "index" / "voice-lines.json"  # type: ignore[attr-defined]
        key = str(path) if path is not None else f"memory:{id(ctx.artifacts)}"
        if key not in self._voicers:
            self._voicers[key] = LineVoicer(
                self.kokoro, self.espeak, LineIndex(path), self.settings.target_lufs
            )
        return self._voicers[key]

    def run(self, inputs: VoiceInput, ctx: StageContext) -> VoiceTrack | StageFailure:
        """Voice every line in script order, reporting progress per line."""
        self.ensure_loaded()
        plan = inputs.plan
        for picked in inputs.voices:
            if not MIN_SPEED <= picked.speed <= MAX_SPEED:
                return StageFailure(
                    reason=f"Voice speed {picked.speed:g}x for {picked.character_id!r} is outside "
                    f"{MIN_SPEED}-{MAX_SPEED}x; choose a speed in that range"
                )
        try:
            cast = cast_voices(plan, inputs.voices, distinct=inputs.distinct)
        except UnknownPreset as error:
            return StageFailure(reason=str(error))
        choices = {c.character_id: c for c in inputs.voices}
        lines = [line for scene in plan.scenes for line in scene.lines]
        voicer = self.voicer(ctx)
        voiced: list[VoicedLine] = []
        for i, line in enumerate(lines):
            ctx.progress(i / max(1, len(lines)), f"voicing line {i + 1} of {len(lines)} ({line.speaker})")
            choice: VoiceChoice | None = choices.get(line.speaker)
            emotion = (
                line.emotion
                if line.emotion != "neutral" or choice is None or choice.emotion is None
                else choice.emotion
            )
            try:
                voiced.append(
                    voicer.voice(
                        line.id,
                        line.text,
                        cast[line.speaker],
                        ctx.artifacts,
                        emotion=emotion,
                        speed=choice.speed if choice else 1.0,
                        pace=plan.pace,
                        draft=inputs.draft,
                    )
                )
            except EngineUnavailable as error:
                return StageFailure(reason=f"Could not voice line {line.id!r} ({line.speaker}): {error}")
        for warning in voicer.stats.warnings:
            ctx.progress(1.0, f"warning: {warning}")
        ctx.progress(1.0, f"voiced {len(voiced)} lines ({voicer.stats.reused} from cache)")
        return VoiceTrack(lines=voiced, sample_rate=SAMPLE_RATE)
