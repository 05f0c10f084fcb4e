"""Which engine serves the voices, scenes and music stages: the offline default or a local model."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from gpu_stages.contract import Stage
from gpu_stages.models.runtime import Device

VoiceEngine = Literal["kokoro", "vits"]
ScenesEngine = Literal["procedural", "diffusion"]
MusicEngine = Literal["fluidsynth", "musicgen"]


class ModelEngines(BaseModel):
    """Engine choices and model folders (set from FILMSTUDIO_* settings by the composition root)."""

    voices: VoiceEngine = "kokoro"
    scenes: ScenesEngine = "procedural"
    music: MusicEngine = "fluidsynth"
    device: Device = "auto"
    threads: int = Field(1, ge=0)
    vits_model_dir: str | None = None
    vits_language: str | None = None
    diffusion_model_dir: str | None = None
    diffusion_steps: int = Field(25, ge=1, le=200)
    musicgen_model_dir: str | None = None
    marian_models_dir: str | None = Field(None, description="set: subtitles translate offline with MarianMT")
    whisper_model_dir: str | None = Field(None, description="CTranslate2 Whisper for uploaded narration")

    def model_stage(self, stage: str) -> Stage[Any, Any, Any] | None:
        """The model engine chosen for `stage` ('voices', 'scenes' or 'music'); None keeps the offline one.

        Model packages are imported here, on first use, never when the studio starts.
        """
        if stage == "voices" and self.voices == "vits":
            from gpu_stages.models.speech import VitsVoiceSettings, VitsVoiceStage

            return VitsVoiceStage(
                VitsVoiceSettings(
                    model_dir=self.vits_model_dir,
                    device=self.device,
                    language=self.vits_language,
                    threads=self.threads,
                )
            )
        if stage == "scenes" and self.scenes == "diffusion":
            from gpu_stages.models.backdrops import DiffusionBackdropSettings, DiffusionBackdropStage

            return DiffusionBackdropStage(
                DiffusionBackdropSettings(
                    model_dir=self.diffusion_model_dir,
                    device=self.device,
                    steps=self.diffusion_steps,
                    threads=self.threads,
                )
            )
        if stage == "music" and self.music == "musicgen":
            from gpu_stages.models.music import MusicGenSettings, MusicGenStage

            return MusicGenStage(
                MusicGenSettings(model_dir=self.musicgen_model_dir, device=self.device, threads=self.threads)
            )
        return None
