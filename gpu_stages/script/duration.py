"""Estimate how long a script takes to speak and fit it to a target by choosing pace and pauses."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from gpu_stages.script.intake import count_words
from gpu_stages.timeline import EMPTY_SCENE_SECONDS, SCENE_LEAD_IN, SCENE_TAIL, on_grid
from schemas.media import Scene

WORDS_PER_MINUTE: dict[str, float] = {
    "en": 150, "es": 165, "fr": 155, "de": 135, "pt": 150, "it": 155, "nl": 145, "ru": 130,
    "hi": 135, "bn": 130, "ur": 135, "ar": 125, "fa": 130,
}  # fmt: skip
"""A natural narration rate per language (a voice speed of 1.0)."""
CHARACTERS_PER_MINUTE: dict[str, float] = {"ja": 330, "zh": 260, "ko": 280}
"""CJK scripts are timed by characters: they do not separate words with spaces."""
DEFAULT_WORDS_PER_MINUTE = 145.0

PACE_RANGE = (0.8, 1.25)
"""How far the speech rate may move from natural before it sounds wrong."""
PAUSE_SCALE_RANGE = (0.5, 2.5)
PAUSE_LIMITS = (0.1, 2.0)
TOLERANCE = 0.05
"""A plan within 5 % of the target counts as fitting."""

_COMMA_PAUSE = 0.12
_SENTENCE_PAUSE = 0.3
_CLAUSE = re.compile(r"[,;:，、；：—–]")  # noqa: RUF001
_INNER_SENTENCE = re.compile(r"[.!?।。！？](?=\s*\S)")  # noqa: RUF001
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def speech_seconds(text: str, language: str) -> float:
    """Seconds to say `text` at a natural pace (pace 1.0), including pauses at commas inside it."""
    per_minute = CHARACTERS_PER_MINUTE.get(language)
    if per_minute is not None:
        units = len(_CJK.findall(text)) + count_words(_CJK.sub(" ", text))
    else:
        per_minute = WORDS_PER_MINUTE.get(language, DEFAULT_WORDS_PER_MINUTE)
        units = count_words(text)
    spoken = units * 60.0 / per_minute
    return (
        spoken
        + _COMMA_PAUSE * len(_CLAUSE.findall(text))
        + _SENTENCE_PAUSE * len(_INNER_SENTENCE.findall(text))
    )


def natural_pauses(scene: Scene) -> list[float]:
    """Silence after each line: longer when the speaker changes or after a question."""
    pauses: list[float] = []
    for index, line in enumerate(scene.lines):
        if index == len(scene.lines) - 1:
            pause = 0.25  # the scene's tail follows
        elif scene.lines[index + 1].speaker != line.speaker:
            pause = 0.45
        else:
            pause = 0.5 if line.speaker == "narrator" else 0.3
        if line.text.rstrip().endswith(("?", "？")):  # noqa: RUF001
            pause += 0.1
        pauses.append(pause)
    return pauses


@dataclass(frozen=True)
class DurationPlan:
    """The chosen pace and pauses, the resulting length and any warning for the creator."""

    pace: float
    pause_scale: float
    pauses: dict[str, float]
    estimated_seconds: float
    natural_seconds: float
    warnings: list[str]


class _Script:
    """Per-line speech and pause figures of a whole script, for fast what-if totals."""

    def __init__(self, scenes: list[Scene], language: str, speeds: Mapping[str, float]) -> None:
        self.scenes = scenes
        self.speech = [
            [speech_seconds(line.text, language) / speeds.get(line.speaker, 1.0) for line in scene.lines]
            for scene in scenes
        ]
        self.pauses = [natural_pauses(scene) for scene in scenes]
        self.units = sum(count_words(line.text) for scene in scenes for line in scene.lines)

    def scaled_pauses(self, scale: float) -> list[list[float]]:
        lo, hi = PAUSE_LIMITS
        return [[round(min(hi, max(lo, p * scale)), 2) for p in scene] for scene in self.pauses]

    def total(self, pace: float, scale: float) -> float:
        total = 0.0
        for speech, pauses in zip(self.speech, self.scaled_pauses(scale), strict=True):
            body = SCENE_LEAD_IN + sum(speech) / pace + sum(pauses) + SCENE_TAIL
            total += on_grid(max(body, EMPTY_SCENE_SECONDS))  # the timeline rounds scenes up
        return total


def _settings_for(stretch: float) -> tuple[float, float]:
    """One knob for both: slower speech and longer pauses together, pauses alone past the pace limits."""
    pace = min(PACE_RANGE[1], max(PACE_RANGE[0], 1.0 / stretch))
    scale = min(PAUSE_SCALE_RANGE[1], max(PAUSE_SCALE_RANGE[0], stretch))
    return round(pace, 3), round(scale, 3)


def plan_duration(
    scenes: list[Scene],
    language: str,
    target_seconds: float | None = None,
    speeds: Mapping[str, float] | None = None,
) -> DurationPlan:
    """Choose pace (0.8-1.25) and pause lengths so the script lasts `target_seconds` within 5 %."""
    script = _Script(scenes, language, speeds or {})
    natural = script.total(1.0, 1.0)
    stretch = 1.0
    if target_seconds is not None:
        low, high = PAUSE_SCALE_RANGE[0], PAUSE_SCALE_RANGE[1]
        for _ in range(40):  # total() grows with stretch, so bisection finds the fit
            mid = (low + high) / 2
            if script.total(*_settings_for(mid)) < target_seconds:
                low = mid
            else:
                high = mid
        stretch = (low + high) / 2
    pace, scale = _settings_for(stretch)
    estimated = script.total(pace, scale)
    warnings: list[str] = []
    if target_seconds is not None and abs(estimated - target_seconds) > TOLERANCE * target_seconds:
        warnings.append(_misfit_warning(natural, target_seconds, script))
    pauses = {
        line.id: pause
        for scene, scene_pauses in zip(scenes, script.scaled_pauses(scale), strict=True)
        for line, pause in zip(scene.lines, scene_pauses, strict=True)
    }
    return DurationPlan(
        pace=pace,
        pause_scale=scale,
        pauses=pauses,
        estimated_seconds=round(estimated, 2),
        natural_seconds=round(natural, 2),
        warnings=warnings,
    )


def _misfit_warning(natural: float, target: float, script: _Script) -> str:
    speech = sum(sum(scene) for scene in script.speech)
    words_per_second = script.units / speech if speech > 0 else 2.5
    words = max(10, round(abs(natural - target) * words_per_second / 10) * 10)
    head = (
        f"The script needs about {format_seconds(natural)} at a natural pace; "
        f"the target is {format_seconds(target)}."
    )
    if natural > target:
        return f"{head} Cut about {words:,} words or raise the duration."
    return f"{head} Add about {words:,} words or lower the duration."


def format_seconds(seconds: float) -> str:
    """75 -> '75 s', 160 -> '2 min 40 s', 120 -> '2 min' (rounded to 5 s above 90 s)."""
    if seconds < 90:
        return f"{round(seconds)} s"
    rounded = int(round(seconds / 5) * 5)
    minutes, rest = divmod(rounded, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"
