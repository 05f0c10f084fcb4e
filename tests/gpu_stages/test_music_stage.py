"""MusicStage: one cue per scene at the scene's length, repeatable, uploads and 'none' handled."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from gpu_stages.contract import LocalArtifactStore, StageContext
from gpu_stages.music.stage import MusicInput, MusicSettings, MusicStage, estimate_scene_seconds
from schemas.media import Line, MusicScore, Scene, ScriptPlan, StageFailure

pytestmark = pytest.mark.media


def plan() -> ScriptPlan:
    scenes = [
        Scene(index=0, heading="Temple", setting="temple", mood="calm", time_of_day="dawn",
              lines=[Line(id="a", speaker="narrator", text="The bells rang at dawn.")]),
        Scene(index=1, heading="Market", setting="market", mood="happy",
              lines=[Line(id="b", speaker="priya", text="Fresh mangoes, sweet as honey, come and see!")]),
    ]  # fmt: skip
    return ScriptPlan(title="Bells", scenes=scenes, characters=[], estimated_seconds=7.0)


@pytest.fixture
def ctx(tmp_path: Path) -> StageContext:
    return StageContext(artifacts=LocalArtifactStore(tmp_path / "store"), work_dir=tmp_path / "work")


def run(stage_input: MusicInput, ctx: StageContext) -> MusicScore | StageFailure:
    stage = MusicStage(MusicSettings(seed=3))
    stage.ensure_loaded()
    return stage.run(stage_input, ctx)


def test_each_scene_gets_a_48k_stereo_cue_of_its_given_or_estimated_length(ctx: StageContext) -> None:
    score = run(MusicInput(plan=plan(), style="devotional", scene_seconds={1: 4.2}), ctx)
    assert isinstance(score, MusicScore)
    assert [c.scene_index for c in score.cues] == [0, 1]
    estimated = estimate_scene_seconds(plan())
    assert abs(sum(estimated.values()) - 7.0) < 1e-6
    for cue, seconds in zip(score.cues, (estimated[0], 4.2), strict=True):
        audio, rate = sf.read(ctx.artifacts.path(cue.audio), always_2d=True)
        assert rate == 48000 and audio.shape[1] == 2
        assert abs(len(audio) / rate - seconds) <= 0.02 and abs(cue.duration - seconds) <= 0.02
        assert np.sqrt(np.mean(np.square(audio))) > 0.01


def test_the_same_plan_and_seed_give_the_same_cues(ctx: StageContext) -> None:
    first = run(MusicInput(plan=plan(), style="ambient"), ctx)
    second = run(MusicInput(plan=plan(), style="ambient"), ctx)
    assert isinstance(first, MusicScore) and isinstance(second, MusicScore)
    assert [c.audio for c in first.cues] == [c.audio for c in second.cues]


def test_style_none_gives_an_empty_score(ctx: StageContext) -> None:
    assert run(MusicInput(plan=plan(), style="none"), ctx) == MusicScore(cues=[])


def test_an_upload_is_cut_into_consecutive_scene_cues(ctx: StageContext, tmp_path: Path) -> None:
    t = np.arange(3 * 44100) / 44100
    song = tmp_path / "song.wav"
    sf.write(song, 0.3 * np.sin(2 * np.pi * 220 * t), 44100)
    key = ctx.artifacts.put_file(song, ".wav")
    score = run(MusicInput(plan=plan(), style="upload", upload=key, scene_seconds={0: 2.5, 1: 5.0}), ctx)
    assert isinstance(score, MusicScore)
    lengths = [len(sf.read(ctx.artifacts.path(c.audio))[0]) for c in score.cues]
    assert lengths == [2.5 * 48000, 5.0 * 48000]


def test_a_missing_or_broken_upload_fails_with_a_reason(ctx: StageContext, tmp_path: Path) -> None:
    missing = run(MusicInput(plan=plan(), style="upload"), ctx)
    assert isinstance(missing, StageFailure) and "upload" in missing.reason
    broken = tmp_path / "broken.mp3"
    broken.write_bytes(b"\x00\xff" * 4000)
    failed = run(MusicInput(plan=plan(), style="upload", upload=str(broken)), ctx)
    assert isinstance(failed, StageFailure) and "MP3 or WAV" in failed.reason
