"""Subtitles: cues timed by the voices, SRT/WebVTT/ASS writers, libass burn-in and translation."""

from gpu_stages.subtitles.ass_format import InvalidSubtitleStyle, ass_for_frame, style_for, to_ass
from gpu_stages.subtitles.burn import BurnFailed, ass_filter, burn_subtitles, fonts_dir_for
from gpu_stages.subtitles.cues import CueRules, MissingVoiceTiming, build_cues
from gpu_stages.subtitles.stage import SubtitleInput, SubtitleSettings, SubtitleStage
from gpu_stages.subtitles.text_formats import to_srt, to_vtt
from gpu_stages.subtitles.translation import (
    HttpTranslator,
    OfflineModelTranslator,
    TranslationFailed,
    TranslationUnavailable,
    Translator,
    translated_label,
)

__all__ = [
    "BurnFailed",
    "CueRules",
    "HttpTranslator",
    "InvalidSubtitleStyle",
    "MissingVoiceTiming",
    "OfflineModelTranslator",
    "SubtitleInput",
    "SubtitleSettings",
    "SubtitleStage",
    "TranslationFailed",
    "TranslationUnavailable",
    "Translator",
    "ass_filter",
    "ass_for_frame",
    "build_cues",
    "burn_subtitles",
    "fonts_dir_for",
    "style_for",
    "to_ass",
    "to_srt",
    "to_vtt",
    "translated_label",
]
