"""The script stage: a FilmSpec in, a ScriptPlan or a non-retryable StageFailure out."""

from __future__ import annotations

from pathlib import Path

from gpu_stages.contract import LocalArtifactStore, StageContext, run_cached
from gpu_stages.script import ScriptInput, ScriptSettings, ScriptStage, load_template
from schemas.film import FilmSpec, VoiceChoice
from schemas.media import ScriptPlan, StageFailure


def _ctx(tmp_path: Path, progress: list[float] | None = None) -> StageContext:
    record = progress if progress is not None else []
    return StageContext(
        artifacts=LocalArtifactStore(tmp_path / "artifacts"),
        progress=lambda fraction, message: record.append(fraction),
        work_dir=tmp_path,
    )


def test_stage_plans_the_spec_script_with_its_overrides(tmp_path: Path) -> None:
    text, fmt = load_template("story")
    spec = FilmSpec(title="Diya", script=text, script_format=fmt, target_seconds=60, culture="western")
    stage = ScriptStage(ScriptSettings())
    stage.ensure_loaded()
    progress: list[float] = []
    plan = stage.run(ScriptInput(spec=spec), _ctx(tmp_path, progress))
    assert isinstance(plan, ScriptPlan)
    assert plan.title == "Diya"
    assert plan.target_seconds == 60
    assert abs(plan.estimated_seconds - 60) <= 3
    assert {scene.culture for scene in plan.scenes} == {"western"}
    assert progress[0] == 0.0 and progress[-1] == 1.0


def test_stage_returns_non_retryable_failure_for_rejected_script(tmp_path: Path) -> None:
    spec = FilmSpec(script="word " * 120, script_format="text")
    result = ScriptStage(ScriptSettings(max_words=100)).run(ScriptInput(spec=spec), _ctx(tmp_path))
    assert isinstance(result, StageFailure)
    assert result.retryable is False
    assert "120 words" in result.reason and "allows 100" in result.reason


def test_stage_counts_voice_speeds_from_the_spec(tmp_path: Path) -> None:
    text, fmt = load_template("podcast")
    stage = ScriptStage(ScriptSettings())
    plain = stage.run(ScriptInput(spec=FilmSpec(script=text, script_format=fmt)), _ctx(tmp_path))
    fast_spec = FilmSpec(
        script=text,
        script_format=fmt,
        voices=[VoiceChoice(character_id="maya", speed=1.5), VoiceChoice(character_id="sam", speed=1.5)],
    )
    fast = stage.run(ScriptInput(spec=fast_spec), _ctx(tmp_path))
    assert isinstance(plain, ScriptPlan) and isinstance(fast, ScriptPlan)
    assert fast.estimated_seconds < plain.estimated_seconds * 0.8


def test_stage_results_are_cached_by_input(tmp_path: Path) -> None:
    text, fmt = load_template("educational")
    stage = ScriptStage(ScriptSettings())
    ctx = _ctx(tmp_path)
    spec = FilmSpec(script=text, script_format=fmt)
    first = run_cached(stage, ScriptInput(spec=spec), ctx, ScriptPlan)
    again = run_cached(stage, ScriptInput(spec=spec), ctx, ScriptPlan)
    assert isinstance(first, ScriptPlan) and first == again
    assert len(list((tmp_path / "artifacts" / "cache" / "script").glob("*.json"))) == 1
    assert ScriptStage.name == "script"
