"""MusicGen music: a tiny random MusicGen loaded from a folder scores each scene to its exact length."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

import numpy as np
import soundfile as sf

from gpu_stages.contract import StageContext
from gpu_stages.models.music import MusicGenSettings, MusicGenStage, exact_length, frames_for
from gpu_stages.models.prompts import music_prompt
from gpu_stages.music.stage import MusicInput
from schemas.media import MusicScore, ScriptPlan, StageFailure
from tests.gpu_models.tiny_models import build_musicgen


@pytest.fixture(scope="module")
def musicgen_dir(models_dir: Path) -> Path:
    return build_musicgen(models_dir / "musicgen")


def score(folder: Path, request: MusicInput, ctx: StageContext, **settings: float) -> MusicScore:
    stage = MusicGenStage(MusicGenSettings(model_dir=str(folder), **settings))
    stage.ensure_loaded()
    result = stage.run(request, ctx)
    assert not isinstance(result, StageFailure), result
    return result


def test_each_scene_gets_a_48k_stereo_cue_of_its_timeline_seconds(
    musicgen_dir: Path, plan: ScriptPlan, ctx: StageContext
) -> None:
    result = score(musicgen_dir, MusicInput(plan=plan, style="orchestral", scene_seconds={0: 2.3, 1: 3.05}), ctx)
    assert [c.scene_index for c in result.cues] == [0, 1]
    for cue, seconds in zip(result.cues, [2.3, 3.05], strict=True):
        audio, rate = sf.read(ctx.artifacts.path(cue.audio))
        assert rate == 48000 and audio.shape[1] == 2
        assert abs(len(audio) / rate - seconds) <= 1 / 50  # within one MusicGen frame
        assert abs(cue.duration - seconds) <= 1 / 50
        assert np.sqrt(np.mean(audio**2)) > 1e-4, "the cue is silent"


def test_a_cue_longer_than_one_generation_repeats_to_the_full_length(
    musicgen_dir: Path, plan: ScriptPlan, ctx: StageContext
) -> None:
    result = score(musicgen_dir, MusicInput(plan=plan, style="ambient", scene_seconds={0: 9.0, 1: 2.0}), ctx, max_seconds=4)
    audio, rate = sf.read(ctx.artifacts.path(result.cues[0].audio))
    assert abs(len(audio) / rate - 9.0) <= 1 / 50
    quarters = np.array_split(np.abs(audio).mean(axis=1), 4)
    assert all(q.mean() > 1e-5 for q in quarters), "part of the cue is silence"


def test_the_same_scene_and_seed_give_the_same_cue(musicgen_dir: Path, plan: ScriptPlan, ctx: StageContext) -> None:
    request = MusicInput(plan=plan, style="piano", scene_seconds={0: 1.5, 1: 1.5})
    first = score(musicgen_dir, request, ctx)
    again = score(musicgen_dir, request, ctx)
    assert [c.audio for c in first.cues] == [c.audio for c in again.cues]
    assert first.cues[0].audio != first.cues[1].audio


def test_style_none_needs_no_model_and_gives_no_cues(tmp_path: Path, plan: ScriptPlan, ctx: StageContext) -> None:
    stage = MusicGenStage(MusicGenSettings(model_dir=str(tmp_path / "absent")))
    assert stage.run(MusicInput(plan=plan, style="none"), ctx) == MusicScore(cues=[])


def test_a_missing_model_folder_fails_with_the_setting_to_fix(plan: ScriptPlan, ctx: StageContext) -> None:
    stage = MusicGenStage(MusicGenSettings())
    stage.ensure_loaded()
    failure = stage.run(MusicInput(plan=plan, style="pop"), ctx)
    assert isinstance(failure, StageFailure) and "FILMSTUDIO_MUSICGEN_MODEL_DIR" in failure.reason


def test_prompts_carry_the_style_and_the_scene_mood(plan: ScriptPlan) -> None:
    prompt = music_prompt("raga", plan.scenes[0])
    assert "sitar" in prompt and "soothing" in prompt and "no vocals" in prompt


def test_frames_cover_the_delay_pattern_and_short_pieces_are_joined_to_length() -> None:
    assert frames_for(2.0, 50.0, 4) == 103
    piece = np.ones((1000, 2), np.float32)
    joined = exact_length(piece, 2500, 200)
    assert joined.shape == (2500, 2)
    assert np.all(joined[:2500] > 0.5)  # equal-power joins never dip to silence
