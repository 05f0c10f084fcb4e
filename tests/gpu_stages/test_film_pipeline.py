"""The film pipeline end to end on a two-line draft: a real MP4, subtitles, thumbnails, and cached re-renders."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import soundfile
from PIL import Image

from gpu_stages.contract import LocalArtifactStore
from gpu_stages.film_pipeline import FILM_STAGES, FilmStageRunner
from schemas.film import FilmSpec
from schemas.media import FilmOutputs, StageFailure

SCRIPT = "PRIYA: Good morning, Ben!\n\nBEN: Morning. Ready for the trip?\n"
EDITED = SCRIPT.replace("Ready for the trip?", "Are you ready for the long trip?")


@dataclass
class Run:
    runner: FilmStageRunner
    outputs: dict[str, dict[str, Any]]
    progress: dict[str, list[float]] = field(default_factory=dict)

    @property
    def film(self) -> FilmOutputs:
        return FilmOutputs.model_validate(self.outputs["thumbnails"])


def order() -> list[str]:
    """The stages in an order that respects FILM_STAGES' dependencies."""
    done: list[str] = []
    while len(done) < len(FILM_STAGES):
        done += [s for s, deps in FILM_STAGES.items() if s not in done and all(d in done for d in deps)]
    return done


def recorder(run: Run, stage: str) -> Callable[[float, str], None]:
    fractions = run.progress.setdefault(stage, [])

    def report(fraction: float, _message: str) -> None:
        fractions.append(fraction)

    return report


def run_film(store: LocalArtifactStore, spec: FilmSpec) -> Run:
    """Feed each stage its dependencies' outputs, as the pipeline processor does."""
    run = Run(FilmStageRunner(store), {})
    for stage in order():
        result = run.runner(
            stage, spec, {d: run.outputs[d] for d in FILM_STAGES[stage]}, recorder(run, stage)
        )
        assert not isinstance(result, StageFailure), f"{stage}: {result.reason}"
        json.dumps(result)  # plain JSON, as events need
        run.outputs[stage] = result
    return run


def spec_for(script: str, **options: Any) -> FilmSpec:
    return FilmSpec(title="Morning", script=script, resolution="480p", draft=True, **options)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> LocalArtifactStore:
    return LocalArtifactStore(tmp_path_factory.mktemp("film") / "artifacts")


@pytest.fixture(scope="module")
def first(store: LocalArtifactStore) -> Run:
    return run_film(store, spec_for(SCRIPT))


def probe(path: Path) -> dict[str, Any]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
        capture_output=True, check=True, text=True,
    )  # fmt: skip
    return dict(json.loads(out.stdout))


def test_film_is_h264_with_aac_audio_and_lasts_as_long_as_the_mix(
    first: Run, store: LocalArtifactStore
) -> None:
    [rendition] = first.film.renditions
    streams = {s["codec_type"]: s for s in probe(store.path(rendition.video))["streams"]}
    assert streams["video"]["codec_name"] == "h264"
    assert streams["audio"]["codec_name"] == "aac"
    assert (int(streams["video"]["width"]), int(streams["video"]["height"])) == (854, 480)
    mix = soundfile.info(str(store.path(first.outputs["mix"]["audio"]))).duration
    assert abs(float(streams["video"]["duration"]) - mix) < 0.1
    assert abs(float(streams["audio"]["duration"]) - mix) < 0.1
    assert mix > 3.0  # two spoken lines plus lead-in and tail


def test_draft_uses_fast_voices_at_480p(first: Run) -> None:
    assert first.runner.lines_voiced == 2
    assert {r.resolution for r in first.film.renditions} == {"480p"}


def test_draft_never_loads_the_neural_voice_model(first: Run) -> None:
    voices = first.runner._stages["voices"]
    assert voices._loaded  # the stage ran (espeak-ng opened) ...
    assert voices.kokoro._kokoro is None  # type: ignore[attr-defined]  # ... but Kokoro's session never opened


