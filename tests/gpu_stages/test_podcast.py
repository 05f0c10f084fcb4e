"""Podcast mode end to end on a three-host draft: distinct voices, turn-taking, the highlighted tile, intro and outro."""

from __future__ import annotations

import itertools
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import parselmouth
import pytest
import soundfile

from gpu_stages.contract import LocalArtifactStore
from gpu_stages.film_pipeline import FILM_STAGES, FilmStageRunner
from gpu_stages.podcast.pacing import MAX_GAP, turn_gap
from gpu_stages.render.podcast_layout import RING, tile_boxes
from gpu_stages.script import load_template
from gpu_stages.timeline import build_timeline
from schemas.film import FilmSpec
from schemas.media import (
    Character,
    FilmOutputs,
    Line,
    Scene,
    ScriptPlan,
    StageFailure,
    Timeline,
    VoiceTrack,
)

SCRIPT = """ANNA: Welcome to Small Questions. I'm Anna, and with me are Rosa and Tom.

ROSA: Hi everyone! Today we ask why the sky is blue?

TOM: Because sunlight scatters off the air, and blue light scatters the most.

ANNA: So the air itself is doing the colouring...

ROSA: Exactly. That's our show. Thanks for listening!
"""
HOSTS = ["anna", "rosa", "tom"]


@dataclass
class Run:
    runner: FilmStageRunner
    outputs: dict[str, Any]

    @property
    def film(self) -> FilmOutputs:
        return FilmOutputs.model_validate(self.outputs["thumbnails"])


def run_film(store: LocalArtifactStore, spec: FilmSpec) -> Run:
    """Every stage in dependency order, each fed its dependencies' outputs (as the pipeline processor does)."""
    run = Run(FilmStageRunner(store), {})
    while len(run.outputs) < len(FILM_STAGES):
        for stage, deps in FILM_STAGES.items():
            if stage not in run.outputs and all(d in run.outputs for d in deps):
                result = run.runner(stage, spec, {d: run.outputs[d] for d in deps}, lambda f, m: None)
                assert not isinstance(result, StageFailure), f"{stage}: {result.reason}"
                run.outputs[stage] = result
    return run


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> LocalArtifactStore:
    return LocalArtifactStore(tmp_path_factory.mktemp("podcast") / "artifacts")


@pytest.fixture(scope="module")
def show(store: LocalArtifactStore) -> Run:
    spec = FilmSpec(title="Small Questions", script=SCRIPT, podcast=True, resolution="480p", draft=True)
    return run_film(store, spec)


def plan_of(run: Run) -> ScriptPlan:
    return ScriptPlan.model_validate(run.outputs["script"])


def timeline_of(run: Run) -> Timeline:
    from gpu_stages.podcast import INTRO_SECONDS, OUTRO_SECONDS

    voices = VoiceTrack.model_validate(run.outputs["voices"])
    return build_timeline(plan_of(run), voices, intro=INTRO_SECONDS, outro=OUTRO_SECONDS)


def speech_span(path: Path, threshold_db: float = -40.0) -> tuple[float, float]:
    """First and last moment a voiced line's audio is louder than the threshold (10 ms RMS windows)."""
    audio, rate = soundfile.read(str(path), dtype="float32")
    window = rate // 100
    frames = audio[: len(audio) // window * window].reshape(-1, window)
    loud = np.flatnonzero(20 * np.log10(np.sqrt((frames**2).mean(axis=1)) + 1e-9) > threshold_db)
    return loud[0] * window / rate, (loud[-1] + 1) * window / rate


def rms_db(audio: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(audio.astype(np.float64) ** 2)) + 1e-12))


def frame_at(video: Path, seconds: float, width: int, height: int) -> np.ndarray:
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-ss", f"{seconds:.3f}", "-i", str(video), "-frames:v", "1",
         "-f", "rawvideo", "-pix_fmt", "bgr24", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    return np.frombuffer(raw, np.uint8).reshape(height, width, 3)


def test_a_podcast_needs_two_to_four_hosts(store: LocalArtifactStore) -> None:
    runner = FilmStageRunner(store)
    alone = "ANNA: Hello, it is just me today.\n"
    crowd = "".join(
        f"{name}: Hello from {name.title()}.\n\n" for name in ("ANNA", "BEN", "CARA", "DEV", "EVE")
    )
    for script, count in ((alone, 1), (crowd, 5)):
        result = runner("script", FilmSpec(script=script, podcast=True), {}, lambda f, m: None)
        assert isinstance(result, StageFailure)
        assert "2 to 4 hosts" in result.reason and f"has {count}" in result.reason
        assert not result.retryable


def test_the_bundled_podcast_template_is_planned_as_a_podcast(store: LocalArtifactStore) -> None:
    text, fmt = load_template("podcast")
    plan = FilmStageRunner(store)("script", FilmSpec(script=text, script_format=fmt), {}, lambda f, m: None)
    assert not isinstance(plan, StageFailure)
    assert plan["podcast"] is True
    story, story_fmt = load_template("story")
    other = FilmStageRunner(store)(
        "script", FilmSpec(script=story, script_format=story_fmt), {}, lambda f, m: None
    )
    assert not isinstance(other, StageFailure) and other["podcast"] is False


def test_turn_gaps_follow_punctuation_turn_length_and_who_speaks_next() -> None:
    def gap(text: str, next_speaker: str = "b") -> float:
        return turn_gap(Line(id="x", speaker="a", text=text), Line(id="y", speaker=next_speaker, text="Yes."))

    question, statement, trailing = gap("Is it?"), gap("It is."), gap("It is...")
    assert question < statement < trailing
    assert gap("Cut off mid,") < question
    long_turn = gap("It is. " + "And then we talked about many other things as well. " * 3)
    assert long_turn > statement
    assert gap("It is.", next_speaker="a") < statement  # the same host keeps talking
    assert max(question, statement, trailing, long_turn) <= MAX_GAP


