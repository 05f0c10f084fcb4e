"""VITS voices: a tiny random VitsModel loaded from a folder speaks every line with usable timings."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

import numpy as np
import soundfile as sf

from gpu_stages.contract import StageContext
from gpu_stages.models.speech import VitsVoiceSettings, VitsVoiceStage
from gpu_stages.timeline import build_timeline
from gpu_stages.voice.stage import VoiceInput
from gpu_stages.voice.voicing import LEAD_IN, TAIL
from schemas.film import VoiceChoice
from schemas.media import ScriptPlan, StageFailure, VoiceTrack
from tests.gpu_models.tiny_models import build_vits


@pytest.fixture(scope="module")
def vits_dir(models_dir: Path) -> Path:
    return build_vits(models_dir / "vits")


def voice(folder: Path, plan: ScriptPlan, ctx: StageContext, **choices: float) -> VoiceTrack:
    stage = VitsVoiceStage(VitsVoiceSettings(model_dir=str(folder)))
    stage.ensure_loaded()
    picked = [VoiceChoice(character_id=who, speed=speed) for who, speed in choices.items()]
    track = stage.run(VoiceInput(plan=plan, voices=picked), ctx)
    assert not isinstance(track, StageFailure), track
    return track


def test_every_line_is_audible_24k_speech_with_monotonic_word_timings(
    vits_dir: Path, plan: ScriptPlan, ctx: StageContext
) -> None:
    track = voice(vits_dir, plan, ctx)
    assert [line.line_id for line in track.lines] == ["a", "b", "c"]
    for line, text in zip(track.lines, ["The bells rang at dawn.", "Fresh mangoes, sweet as honey!", "She smiled."], strict=True):
        audio, rate = sf.read(io.BytesIO(ctx.artifacts.path(line.audio).read_bytes()))
        assert rate == 24000
        assert abs(len(audio) / rate - line.duration) < 0.001
        assert np.sqrt(np.mean(audio**2)) > 1e-3, "the line is silent"
        assert [w.word for w in line.words] == [w.strip(".,!") for w in text.split()]
        starts = [w.start for w in line.words]
        assert starts == sorted(starts) and all(w.start <= w.end for w in line.words)
        assert line.words[0].start >= 0.05 - 1e-6 and line.words[-1].end <= line.duration
        visemes = {p.viseme for p in line.phonemes}
        assert visemes - {"rest"}, "no mouth shapes for lip-sync"


def test_word_timings_follow_the_models_own_durations_not_an_even_split(
    vits_dir: Path, plan: ScriptPlan, ctx: StageContext
) -> None:
    line = voice(vits_dir, plan, ctx).lines[1]
    spans = [w.end - w.start for w in line.words]
    letters = [len(w.word) for w in line.words]
    per_letter = [s / n for s, n in zip(spans, letters, strict=True)]
    assert max(per_letter) - min(per_letter) > 1e-3  # an even split would give equal time per letter


def test_a_faster_voice_choice_makes_the_line_shorter(vits_dir: Path, plan: ScriptPlan, ctx: StageContext) -> None:
    padding = LEAD_IN + TAIL
    normal = voice(vits_dir, plan, ctx).lines[1].duration - padding
    fast = voice(vits_dir, plan, ctx, priya=1.5).lines[1].duration - padding
    # Each token lasts at least one whole frame, so 1.5x speed shortens a tiny model's speech by less.
    assert fast < normal * 0.9


def test_the_timeline_and_subtitles_can_be_built_from_the_vits_track(
    vits_dir: Path, plan: ScriptPlan, ctx: StageContext
) -> None:
    timeline = build_timeline(plan, voice(vits_dir, plan, ctx))
    assert [t.line_id for t in timeline.lines] == ["a", "b", "c"]
    assert timeline.duration > sum(t.end - t.start for t in timeline.lines)


def test_a_missing_model_folder_fails_with_the_setting_to_fix(
    tmp_path: Path, plan: ScriptPlan, ctx: StageContext
) -> None:
    stage = VitsVoiceStage(VitsVoiceSettings(model_dir=str(tmp_path / "nowhere")))
    stage.ensure_loaded()
    failure = stage.run(VoiceInput(plan=plan), ctx)
    assert isinstance(failure, StageFailure)
    assert "FILMSTUDIO_VITS_MODEL_DIR" in failure.reason


def test_a_model_for_another_language_is_refused(vits_dir: Path, plan: ScriptPlan, ctx: StageContext) -> None:
    stage = VitsVoiceStage(VitsVoiceSettings(model_dir=str(vits_dir), language="hi"))
    failure = stage.run(VoiceInput(plan=plan), ctx)
    assert isinstance(failure, StageFailure) and "'hi'" in failure.reason