def test_film_lists_srt_and_vtt_with_every_line_and_a_draft_thumbnail(
    first: Run, store: LocalArtifactStore
) -> None:
    [track] = first.film.subtitles
    srt = store.path(track.srt).read_text()
    vtt = store.path(track.vtt).read_text()
    assert vtt.startswith("WEBVTT")
    for words in ("Good morning, Ben!", "Ready for the trip?"):
        assert words in srt.replace("\n", " ")
        assert words in vtt.replace("\n", " ")
    assert len(first.film.thumbnails) == 1  # a draft is for review: one thumbnail (the full film makes three)
    for key in first.film.thumbnails:
        with Image.open(store.path(key)) as picture:
            assert picture.format == "JPEG"
            assert picture.size == (1280, 720)


def test_long_stages_report_progress(first: Run) -> None:
    for stage in ("voices", "render"):
        fractions = first.progress[stage]
        assert len(fractions) >= 2, stage
        assert fractions == sorted(fractions), stage
        assert fractions[-1] == pytest.approx(1.0)


def test_same_film_again_comes_entirely_from_the_cache(first: Run, store: LocalArtifactStore) -> None:
    again = run_film(store, spec_for(SCRIPT))
    assert sum(again.runner.runs.values()) == 0
    assert again.runner.lines_voiced == 0
    assert again.film == first.film


def test_editing_one_line_revoices_that_line_and_redoes_only_what_depends_on_it(
    first: Run, store: LocalArtifactStore
) -> None:
    edited = run_film(store, spec_for(EDITED))
    assert edited.runner.lines_voiced == 1
    assert set(edited.runner.runs) == {
        "script",
        "voices",
        "music",
        "subtitles",
        "mix",
        "render",
        "thumbnails",
    }
    assert edited.runner.runs["music"] == 1  # the one scene's cue
    before, after = first.outputs["voices"]["lines"], edited.outputs["voices"]["lines"]
    assert before[0] == after[0]  # the untouched line is the very same audio
    assert before[1]["audio"] != after[1]["audio"]
    assert edited.outputs["cast"] == first.outputs["cast"]
    assert edited.outputs["scenes"] == first.outputs["scenes"]
    assert edited.film.renditions[0].duration > first.film.renditions[0].duration


def test_each_aspect_ratio_gets_its_own_rendition_and_backdrops(store: LocalArtifactStore) -> None:
    spec = spec_for(SCRIPT, aspects=["16:9", "9:16"])
    outputs = run_film(store, spec).film
    sizes = {(r.aspect, r.width, r.height) for r in outputs.renditions}
    assert sizes == {("16:9", 854, 480), ("9:16", 480, 854)}
    for rendition in outputs.renditions:
        [video] = [s for s in probe(store.path(rendition.video))["streams"] if s["codec_type"] == "video"]
        assert (video["width"], video["height"]) == (rendition.width, rendition.height)


def test_an_empty_script_fails_the_script_stage_with_a_reason(store: LocalArtifactStore) -> None:
    result = FilmStageRunner(store)("script", spec_for("   \n"), {}, lambda f, m: None)
    assert isinstance(result, StageFailure)
    assert not result.retryable
    assert "script" in result.reason.lower()


def test_a_missing_engine_fails_its_stage_clearly(
    first: Run, store: LocalArtifactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "gpu_stages.music.stage", None)  # import now raises ImportError
    inputs = {d: first.outputs[d] for d in FILM_STAGES["music"]}
    result = FilmStageRunner(store)("music", spec_for(SCRIPT), inputs, lambda f, m: None)
    assert isinstance(result, StageFailure)
    assert "music engine is not installed" in result.reason


def test_an_unknown_stage_is_a_failure(store: LocalArtifactStore) -> None:
    result = FilmStageRunner(store)("colour-grade", spec_for(SCRIPT), {}, lambda f, m: None)
    assert isinstance(result, StageFailure)
    assert "colour-grade" in result.reason


def test_thumbnail_moments_fall_between_subtitle_cues() -> None:
    from gpu_stages.film.thumbnail_stage import clear_moments
    from schemas.media import Cue

    cues = [
        Cue(start=0.6, end=2.0, text="a"),
        Cue(start=2.4, end=5.0, text="b"),
        Cue(start=6.0, end=9.0, text="c"),
    ]
    moments = clear_moments(10.0, cues)
    assert len(moments) >= 3
    for t in moments:
        assert all(not (c.start <= t <= c.end) for c in cues), t
    assert (
        len(clear_moments(10.0, [Cue(start=0.0, end=10.0, text="all along")])) >= 3
    )  # still something to pick