def test_each_host_has_a_distinct_voice(show: Run, store: LocalArtifactStore) -> None:
    plan = plan_of(show)
    assert sorted({line.speaker for scene in plan.scenes for line in scene.lines}) == sorted(HOSTS)
    voiced = {v.line_id: v for v in VoiceTrack.model_validate(show.outputs["voices"]).lines}
    pitches: dict[str, list[float]] = {}
    voice_ids: dict[str, str] = {}
    for line in (line for scene in plan.scenes for line in scene.lines):
        sound = parselmouth.Sound(str(store.path(voiced[line.id].audio)))
        f0 = sound.to_pitch().selected_array["frequency"]
        pitches.setdefault(line.speaker, []).extend(f0[f0 > 0].tolist())
        voice_ids[line.speaker] = voiced[line.id].voice_id
    assert len(set(voice_ids.values())) == 3
    median = {host: float(np.median(values)) for host, values in pitches.items()}
    for a in HOSTS:
        for b in HOSTS:
            if a < b:
                assert abs(median[a] - median[b]) / min(median[a], median[b]) > 0.07, median


def median_pitch(path: Path) -> float:
    f0 = parselmouth.Sound(str(path)).to_pitch().selected_array["frequency"]
    return float(np.median(f0[f0 > 0]))


@pytest.mark.parametrize("distinct", [False, True])
def test_hosts_of_the_same_gender_get_audibly_different_voices(
    store: LocalArtifactStore, distinct: bool
) -> None:
    from gpu_stages.contract import StageContext
    from gpu_stages.voice.stage import VoiceInput, VoiceStage

    people = [("ana", "female"), ("bea", "female"), ("cal", "male"), ("dev", "male")]
    sentence = "Thanks for joining us on the show today."
    plan = ScriptPlan(
        title="same words",
        scenes=[
            Scene(
                index=0,
                heading="studio",
                setting="podcast_studio",
                lines=[Line(id=f"{who}-line", speaker=who, text=sentence) for who, _ in people],
            )
        ],
        characters=[Character(id=who, name=who.title(), gender=gender) for who, gender in people],
        estimated_seconds=10.0,
    )
    track = VoiceStage().run(VoiceInput(plan=plan, draft=True, distinct=distinct), StageContext(store))
    assert isinstance(track, VoiceTrack)
    pitch = {v.line_id.split("-")[0]: median_pitch(store.path(v.audio)) for v in track.lines}
    for a, b in (("ana", "bea"), ("cal", "dev")):
        apart = abs(pitch[a] - pitch[b]) / min(pitch[a], pitch[b])
        # Without spreading, same-gender hosts share a voice; with it they are clearly apart.
        assert (apart > 0.08) if distinct else (apart < 0.03), (a, b, pitch)


def test_turns_never_overlap_and_leave_no_dead_air(show: Run, store: LocalArtifactStore) -> None:
    voiced = {v.line_id: v for v in VoiceTrack.model_validate(show.outputs["voices"]).lines}
    spoken = []
    for line in timeline_of(show).lines:
        onset, offset = speech_span(store.path(voiced[line.line_id].audio))
        spoken.append((line.start + onset, line.start + offset))
    gaps = [b[0] - a[1] for a, b in itertools.pairwise(spoken)]
    assert min(gaps) > 0.1, gaps  # the next host waits for the last word
    assert max(gaps) < 1.4, gaps  # and nobody leaves a long silence
    assert max(gaps) - min(gaps) > 0.15, gaps  # gaps vary with the turn


def test_intro_and_outro_music_play_before_the_first_word_and_after_the_last(
    show: Run, store: LocalArtifactStore
) -> None:
    mix, rate = soundfile.read(str(store.path(show.outputs["mix"]["audio"])), dtype="float32")
    timeline = timeline_of(show)
    first, last = timeline.lines[0].start, timeline.lines[-1].end

    def level(a: float, b: float) -> float:
        return rms_db(mix[round(a * rate) : round(b * rate)])

    intro, outro = level(0.3, first - 0.2), level(last + 0.5, timeline.duration - 1.6)
    assert intro > -35 and outro > -35, (intro, outro)
    assert level(timeline.duration - 0.1, timeline.duration) < outro - 12  # the outro fades out
    assert level(first + 2.0, first + 2.5) > intro - 6  # speech is at least as present as the music


def test_the_speaking_hosts_tile_is_lit_and_ringed(show: Run, store: LocalArtifactStore) -> None:
    [rendition] = show.film.renditions
    video = store.path(rendition.video)
    boxes = tile_boxes(3, "16:9", rendition.width, rendition.height)
    order = {host: i for i, host in enumerate(HOSTS)}
    for line in timeline_of(show).lines:
        frame = frame_at(video, (line.start + line.end) / 2, rendition.width, rendition.height)
        brightness, ringed = [], []
        for x, y, w, h in boxes:
            brightness.append(float(frame[y + 8 : y + h - 8, x + 8 : x + w - 8].mean()))
            edge = frame[y : y + 3, x + w // 4 : x + 3 * w // 4].reshape(-1, 3).astype(int)
            ringed.append(float(np.abs(edge - np.array(RING)).sum(axis=1).mean()) < 60)
        speaker = order[line.speaker]
        assert ringed == [i == speaker for i in range(3)], (line.speaker, ringed)
        assert brightness[speaker] == max(brightness), (line.speaker, brightness)
        assert brightness[speaker] > 1.3 * min(brightness), (line.speaker, brightness)
