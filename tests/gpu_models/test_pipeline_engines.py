"""The film pipeline with model engines chosen: script -> VITS voices -> MusicGen music, through the runner."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from gpu_stages.contract import LocalArtifactStore
from gpu_stages.film_pipeline import FilmStageRunner
from gpu_stages.models.selection import ModelEngines
from schemas.film import FilmSpec
from schemas.media import MusicScore, ScriptPlan, StageFailure, VoiceTrack
from tests.gpu_models.tiny_models import build_musicgen, build_vits

SCRIPT = "PRIYA: Good morning, Ben!\n\nBEN: Morning. Ready for the trip?\n"


def quiet(fraction: float, message: str) -> None:
    """Progress is not under test here."""


def test_chosen_model_engines_voice_and_score_a_film(models_dir: Path, tmp_path: Path) -> None:
    engines = ModelEngines(
        voices="vits",
        music="musicgen",
        vits_model_dir=str(build_vits(models_dir / "pipeline-vits")),
        musicgen_model_dir=str(build_musicgen(models_dir / "pipeline-musicgen")),
    )
    runner = FilmStageRunner(LocalArtifactStore(tmp_path / "artifacts"), engines=engines)
    spec = FilmSpec(title="Morning", script=SCRIPT, resolution="480p", music="piano")
    outputs: dict[str, Any] = {}
    for stage in ("script", "voices", "music"):
        result = runner(stage, spec, outputs, quiet)
        assert not isinstance(result, StageFailure), (stage, result)
        outputs[stage] = result
    plan = ScriptPlan.model_validate(outputs["script"])
    voices = VoiceTrack.model_validate(outputs["voices"])
    music = MusicScore.model_validate(outputs["music"])
    assert [v.line_id for v in voices.lines] == [line.id for s in plan.scenes for line in s.lines]
    assert all(v.voice_id.startswith("vits:") and v.words for v in voices.lines)
    assert runner.lines_voiced == len(voices.lines)
    assert [c.scene_index for c in music.cues] == [s.index for s in plan.scenes]
    # Voicing again is served from the cache: nothing is synthesised twice.
    assert runner("voices", spec, outputs, quiet) == outputs["voices"]
    assert runner.lines_voiced == len(voices.lines) and runner.runs["voices"] == 1


def test_a_chosen_engine_without_its_model_fails_the_stage_with_the_setting_to_fix(tmp_path: Path) -> None:
    runner = FilmStageRunner(LocalArtifactStore(tmp_path / "artifacts"), engines=ModelEngines(voices="vits"))
    spec = FilmSpec(title="Morning", script=SCRIPT, resolution="480p")
    outputs = {"script": runner("script", spec, {}, quiet)}
    failure = runner("voices", spec, outputs, quiet)
    assert isinstance(failure, StageFailure) and "FILMSTUDIO_VITS_MODEL_DIR" in failure.reason
