"""The subtitles stage: cues from the timeline and voice timings, as SRT, WebVTT and ASS per language."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr

from gpu_stages.contract import Stage, StageContext
from gpu_stages.subtitles.ass_format import InvalidSubtitleStyle, ass_for_frame
from gpu_stages.subtitles.cues import CueRules, MissingVoiceTiming, build_cues
from gpu_stages.subtitles.scripts import language_name, primary_subtag
from gpu_stages.subtitles.text_formats import to_srt, to_vtt
from gpu_stages.subtitles.translation import (
    HttpTranslator,
    OfflineModelTranslator,
    TranslationFailed,
    TranslationUnavailable,
    Translator,
    translated_label,
)
from schemas.film import SubtitleStyle
from schemas.media import Cue, StageFailure, Subtitles, SubtitleTrack, Timeline, VoiceTrack


class SubtitleSettings(BaseModel):
    """How cues are cut and which translator (if any) serves `translate_to`."""

    max_chars_per_line: int = Field(default=42, ge=10)
    max_chars_per_line_cjk: int = Field(default=18, ge=4)
    max_lines: int = Field(default=2, ge=1, le=3)
    linger: float = Field(default=0.3, ge=0, description="seconds a cue stays after its last word")
    min_duration: float = Field(default=0.8, ge=0)
    translator: Literal["none", "http", "offline"] = "none"
    translate_url: str | None = Field(default=None, description="base URL of a LibreTranslate-compatible API")
    translate_api_key: SecretStr | None = None
    marian_model_dir: str | None = Field(default=None, description="folder of a saved MarianMT model")

    def rules(self) -> CueRules:
        return CueRules(
            max_chars=self.max_chars_per_line,
            max_chars_cjk=self.max_chars_per_line_cjk,
            max_lines=self.max_lines,
            linger=self.linger,
            min_duration=self.min_duration,
        )


class SubtitleInput(BaseModel):
    timeline: Timeline
    voices: VoiceTrack
    language: str
    style: SubtitleStyle
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    translate_to: list[str] = []


class SubtitleStage(Stage[SubtitleSettings, SubtitleInput, Subtitles]):
    """Write one subtitle track in the film's language plus one per requested translation."""

    name = "subtitles"
    version = "1"

    def __init__(self, settings: SubtitleSettings, translator: Translator | None = None) -> None:
        super().__init__(settings)
        self._translator = translator

    def load(self) -> None:
        """Pick the configured translator (no model is loaded until a translation is asked for)."""
        if self._translator is not None:
            return
        if self.settings.translator == "http" and self.settings.translate_url:
            key = self.settings.translate_api_key
            self._translator = HttpTranslator(
                self.settings.translate_url, key.get_secret_value() if key else None
            )
        elif self.settings.translator == "offline":
            model_dir = self.settings.marian_model_dir
            self._translator = OfflineModelTranslator(Path(model_dir) if model_dir else None)

    def run(self, inputs: SubtitleInput, ctx: StageContext) -> Subtitles | StageFailure:
        self.ensure_loaded()
        targets = [
            t
            for t in dict.fromkeys(inputs.translate_to)
            if primary_subtag(t) != primary_subtag(inputs.language)
        ]
        try:
            cues = build_cues(inputs.timeline, inputs.voices, inputs.language, self.settings.rules())
            tracks = [self._track(inputs, inputs.language, language_name(inputs.language), False, cues, ctx)]
            for n, target in enumerate(targets, start=1):
                ctx.progress(n / (len(targets) + 1), f"translating subtitles to {language_name(target)}")
                texts = self._translate(
                    [line.text for line in inputs.timeline.lines], inputs.language, target
                )
                translated = build_cues(
                    inputs.timeline, inputs.voices, target, self.settings.rules(), texts=texts
                )
                tracks.append(self._track(inputs, target, translated_label(target), True, translated, ctx))
        except (MissingVoiceTiming, InvalidSubtitleStyle, TranslationUnavailable) as exc:
            return StageFailure(reason=str(exc))
        except TranslationFailed as exc:
            return StageFailure(reason=str(exc), retryable=exc.retryable)
        ctx.progress(1.0, "subtitles written")
        return Subtitles(tracks=tracks)

    def _translate(self, texts: list[str], source: str, target: str) -> list[str]:
        if self._translator is None:
            raise TranslationUnavailable(
                f"subtitles in {language_name(target)} were requested but no translator is configured: "
                "set the subtitle translator to 'http' with a LibreTranslate-compatible URL, or 'offline', "
                f"or remove {target!r} from the translations"
            )
        out = self._translator.translate(texts, source, target)
        if len(out) != len(texts):
            raise TranslationFailed(f"translator returned {len(out)} lines for {len(texts)}")
        return out

    def _track(
        self,
        inputs: SubtitleInput,
        language: str,
        label: str,
        translated: bool,
        cues: list[Cue],
        ctx: StageContext,
    ) -> SubtitleTrack:
        draft = SubtitleTrack(
            language=language, label=label, translated=translated, cues=cues, srt="", vtt="", ass=""
        )
        ass = ass_for_frame(draft, inputs.style, inputs.width, inputs.height)
        return draft.model_copy(
            update={
                "srt": ctx.artifacts.put_bytes(to_srt(cues).encode("utf-8"), ".srt"),
                "vtt": ctx.artifacts.put_bytes(to_vtt(cues, language).encode("utf-8"), ".vtt"),
                "ass": ctx.artifacts.put_bytes(ass.encode("utf-8"), ".ass"),
            }
        )
